package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.jobs.InferenceRequestProver;
import dev.zkspark.spark.jobs.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark pipeline}: the scheduled job ({@link Pipeline}): proves the requests of a
 * date-partitioned table that no earlier run has proved, into {@code OUTPUT/runs/RUN_ID/}.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Prove the requests of a date-partitioned table (INPUT/date=YYYY-MM-DD/) that have no proof yet; "
                + "each run writes OUTPUT/runs/RUN_ID/ (proofs table, model.commit, manifest.json) atomically.")
final class PipelineCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark = new SparkOptions();

    @Mixin
    ProverOptions prover = new ProverOptions();

    @Option(names = "--input", required = true, description = "requests table partitioned by date=YYYY-MM-DD (JSON lines or Parquet)")
    String input;

    @Option(names = "--output", required = true, description = "the pipeline's output directory (runs/ accumulates there)")
    String output;

    @Option(names = "--date", description = "only these date partitions (repeatable; default: all)")
    List<String> dates = new ArrayList<>();

    @Option(names = "--run-id", description = "name of this run (default: the UTC start time, yyyyMMddTHHmmssZ)")
    String runId;

    @Option(names = "--retry-failed", description = "also retry requests that failed in earlier runs")
    boolean retryFailed;

    @Override
    public Integer call() {
        for (String d : dates) {
            if (!d.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw ZksparkException.badInput("--date must be YYYY-MM-DD, got " + d);
            }
        }
        byte[] commitmentBytes = prover.commitmentBytes();
        InferenceRequestProver requestProver = prover.prover(commitmentBytes);
        String id = runId == null ? Pipeline.defaultRunId() : runId;
        SparkSession session = spark.session("zkspark-pipeline");
        Pipeline.Manifest m;
        try (Progress bar = Progress.forSpark(session.sparkContext(), "pipeline (Spark tasks)")) {
            m = Pipeline.run(session, new Pipeline.Options(input, output, id, dates, spark.partitions, retryFailed), requestProver,
                    commitmentBytes);
        } finally {
            session.stop();
        }
        System.out.printf(Locale.ROOT, "run %s: input rows %d, already proved %d, proved %d, failed %d; %.1f s%n", m.runId(),
                m.inputRows(), m.alreadyDone(), m.proved(), m.failed(), m.seconds());
        for (String[] f : m.failures()) {
            System.out.println("failed: " + f[0] + ": " + f[1]);
        }
        System.out.println("run directory: " + m.runDir() + " (proofs/, files/<id>.proof, summary.json, manifest.json, model.commit)");
        return 0;
    }
}
