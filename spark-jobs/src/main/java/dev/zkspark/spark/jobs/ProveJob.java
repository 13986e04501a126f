package dev.zkspark.spark.jobs;

import dev.zkspark.spark.io.ProofsTable;
import dev.zkspark.spark.io.RequestsTable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/zkspark prove-job} (issue 7): reads a requests table (Parquet or JSON lines: {@code id},
 * {@code prompt} or {@code prompt_tokens}, {@code max_new_tokens}), proves each valid request as a
 * Spark task with {@link InferenceRequestProver} (generation with the committed model's fixed-point
 * arithmetic, then one whole-inference proof), and writes the proofs table atomically: Parquet
 * {@code proofs/}, {@code summary.json}/{@code summary.csv}, {@code files/<id>.proof} and a copy of
 * the public {@code model.commit}, so the directory is everything the standalone verifier needs.
 *
 * <p>The bytes of every proof depend only on the request, the model, the commitment key and the
 * job's prover seed, never on partitioning, scheduling or retries (DESIGN §6). The driver reads the
 * commitment file only; executors load the checkpoint (a path they can read) once per JVM.
 */
public final class ProveJob {
    private ProveJob() {}

    /**
     * @param partitions Spark partitions for the requests; 0 keeps the input's
     * @param commitment the public commitment bytes the prover proves against (copied into the output)
     */
    public static List<ProofsTable.Summary> run(SparkSession spark, String requests, String out, int partitions,
            RequestProver prover, byte[] commitment) {
        ProofsTable.checkWritable(spark, out);
        byte[] c = commitment.clone();
        return ProveRequests.run(spark, RequestsTable.read(spark, requests), prover, partitions, out, rows -> Map.of("model.commit", c));
    }

    /**
     * As {@link #run}, but every request's layer tasks and lookup tables are separate Spark tasks
     * and the driver aggregates each request's parts into its one proof ({@link TaskParallelProver});
     * the proof bytes are the same as with {@link #run}.
     */
    public static List<ProofsTable.Summary> runTaskParallel(SparkSession spark, String requests, String out, int partitions,
            InferenceRequestProver prover, byte[] commitment) {
        return runTaskParallel(spark, requests, out, partitions, new TaskParallelProver(prover, commitment));
    }

    /** As above with a configured prover (for example one that splits each layer task's sumcheck). */
    public static List<ProofsTable.Summary> runTaskParallel(SparkSession spark, String requests, String out, int partitions,
            TaskParallelProver prover) {
        ProofsTable.checkWritable(spark, out);
        byte[] c = prover.modelCommitment();
        return ProveRequests.runTaskParallel(spark, RequestsTable.read(spark, requests), prover, partitions, out,
                rows -> Map.of("model.commit", c));
    }
}
