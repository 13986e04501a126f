package dev.zkspark.spark.jobs;

import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.RequestSpec;
import java.io.Serializable;

/**
 * Proves one request on an executor. Implementations are serializable and deterministic (the same
 * request and prover seed give the same bytes), so Spark may retry a task safely. An unusable
 * request returns {@link ProofRecord#failed} with a one-line reason instead of throwing.
 */
@FunctionalInterface
public interface RequestProver extends Serializable {
    ProofRecord prove(RequestSpec request);
}
