package dev.zkspark.pcs;

import java.util.ArrayList;
import java.util.List;

/**
 * An aligned subcube of a tensor's index space {0,1}^n: the indices whose bits outside
 * {@code freeMask} equal {@code fixed}. A zero-padded tensor (a model's 288 x 288 matrix inside its
 * 512 x 512 power-of-two shape) is committed as the pieces that cover its real entries, so the
 * padding costs nothing; the padded tensor is zero outside its pieces by definition.
 *
 * <p>Why claims carry over: eq(z, x) factorises over the bits, so for a tensor T zero outside the
 * disjoint pieces p, T~(z) = sum_p eq(z|fixed bits of p, fixed_p) * P_p~(z|free bits of p), where
 * P_p is the table of p's entries in index order and z|S the coordinates of z at the positions S in
 * increasing order. An entry T[s] is P_p[local(s)] for the piece p holding s, and 0 if none does.
 * The rewrite is an identity of polynomials, computed by the verifier from the commitment's region
 * table (which the commitment digest binds), so opening the pieces proves exactly the claims on T.
 */
public record Piece(long freeMask, long fixed) {
    public Piece {
        if ((fixed & freeMask) != 0) {
            throw new IllegalArgumentException("a piece fixes one of its free bits");
        }
    }

    public int numVars() {
        return Long.bitCount(freeMask);
    }

    public boolean contains(long index) {
        return (index & ~freeMask) == fixed;
    }

    public boolean overlaps(Piece o) {
        return ((fixed ^ o.fixed) & ~freeMask & ~o.freeMask) == 0;
    }

    /** The tensor index of local entry {@code local} (its bits deposited on the free positions). */
    public long index(long local) {
        long out = fixed;
        long m = freeMask;
        while (m != 0) {
            long low = m & -m;
            if ((local & 1) != 0) {
                out |= low;
            }
            local >>>= 1;
            m &= m - 1;
        }
        return out;
    }

    /** The local index of tensor index {@code index} (its free bits gathered; contains(index) assumed). */
    public long local(long index) {
        long out = 0;
        int k = 0;
        long m = freeMask;
        while (m != 0) {
            long low = m & -m;
            if ((index & low) != 0) {
                out |= 1L << k;
            }
            k++;
            m &= m - 1;
        }
        return out;
    }

    /** The fewest aligned blocks [a, a + 2^k) of {0..2^bits-1} that together are exactly {@code real}. */
    public static List<long[]> blocks(boolean[] real, int bits) {
        if (real.length != 1 << bits) {
            throw new IllegalArgumentException("an index set over 2^" + bits + " needs 2^" + bits + " flags");
        }
        List<long[]> out = new ArrayList<>();
        cover(real, 0, bits, out);
        return out;
    }

    private static void cover(boolean[] real, int start, int k, List<long[]> out) {
        boolean all = true;
        boolean any = false;
        for (int i = start; i < start + (1 << k); i++) {
            all &= real[i];
            any |= real[i];
        }
        if (all) {
            out.add(new long[] {start, k});
        } else if (any) {
            cover(real, start, k - 1, out);
            cover(real, start + (1 << (k - 1)), k - 1, out);
        }
    }

    /**
     * The pieces of a row-major [2^rowBits, 2^colBits] tensor (a vector: rowBits = 0 and a single
     * row) whose real entries are the rows {@code realRows} times the columns {@code realCols}: the
     * products of the two index sets' aligned blocks (the column index is the low bits).
     */
    public static List<Piece> grid(boolean[] realRows, int rowBits, boolean[] realCols, int colBits) {
        List<Piece> out = new ArrayList<>();
        for (long[] rb : blocks(realRows, rowBits)) {
            for (long[] cb : blocks(realCols, colBits)) {
                long free = ((1L << cb[1]) - 1) | (((1L << rb[1]) - 1) << colBits);
                out.add(new Piece(free, cb[0] | (rb[0] << colBits)));
            }
        }
        return out;
    }
}
