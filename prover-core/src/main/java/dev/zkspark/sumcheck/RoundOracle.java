package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;

/**
 * Where the prover's tables live: in this JVM ({@link LocalOracle}) or spread over Spark partitions
 * (spark-jobs). {@link SumcheckProver} drives the protocol (transcript, batching, late-joining
 * instances) and asks the oracle only for round values and folds, so every oracle yields the same
 * proof bytes.
 */
public interface RoundOracle {
    /** Round values at X = 0..deg (index 1 unused) of each active instance; null for inactive ones. */
    Fp3[][] roundValues(boolean[] active, int deg);

    /** Binds the current lowest variable of each active instance to r. */
    void fold(boolean[] active, Fp3 r);

    /** Final table values of instance i once all its variables are bound. */
    Fp3[] finalValues(int i);

    /** The oracle holding all tables in one chunk in this JVM. */
    final class LocalOracle implements RoundOracle {
        private SumcheckChunk chunk;

        public LocalOracle(SumcheckChunk chunk) {
            this.chunk = chunk;
        }

        @Override
        public Fp3[][] roundValues(boolean[] active, int deg) {
            return chunk.roundValues(active, deg);
        }

        @Override
        public void fold(boolean[] active, Fp3 r) {
            chunk = chunk.fold(active, r);
        }

        @Override
        public Fp3[] finalValues(int i) {
            return chunk.values(i);
        }
    }
}
