package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.AtomicFile;
import dev.zkspark.spark.jobs.CommitModelJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark commit-job}: {@code commit-model} on Spark ({@link CommitModelJob}): executors
 * quantize the model and encode bands of the committed rows, the driver joins the column ranges'
 * Merkle subtree roots without loading the checkpoint. Same commitment bytes as {@code commit-model}.
 */
@Command(name = "commit-job", mixinStandardHelpOptions = true,
        description = "Commit a model on Spark (executors encode row bands; same commitment as commit-model) "
                + "and optionally write the committed chunks as a table.")
final class CommitJobCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark = new SparkOptions();

    @Option(names = "--model", description = "checkpoint readable on every executor (default: the bundled model)")
    Path model;

    @Option(names = "--out", required = true, description = "the commitment file to write (MODEL.commit)")
    Path out;

    @Option(names = "--key", description = "the secret key file (default: OUT.key); an existing key is reused")
    Path key;

    @Option(names = "--weight-bits", description = "0 (weights at scale 2^16, the default) or 2..24 bits per weight")
    int weightBits = 0;

    @Option(names = "--zk-budget", description = "zero-knowledge proofs this commitment supports (default: ${DEFAULT-VALUE}; docs/ZK.md §6)")
    int zkBudget = dev.zkspark.proof.ModelCommitment.ZK_BUDGET;

    @Option(names = "--chunks", description = "also write the committed row bands (codewords) as a chunk table here (must not exist)")
    String chunks;

    @Override
    public Integer call() {
        CommitModelCommand.checkBudget(zkBudget);
        if (weightBits != 0 && (weightBits < 2 || weightBits > 24)) {
            throw ZksparkException.badInput("--weight-bits must be 0 or in [2, 24]");
        }
        if (model != null && !Files.isRegularFile(model) && !Files.isDirectory(model)) {
            throw ZksparkException.badInput(model + ": no such file or directory");
        }
        Path keyFile = key != null ? key : out.resolveSibling(out.getFileName() + ".key");
        byte[] seed = Files.exists(keyFile) ? CommitModelCommand.readKey(keyFile) : null;
        boolean newKey = seed == null;
        if (newKey) {
            seed = CommitModelCommand.freshKey();
        }
        long t0 = System.nanoTime();
        SparkSession session = spark.session("zkspark-commit-job");
        CommitModelJob.Result r;
        try (Progress bar = Progress.forSpark(session.sparkContext(), "committing (Spark tasks)")) {
            r = CommitModelJob.run(session, model == null ? null : model.toAbsolutePath().normalize().toString(), weightBits, seed,
                    zkBudget, spark.partitions, chunks);
        } finally {
            session.stop();
        }
        byte[] bytes = r.commitment().toBytes();
        if (newKey) {
            CommitModelCommand.writeKey(keyFile, seed);
        }
        AtomicFile.write(out, bytes);
        var p = r.commitment().commitment().params();
        System.out.printf("model: %s (%d layers), committed in %d bands of whole 32-row chunks (%d rows x %d columns)%n",
                model == null ? "bundled" : model, r.commitment().config().layers(), r.bands(), p.rows(), p.cols());
        CommitModelCommand.printCommitment(out, bytes, keyFile, newKey, r.commitment());
        if (chunks != null) {
            System.out.printf("chunk table: %s (%d chunks of %d rows, %d bytes of codewords)%n", chunks,
                    p.rows() / Math.min(p.rows(), dev.zkspark.pcs.PcsParams.CHUNK_ROWS), Math.min(p.rows(), dev.zkspark.pcs.PcsParams.CHUNK_ROWS),
                    r.chunkBytes());
        }
        System.out.printf("elapsed: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
