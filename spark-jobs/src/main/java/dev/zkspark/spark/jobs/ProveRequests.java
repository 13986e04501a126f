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
        JavaRDD<ParsedRequest> parsed = df.javaRDD().map(RequestsTable::parse);
        if (partitions > 0) {
            parsed = parsed.repartition(partitions);
        }
        boolean failFirstAttempt = spark.sparkContext().getConf().getBoolean(FAIL_FIRST_ATTEMPT, false);
        JavaRDD<ProofRecord> records = parsed.map(p -> {
            if (failFirstAttempt) {
                injectFailure();
            }
            return prove(prover, p);
        });
        return ProofsTable.write(spark, records, out, extra);
    }

    /**
     * Test-only configuration key: when true, the first attempt of partition 0's proving task
     * throws, so Spark's retry must recompute it (needs spark.task.maxFailures of at least 2, or
     * {@code local[N,F]} with F at least 2). The output must not change: the prover is deterministic.
     */
    public static final String FAIL_FIRST_ATTEMPT = "zkspark.test.failFirstAttempt";

    private static void injectFailure() {
        TaskContext tc = TaskContext.get();
        if (tc != null && tc.partitionId() == 0 && tc.attemptNumber() == 0 && tc.stageAttemptNumber() == 0) {
            throw new IllegalStateException(FAIL_FIRST_ATTEMPT + ": failure injected in the first attempt of partition 0");
        }
    }

    static ProofRecord prove(RequestProver prover, ParsedRequest p) {
        if (!p.isOk()) {
            return ProofRecord.failed(p.id(), p.error());
        }
        try {
            return prover.prove(p.request());
        } catch (ZksparkException e) {
            return ProofRecord.failed(p.id(), e.getMessage());
        }
    }

    /** No extra files. */
    public static final ProofsTable.ExtraFiles NONE = rows -> Map.of();
}
