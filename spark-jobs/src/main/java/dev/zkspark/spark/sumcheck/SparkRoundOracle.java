package dev.zkspark.spark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.sumcheck.TailedOracle;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * The distributed sumcheck of DESIGN §6: P = 2^k partitions each hold one {@link SumcheckChunk}
 * (the high k variables fixed to the partition index). For the first n - k rounds each partition
 * folds its own chunk and returns its partial round values (a few field elements); the driver adds
 * them, the {@link dev.zkspark.sumcheck.SumcheckProver} extends the transcript, and the challenge
 * travels in the closure of the next round's job. Folding by r_j and computing round j+1 happen in
 * the same Spark job (one job per round for the whole batch). After the local rounds the driver
 * collects one value per table per partition and finishes the last k rounds itself.
 *
 * <p>Field addition is exact and order-independent, so the proof bytes equal the single-JVM
 * prover's for any P. Chunks are immutable and folds deterministic, so a recomputed partition
 * reproduces the same values. Per-round RDDs are cached and the previous one unpersisted; no
 * barrier mode.
 */
public final class SparkRoundOracle extends TailedOracle {
    private JavaRDD<SumcheckChunk> current;
    private JavaRDD<SumcheckChunk> previous;
    private int jobs;
    private long bytesCollected;

    /**
     * @param chunks an RDD whose partition c holds exactly chunk c of {@code count} (in order)
     * @param numVars the largest instance's number of variables
     * @param count the number of chunks P, a power of two
     */
    public SparkRoundOracle(JavaRDD<SumcheckChunk> chunks, int numVars, int count) {
        super(numVars - Integer.numberOfTrailingZeros(count));
        int k = Integer.numberOfTrailingZeros(count);
        if (Integer.bitCount(count) != 1 || k > numVars) {
            throw new IllegalArgumentException("chunk count must be a power of two at most 2^numVars");
        }
        if (chunks.getNumPartitions() != count) {
            throw new IllegalArgumentException("expected " + count + " partitions, got " + chunks.getNumPartitions());
        }
        this.current = chunks.persist(StorageLevel.MEMORY_ONLY());
    }

    @Override
    protected Fp3[][] distributedRoundValues(boolean[] active, int deg) {
        final boolean[] act = active.clone();
        List<Fp3[][]> parts = current.map(c -> c.roundValues(act, deg)).collect();
        jobs++;
        dropPrevious();
        Fp3[][] sum = new Fp3[active.length][];
        for (Fp3[][] p : parts) {
            bytesCollected += addPartial(sum, p);
        }
        return sum;
    }

    @Override
    protected void distributedFold(boolean[] active, Fp3 r) {
        final boolean[] act = active.clone();
        previous = current;
        // evaluated lazily by the next round's job: fold and next round in one Spark job
        current = current.map(c -> c.fold(act, r)).persist(StorageLevel.MEMORY_ONLY());
    }

    /** Spark jobs launched (one per distributed round plus the final gather). */
    public int jobs() {
        return jobs;
    }

    /** Field-element bytes collected to the driver. */
    public long bytesCollected() {
        return bytesCollected;
    }

    @Override
    protected SumcheckChunk gather() {
        List<SumcheckChunk> chunks = current.collect();
        jobs++;
        for (SumcheckChunk c : chunks) {
            for (int i = 0; i < c.numInstances(); i++) {
                bytesCollected += 24L * 4; // one value per table, a few tables per instance
            }
        }
        dropPrevious();
        current.unpersist(false);
        return SumcheckChunk.assemble(chunks.toArray(new SumcheckChunk[0]));
    }

    private void dropPrevious() {
        if (previous != null) {
            previous.unpersist(false);
            previous = null;
        }
    }
}
