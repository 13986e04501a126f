package dev.zkspark.spark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.lookup.FractionSubtree;
import dev.zkspark.lookup.GkrLayerPart;
import dev.zkspark.lookup.SplitFractionTree;
import dev.zkspark.poly.Point;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * The blocks of a split logUp-GKR tree on Spark partitions (partition c holds
 * {@link FractionSubtree} c): each call of {@link SplitFractionTree.Blocks} is one Spark job, as
 * in {@link SparkRoundOracle}; a fold is recorded lazily and applied by the next round's job. Parts
 * are immutable and built deterministically from the cached subtrees, so a recomputed partition
 * reproduces the same values; the per-round RDDs are cached and the previous one released.
 */
public final class SparkFractionBlocks implements SplitFractionTree.Blocks {
    private final JavaRDD<FractionSubtree> subtrees;
    private JavaRDD<GkrLayerPart> current;
    private JavaRDD<GkrLayerPart> previous;
    private int jobs;
    private long bytesCollected;

    /** @param subtrees partition c holds block c (the caller caches it and releases it after the proof) */
    public SparkFractionBlocks(JavaRDD<FractionSubtree> subtrees) {
        this.subtrees = subtrees;
    }

    @Override
    public long[][][] level(int level) {
        List<long[][]> parts = subtrees.map(st -> st.level(level)).collect();
        jobs++;
        for (long[][] p : parts) {
            bytesCollected += 8L * (p[0].length + p[1].length);
        }
        return parts.toArray(new long[0][][]);
    }

    @Override
    public void startLayer(int k, Point rLow, Point rHigh, Fp3 lambda) {
        release();
        current = subtrees.map(st -> SplitFractionTree.part(st, k, rLow, rHigh, lambda)).persist(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public Fp3[] t02() {
        List<Fp3[]> parts = current.map(GkrLayerPart::t02).collect();
        jobs++;
        dropPrevious();
        Fp3[] sum = {Fp3.ZERO, Fp3.ZERO};
        for (Fp3[] p : parts) {
            sum[0] = sum[0].add(p[0]);
            sum[1] = sum[1].add(p[1]);
            bytesCollected += 48;
        }
        return sum;
    }

    @Override
    public Fp3 t1() {
        List<Fp3> parts = current.map(GkrLayerPart::t1).collect();
        jobs++;
        dropPrevious();
        Fp3 sum = Fp3.ZERO;
        for (Fp3 p : parts) {
            sum = sum.add(p);
            bytesCollected += 24;
        }
        return sum;
    }

    @Override
    public void fold(Fp3 rho) {
        previous = current;
        // evaluated by the next round's job: fold and next round in one Spark job
        current = current.map(p -> p.fold(rho)).persist(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public long[][][] gather() {
        List<long[][]> parts = current.map(GkrLayerPart::tables).collect();
        jobs++;
        for (long[][] p : parts) {
            for (long[] t : p) {
                bytesCollected += 8L * t.length;
            }
        }
        release();
        return parts.toArray(new long[0][][]);
    }

    private void dropPrevious() {
        if (previous != null) {
            previous.unpersist(false);
            previous = null;
        }
    }

    /** Releases the current layer's cached parts. */
    public void release() {
        dropPrevious();
        if (current != null) {
            current.unpersist(false);
            current = null;
        }
    }

    /** Spark jobs launched. */
    public int jobs() {
        return jobs;
    }

    /** Bytes collected to the driver (the cut level, the blocks' sums and the gathered tables). */
    public long bytesCollected() {
        return bytesCollected;
    }
}
