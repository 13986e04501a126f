package dev.zkspark.lookup;

import dev.zkspark.field.Fp3;
import java.io.Serializable;

/**
 * Block c of a {@link SplitFractionTree}: the layers 0..levels of the fraction tree over one
 * contiguous block of leaves (the leaves whose high variables are c). Immutable once built: the
 * children it hands out are copies, so a Spark partition holding it can be recomputed or reused.
 */
public final class FractionSubtree implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int block;
    private final long[][] ps; // ps[level]: interleaved extension
    private final long[][] qs;

    private FractionSubtree(int block, long[][] ps, long[][] qs) {
        this.block = block;
        this.ps = ps;
        this.qs = qs;
    }

    /**
     * Builds block {@code block}'s layers 0..levels from its leaves: numerators in the base field
     * and denominators as interleaved extension values (a power of two of them, or none for a
     * block past the end of a small tree).
     */
    public static FractionSubtree build(int block, long[] pBase, long[] qExt, int levels) {
        if (qExt.length != 3 * pBase.length) {
            throw new IllegalArgumentException("a block needs as many denominators as numerators");
        }
        if (pBase.length > 0 && (Integer.bitCount(pBase.length) != 1 || pBase.length < (1 << levels))) {
            throw new IllegalArgumentException("a block of " + pBase.length + " leaves cannot have " + levels + " levels");
        }
        long[][] ps = new long[levels + 1][];
        long[][] qs = new long[levels + 1][];
        ps[0] = Fp3.lift(pBase, pBase.length);
        qs[0] = qExt;
        for (int k = 1; k <= levels; k++) {
            long[][] up = FractionalSum.parentLayer(ps[k - 1], qs[k - 1]);
            ps[k] = up[0];
            qs[k] = up[1];
        }
        return new FractionSubtree(block, ps, qs);
    }

    /** The block's index c (its leaves' high variables). */
    public int block() {
        return block;
    }

    /** The block's p and q on a level (not copies: read only). */
    public long[][] level(int level) {
        if (level < 0 || level >= ps.length) {
            throw new IllegalStateException("block " + block + " was built with levels 0.." + (ps.length - 1) + ", not level " + level
                    + " (blocks of another split)");
        }
        return new long[][] {ps[level], qs[level]};
    }

    /** Copies of the children p0, p1, q0, q1 of the block's nodes on layer k (read from level k-1). */
    public long[][] children(int k) {
        return FractionalSum.splitChildren(ps[k - 1], qs[k - 1]);
    }
}
