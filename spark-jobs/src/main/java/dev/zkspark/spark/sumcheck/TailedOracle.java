package dev.zkspark.spark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.RoundOracle;
import dev.zkspark.sumcheck.SumcheckChunk;

/**
 * The shape every distributed oracle shares (DESIGN §6): for the first {@code localRounds} rounds
 * the partitions hold the tables and compute round values and folds; then the chunks' last values
 * are gathered into one chunk over the high log2(P) variables and the driver finishes locally.
 */
abstract class TailedOracle implements RoundOracle {
    private final int localRounds;
    private int round;
    private RoundOracle.LocalOracle tail;

    TailedOracle(int localRounds) {
        this.localRounds = localRounds;
    }

    /** Round values computed by the partitions (their local variables not all bound yet). */
    abstract Fp3[][] distributedRoundValues(boolean[] active, int deg);

    /** Records or applies a fold on the partitions. */
    abstract void distributedFold(boolean[] active, Fp3 r);

    /** The partitions' chunks, every local variable bound, assembled into one chunk. */
    abstract SumcheckChunk gather();

    @Override
    public final Fp3[][] roundValues(boolean[] active, int deg) {
        if (tail == null && round >= localRounds) {
            tail = new RoundOracle.LocalOracle(gather());
        }
        return tail != null ? tail.roundValues(active, deg) : distributedRoundValues(active, deg);
    }

    @Override
    public final void fold(boolean[] active, Fp3 r) {
        if (tail != null) {
            tail.fold(active, r);
        } else {
            distributedFold(active, r);
        }
        round++;
    }

    @Override
    public final Fp3[] finalValues(int i) {
        if (tail == null) {
            tail = new RoundOracle.LocalOracle(gather());
        }
        return tail.finalValues(i);
    }
}
