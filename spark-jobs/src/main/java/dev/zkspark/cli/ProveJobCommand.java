package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.io.ProofsTable;
import dev.zkspark.spark.jobs.InferenceRequestProver;
import dev.zkspark.spark.jobs.ProveJob;
import dev.zkspark.spark.jobs.TaskParallelProver;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/zkspark prove-job}: proves a requests table on Spark into a proofs table ({@link ProveJob}). */
@Command(name = "prove-job", mixinStandardHelpOptions = true,
        description = "Prove every request of a requests table (Parquet or JSON lines) on Spark and write a proofs table "
                + "(Parquet, summary.json/csv, files/<id>.proof, model.commit).")
final class ProveJobCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark = new SparkOptions();

    @Mixin
    ProverOptions prover = new ProverOptions();

    @Option(names = "--requests", required = true, description = "requests table: Parquet or JSON lines with id, prompt or prompt_tokens, max_new_tokens")
    String requests;

    @Option(names = "--out", required = true, description = "output directory (must not exist; written atomically)")
    String out;

    @Option(names = "--task-parallel", description = "prove each request's layers and lookup tables as separate Spark tasks and "
            + "aggregate them on the driver into the request's one proof (same bytes; for few, large requests). Default: one task per request")
    boolean taskParallel;

    @Option(names = "--sumcheck-partitions", description = "with --task-parallel: split every layer task's sumcheck into this many "
            + "chunks (a power of two), folded by as many Spark partitions while the driver combines their round values "
            + "(default ${DEFAULT-VALUE}: each task is one Spark task); the witness commitment, the large lookup tables' GKR "
            + "trees (--conf " + TaskParallelProver.LOOKUP_GATHER_VARS + "=G, default " + TaskParallelProver.DEFAULT_LOOKUP_GATHER_VARS
            + ") and the opening split over as many row bands; same proof bytes")
    int sumcheckPartitions = 1;

    @Option(names = "--batch-requests", description = "with --sumcheck-partitions: run the split sumchecks of up to this many "
            + "requests in lockstep, so each round of all of them is one Spark job (default " + TaskParallelProver.DEFAULT_BATCH_REQUESTS
            + "; every partition holds its chunk of all their tasks); same proof bytes")
    Integer batchRequests;

    @Option(names = "--strict", description = "exit 2 if any request failed (default: failed rows are reported and the job exits 0)")
    boolean strict;

    @Override
    public Integer call() {
        byte[] commitmentBytes = prover.commitmentBytes();
        InferenceRequestProver requestProver = prover.prover(commitmentBytes);
        if (sumcheckPartitions != 1 && !taskParallel) {
            throw ZksparkException.badInput("--sumcheck-partitions needs --task-parallel");
        }
        if (batchRequests != null && sumcheckPartitions == 1) {
            throw ZksparkException.badInput("--batch-requests needs --sumcheck-partitions");
        }
        // built (and its options checked) before Spark starts
        TaskParallelProver split = taskParallel ? new TaskParallelProver(requestProver, commitmentBytes, sumcheckPartitions,
                batchRequests == null ? TaskParallelProver.DEFAULT_BATCH_REQUESTS : batchRequests) : null;
        long t0 = System.nanoTime();
        SparkSession session = spark.session("zkspark-prove-job");
        List<ProofsTable.Summary> rows;
        String master;
        try (Progress bar = Progress.forSpark(session.sparkContext(), "proving (Spark tasks)")) {
            master = session.sparkContext().master();
            rows = split != null ? ProveJob.runTaskParallel(session, requests, out, spark.partitions, split)
                    : ProveJob.run(session, requests, out, spark.partitions, requestProver, commitmentBytes);
        } finally {
            session.stop();
        }
        long proved = rows.stream().filter(r -> "proved".equals(r.status())).count();
        System.out.printf("%-24s %8s %6s %6s %10s %10s  %s%n", "request", "status", "prompt", "new", "proof B", "prove ms", "generated text or error");
        for (ProofsTable.Summary r : rows) {
            String text = "proved".equals(r.status()) ? String.valueOf(r.generatedText()) : r.error();
            text = text == null ? "" : text.replace('\n', ' ');
            System.out.printf(Locale.ROOT, "%-24s %8s %6d %6d %10d %10.0f  %s%n", r.id(), r.status(), r.promptTokens(),
                    r.generatedTokens().length, r.proofBytes(), r.proveMs(), text.length() > 60 ? text.substring(0, 57) + "..." : text);
        }
        System.out.printf(Locale.ROOT, "requests: %d, proved: %d, failed: %d; Spark %s, %.1f s%n", rows.size(), proved,
                rows.size() - proved, master, (System.nanoTime() - t0) / 1e9);
        if (split != null && split.lastSplit().tasks() > 0) {
            TaskParallelProver.Split st = split.lastSplit();
            System.out.printf(Locale.ROOT, "split sumchecks: %d layer tasks in up to %d chunks, %d Spark jobs, %d bytes of round values "
                    + "collected%n", st.tasks(), sumcheckPartitions, st.sparkJobs(), st.bytesCollected());
            System.out.printf(Locale.ROOT, "split witness commitments: %d in up to %d bands, %d Spark jobs, %d bytes sent to the driver%n",
                    st.commits(), sumcheckPartitions, st.commitJobs(), st.commitBytes());
            System.out.printf(Locale.ROOT, "split openings: %d with rows in up to %d bands, %d Spark jobs, %d bytes sent to the driver%n",
                    st.openings(), sumcheckPartitions, st.openingJobs(), st.openingBytes());
            System.out.printf(Locale.ROOT, "split lookups: %d tables with GKR leaves in up to %d blocks, %d Spark jobs, %d bytes sent to the "
                    + "driver%n", st.lookups(), sumcheckPartitions, st.lookupJobs(), st.lookupBytes());
        }
        System.out.println("proofs table: " + out + " (proofs/, summary.json, summary.csv, files/<id>.proof, model.commit)");
        if (strict && proved < rows.size()) {
            System.err.println("zkspark: " + (rows.size() - proved) + " of " + rows.size() + " requests failed (--strict)");
            return ZksparkException.Code.BAD_INPUT.exitStatus;
        }
        return 0;
    }
}
