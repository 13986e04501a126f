package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.io.VerdictsTable;
import dev.zkspark.spark.jobs.VerifyJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/zkspark verify-job}: verifies a proofs table on Spark into a verdicts table ({@link VerifyJob}). */
@Command(name = "verify-job", mixinStandardHelpOptions = true,
        description = "Verify every proof of a proofs table on Spark against a model commitment; write a verdicts table. "
                + "Exit 0 if every proved row is accepted, 1 if any is rejected.")
final class VerifyJobCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark = new SparkOptions();

    @Option(names = "--commitment", required = true, description = "the model commitment the proofs must be for")
    Path commitment;

    @Option(names = "--proofs", required = true, description = "a proofs table directory (from prove-job or a pipeline run)")
    String proofs;

    @Option(names = "--out", required = true, description = "output directory for the verdicts (must not exist; written atomically)")
    String out;

    @Override
    public Integer call() {
        byte[] commitmentBytes = ModelOptions.readFile(commitment, 64L << 20, "model commitment");
        ProveCommand.readCommitment(commitment);
        long t0 = System.nanoTime();
        SparkSession session = spark.session("zkspark-verify-job");
        List<VerdictsTable.Row> rows;
        try (Progress bar = Progress.forSpark(session.sparkContext(), "verifying (Spark tasks)")) {
            rows = VerifyJob.run(session, proofs, commitmentBytes, out, spark.partitions);
        } finally {
            session.stop();
        }
        long accepted = 0, rejected = 0, notProved = 0;
        for (VerdictsTable.Row r : rows) {
            switch (r.verdict()) {
                case VerifyJob.ACCEPTED -> accepted++;
                case VerifyJob.REJECTED -> {
                    rejected++;
                    System.out.println("rejected: " + r.id() + ": " + r.reason());
                }
                default -> notProved++;
            }
        }
        System.out.printf(Locale.ROOT, "proofs: %d, accepted: %d, rejected: %d, not proved: %d; %.1f s%n", rows.size(), accepted,
                rejected, notProved, (System.nanoTime() - t0) / 1e9);
        System.out.println("verdicts table: " + out + " (verdicts/, verdicts.json, verdicts.csv)");
        return rejected > 0 ? ZksparkException.Code.REJECTED.exitStatus : 0;
    }
}
