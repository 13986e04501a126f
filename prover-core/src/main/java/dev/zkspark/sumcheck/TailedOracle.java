package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;

/**
 * The shape every distributed oracle shares (DESIGN §6; Spark's are in spark-jobs): for the first {@code localRounds} rounds
 * the partitions hold the tables and compute round values and folds; then the chunks' last values
 * are gathered into one chunk over the high log2(P) variables and the driver finishes locally.
 */
public abstract class TailedOracle implements RoundOracle {
    private final int localRounds;
    private int round;
    private RoundOracle.LocalOracle tail;

    protected TailedOracle(int localRounds) {
        this.localRounds = localRounds;
    }

    /** Round values computed by the partitions (their local variables not all bound yet). */
    protected abstract Fp3[][] distributedRoundValues(boolean[] active, int deg);

    /** Records or applies a fold on the partitions. */
    protected abstract void distributedFold(boolean[] active, Fp3 r);

    /** The partitions' chunks, every local variable bound, assembled into one chunk. */
    protected abstract SumcheckChunk gather();

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

    /**
     * Adds one partition's partial round values into {@code sum} (null entries: inactive instances
     * and the unused X = 1); returns the partial's field-element bytes.
     */
    public static long addPartial(Fp3[][] sum, Fp3[][] p) {
        long bytes = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == null) {
                continue;
            }
            bytes += 24L * p[i].length;
            if (sum[i] == null) {
                sum[i] = p[i].clone();
            } else {
                for (int x = 0; x < p[i].length; x++) {
                    sum[i][x] = sum[i][x] == null ? p[i][x] : p[i][x] == null ? sum[i][x] : sum[i][x].add(p[i][x]);
                }
            }
        }
        return bytes;
    }
}
