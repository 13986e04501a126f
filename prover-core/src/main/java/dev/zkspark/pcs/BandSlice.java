package dev.zkspark.pcs;

import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.SumcheckChunk;

/**
 * Band {@code index} of {@code count} of a commitment's matrix as {@link RowBands} split it: the
 * rows whose index has its high log2(count) bits equal to {@code index} (of the 2^rowVars rows), so
 * the band's entries [lo, lo + 2^(numVars - log2 count)) are exactly chunk {@code index} of the
 * batching sumcheck's tables with the high variables fixed (DESIGN §6). Of those, {@code len}
 * entries and {@code rows} data rows from {@code firstRow} are committed data (a truncated
 * commitment's last bands hold fewer, or none).
 */
public record BandSlice(int index, int count, long lo, int len, int firstRow, int rows) implements java.io.Serializable {
    private static final Expression PRODUCT = Expression.product(2);

    /** The most bands a commitment splits into: one per chunk of 32 rows, a power of two. */
    public static int maxCount(PcsParams p) {
        return Math.max(1, (1 << p.rowVars()) / PcsParams.CHUNK_ROWS);
    }

    /** {@code wanted} bands (a power of two) capped at {@link #maxCount}. */
    public static int count(PcsParams p, int wanted) {
        if (wanted < 1 || Integer.bitCount(wanted) != 1) {
            throw new IllegalArgumentException("band count must be a power of two, not " + wanted);
        }
        return Math.min(wanted, maxCount(p));
    }

    public static BandSlice of(PcsParams p, int index, int count) {
        if (count != count(p, count) || index < 0 || index >= count) {
            throw new IllegalArgumentException("band " + index + " of " + count + " (at most " + maxCount(p) + ")");
        }
        int bandRows = (1 << p.rowVars()) / count;
        int first = index * bandRows;
        int rows = Math.max(0, Math.min(bandRows, p.rows() - first));
        long size = (long) bandRows * p.cols();
        return new BandSlice(index, count, index * size, (int) Math.min(size, Math.max(0, p.entries() - index * size)), first, rows);
    }

    /** Variables of the band's part of the sumcheck (the low, column-first ones). */
    public int vars(PcsParams p) {
        return p.numVars() - Integer.numberOfTrailingZeros(count);
    }

    /** A band's chunk of the batching sumcheck and its part of the instance's sum. */
    public record Part(SumcheckChunk chunk, Fp3 sum) implements java.io.Serializable {}

    /**
     * The band's chunk of the batching sumcheck's instance P * W from its entries ({@code poly},
     * {@link #len} of them) and the kernel; a band without data holds two zero entries.
     */
    public Part part(PcsParams p, long[] poly, OpeningKernel w) {
        if (poly.length != len) {
            throw new IllegalArgumentException(poly.length + " entries for band " + index + " of " + len);
        }
        long[] pv = len == 0 ? new long[2] : poly;
        long[] wv = len == 0 ? new long[6] : w.slice(lo, vars(p), len);
        SumcheckChunk c = SumcheckChunk.ofPrefixes(new Expression[] {PRODUCT}, new long[][][] {{pv, wv}}, new boolean[][] {{false, true}},
                new int[] {vars(p)}, new int[] {Math.max(2, len)});
        return new Part(c, OpeningKernel.dot(pv, wv));
    }
}
