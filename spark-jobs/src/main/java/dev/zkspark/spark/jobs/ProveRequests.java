package dev.zkspark.spark.jobs;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.io.ParsedRequest;
import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.ProofsTable;
import dev.zkspark.spark.io.RequestsTable;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The read-prove-write core shared by ProveJob and the pipeline: validates each row, proves the
 * valid ones with a {@link RequestProver} (one request per task), turns every failure into a row
 * with its reason, and writes the proofs table atomically.
 */
public final class ProveRequests {
    private ProveRequests() {}

    /** Proves the requests of {@code df} into {@code out}; extra files land in the same rename. */
    public static List<ProofsTable.Summary> run(SparkSession spark, Dataset<Row> df, RequestProver prover,
            int partitions, String out, ProofsTable.ExtraFiles extra) {
        JavaRDD<ParsedRequest> parsed = parseUnique(df);
        if (partitions > 0) {
            parsed = parsed.repartition(partitions);
        }
        boolean failFirstAttempt = spark.sparkContext().getConf().getBoolean(FAIL_FIRST_ATTEMPT, false);
        String oomFor = spark.sparkContext().getConf().get(OUT_OF_MEMORY_FOR, null);
        JavaRDD<ProofRecord> records = parsed.map(p -> {
            if (failFirstAttempt) {
                injectFailure();
            }
            return prove(prover, p, oomFor);
        });
        return ProofsTable.write(spark, records, out, extra);
    }

    /**
     * Validates every row; rows sharing an id all fail ("duplicate id"), since the id names the
     * proof file and a proofs table must not hold two answers to one request.
     */
    static JavaRDD<ParsedRequest> parseUnique(Dataset<Row> df) {
        JavaRDD<ParsedRequest> parsed = df.javaRDD().map(RequestsTable::parse);
        java.util.HashSet<String> dups = new java.util.HashSet<>(parsed.filter(p -> p.id() != null)
                .mapToPair(p -> new scala.Tuple2<>(p.id(), 1)).reduceByKey(Integer::sum).filter(t -> t._2() > 1).keys().collect());
        if (dups.isEmpty()) {
            return parsed;
        }
        return parsed.map(p -> p.id() != null && dups.contains(p.id())
                ? ParsedRequest.failed(p.id(), "request " + p.id() + ": duplicate id (ids name the proof files and must be unique)") : p);
    }

    /**
     * Test-only configuration key: when true, the first attempt of partition 0's proving task
     * throws, so Spark's retry must recompute it (needs spark.task.maxFailures of at least 2, or
     * {@code local[N,F]} with F at least 2). The output must not change: the prover is deterministic.
     */
    public static final String FAIL_FIRST_ATTEMPT = "zkspark.test.failFirstAttempt";

    static void injectFailure() {
        TaskContext tc = TaskContext.get();
        if (tc != null && tc.partitionId() == 0 && tc.attemptNumber() == 0 && tc.stageAttemptNumber() == 0) {
            throw new IllegalStateException(FAIL_FIRST_ATTEMPT + ": failure injected in the first attempt of partition 0");
        }
    }

    /**
     * Test-only configuration key: the proving task of the request with this id (or, for
     * commit-job, the encoding task of band I with the value {@code band-I}) runs out of memory (an
     * OutOfMemoryError thrown where the work would allocate), so tests can check that the row fails
     * with its reason (commit-job: the job fails with it) while the executor, and in local mode the
     * JVM, carries on.
     */
    public static final String OUT_OF_MEMORY_FOR = "zkspark.test.outOfMemoryFor";

    static void injectOutOfMemory(String oomFor, String id) {
        if (oomFor != null && oomFor.equals(id)) {
            throw new OutOfMemoryError(OUT_OF_MEMORY_FOR + ": injected for request " + id);
        }
    }

    static ProofRecord prove(RequestProver prover, ParsedRequest p, String oomFor) {
        if (!p.isOk()) {
            return ProofRecord.failed(p.id(), p.error());
        }
        try {
            injectOutOfMemory(oomFor, p.id());
            return prover.prove(p.request());
        } catch (RuntimeException e) {
            return ProofRecord.failed(p.id(), reason(e));
        } catch (OutOfMemoryError e) {
            // the request's tables are unreachable once this frame is left: fail the row, keep the executor
            return ProofRecord.failed(p.id(), outOfMemory());
        }
    }

    /** How {@link #outOfMemory} starts. */
    static final String OUT_OF_HEAP = "out of memory on the executor";

    /** A row's reason when its executor's heap was too small for the request. */
    static String outOfMemory() {
        return OUT_OF_HEAP + " (JVM heap " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MB): give executors more heap (spark.executor.memory; README, Memory)";
    }

    /**
     * A failed row's reason: a user error's one-line message, or a prover bug marked as internal.
     * A bug hit by one request fails that row (it is deterministic, so a retry would not help)
     * instead of every run of a scheduled pipeline. An executor heap too small for a request fails
     * that row too ({@link #outOfMemory}); other JVM-level errors still abort the job.
     */
    static String reason(RuntimeException e) {
        return e instanceof ZksparkException z ? z.getMessage()
                : "internal error: " + RequestsTable.firstLine(e) + " (" + e.getClass().getSimpleName() + ")";
    }

    /**
     * As {@link #run}, but each request's layer tasks and lookup tables are proved as separate
     * Spark tasks ({@link TaskParallelProver}); the rows are validated on executors and the valid
     * requests (small) collected to the driver, which aggregates each request's parts into one proof.
     */
    public static List<ProofsTable.Summary> runTaskParallel(SparkSession spark, Dataset<Row> df, TaskParallelProver prover,
            int partitions, String out, ProofsTable.ExtraFiles extra) {
        List<ParsedRequest> parsed = parseUnique(df).collect();
        List<ProofRecord> records = new java.util.ArrayList<>();
        List<dev.zkspark.spark.io.RequestSpec> ok = new java.util.ArrayList<>();
        for (ParsedRequest p : parsed) {
            if (p.isOk()) {
                ok.add(p.request());
            } else {
                records.add(ProofRecord.failed(p.id(), p.error()));
            }
        }
        records.addAll(prover.prove(spark, ok, partitions > 0 ? partitions : spark.sparkContext().defaultParallelism()));
        JavaRDD<ProofRecord> rdd = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(records, Math.max(1, Math.min(records.size(), 8)));
        return ProofsTable.write(spark, rdd, out, extra);
    }

    /** No extra files. */
    public static final ProofsTable.ExtraFiles NONE = rows -> Map.of();
}
