package dev.zkspark.poly;

import dev.zkspark.core.Parallel;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;

/**
 * A multilinear polynomial given by its evaluations on the boolean hypercube {0,1}^n, stored either
 * over the base field ({@code long[2^n]}) or over F_p^3 (interleaved {@code long[3 * 2^n]}).
 *
 * <p>Index x of the table is the point whose variable i is bit i of x (little-endian, DESIGN §3).
 * Binding variable 0 combines entries 2i and 2i+1, a sequential pass over memory.
 *
 * <p>The table array is shared, not copied: callers must not mutate it after construction.
 */
public final class Mle {
    private final long[] data;
    private final boolean ext;
    private final int numVars;

    private Mle(long[] data, boolean ext, int numVars) {
        this.data = data;
        this.ext = ext;
        this.numVars = numVars;
    }

    /** A base-field table of length 2^n. */
    public static Mle base(long[] evals) {
        return new Mle(evals, false, log2Exact(evals.length));
    }

    /** An extension-field table, interleaved, of 2^n elements. */
    public static Mle ext(long[] interleaved) {
        if (interleaved.length % 3 != 0) {
            throw new IllegalArgumentException("interleaved Fp3 table length must be a multiple of 3");
        }
        return new Mle(interleaved, true, log2Exact(interleaved.length / 3));
    }

    /** A base table padded with zeros to the next power of two (zero padding, DESIGN §3). */
    public static Mle basePadded(long[] evals) {
        int n = Math.max(1, Integer.highestOneBit(Math.max(1, evals.length - 1)) << 1);
        if (evals.length == 1) {
            n = 1;
        }
        long[] t = new long[n];
        System.arraycopy(evals, 0, t, 0, evals.length);
        return base(t);
    }

    public static int log2Exact(int n) {
        if (n <= 0 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("table length must be a power of two, got " + n);
        }
        return Integer.numberOfTrailingZeros(n);
    }

    public boolean isExt() {
        return ext;
    }

    public int numVars() {
        return numVars;
    }

    public int size() {
        return 1 << numVars;
    }

    /** The backing array (base: long[2^n]; ext: interleaved long[3 * 2^n]). Do not mutate. */
    public long[] data() {
        return data;
    }

    /** Entry x of the table as an extension element. */
    public Fp3 get(int x) {
        return ext ? Fp3.get(data, x) : Fp3.of(data[x]);
    }

    /** Evaluates at a point of n coordinates (coordinate i binds variable i), in O(2^n). */
    public Fp3 evaluate(Point r) {
        if (r.size() != numVars) {
            throw new IllegalArgumentException("point has " + r.size() + " coordinates, polynomial " + numVars);
        }
        if (!ext && numVars >= 4) {
            return evaluateBase(r);
        }
        return partialEvaluate(r).get(0);
    }

    /**
     * Base tables: f~(r) = sum_hi eq(r_hi, hi) sum_lo eq(r_lo, lo) t[hi 2^L + lo] with the low half of
     * the variables in the inner sum, computed as three delayed-reduction inner products per row
     * (one per extension coordinate of eq(r_lo, .)): about 7 ns per entry instead of a fold's 15+.
     */
    private Fp3 evaluateBase(Point r) {
        int lo = numVars / 2;
        int rowLen = 1 << lo;
        int rows = 1 << (numVars - lo);
        long[] eqLo = eqTable(r.slice(0, lo)).data;
        long[] eqHi = eqTable(r.slice(lo, numVars)).data;
        long[] c0 = new long[rowLen], c1 = new long[rowLen], c2 = new long[rowLen];
        for (int j = 0; j < rowLen; j++) {
            c0[j] = eqLo[3 * j];
            c1[j] = eqLo[3 * j + 1];
            c2[j] = eqLo[3 * j + 2];
        }
        Fp3[] parts = Parallel.mapRanges(rows, Fp3[]::new, (from, to) -> {
            long[] row = new long[rowLen];
            long[] acc = new long[3];
            long[] tmp = new long[3];
            for (int i = from; i < to; i++) {
                System.arraycopy(data, i * rowLen, row, 0, rowLen);
                long v0 = Goldilocks.innerProduct(row, c0, rowLen);
                long v1 = Goldilocks.innerProduct(row, c1, rowLen);
                long v2 = Goldilocks.innerProduct(row, c2, rowLen);
                Fp3.mulInto(v0, v1, v2, eqHi[3 * i], eqHi[3 * i + 1], eqHi[3 * i + 2], tmp, 0);
                acc[0] = Goldilocks.add(acc[0], tmp[0]);
                acc[1] = Goldilocks.add(acc[1], tmp[1]);
                acc[2] = Goldilocks.add(acc[2], tmp[2]);
            }
            return new Fp3(acc[0], acc[1], acc[2]);
        });
        Fp3 sum = Fp3.ZERO;
        for (Fp3 p : parts) {
            sum = sum.add(p);
        }
        return sum;
    }

    /** Binds variables 0..k-1 to the k coordinates of r, returning a table over the remaining ones. */
    public Mle partialEvaluate(Point r) {
        if (r.size() > numVars) {
            throw new IllegalArgumentException("too many coordinates: " + r.size() + " > " + numVars);
        }
        Mle cur = this;
        for (int i = 0; i < r.size(); i++) {
            cur = cur.fold(r.get(i));
        }
        return cur;
    }

    /** Binds variable 0 to r: out[i] = t[2i] + r (t[2i+1] - t[2i]). */
    public Mle fold(Fp3 r) {
        int half = size() >>> 1;
        if (numVars == 0) {
            throw new IllegalStateException("no variable left to bind");
        }
        long[] out = new long[3 * half];
        if (ext) {
            foldExt(data, half, r, out);
        } else {
            foldBase(data, half, r, out);
        }
        return new Mle(out, true, numVars - 1);
    }

    /** out (ext, half entries) = fold of a base table of 2*half entries by an extension challenge. */
    public static void foldBase(long[] t, int half, Fp3 r, long[] out) {
        Parallel.forRange(half, (from, to) -> foldBaseRange(t, from, to, r, out));
    }

    private static void foldBaseRange(long[] t, int from, int to, Fp3 r, long[] out) {
        long r0 = r.c0, r1 = r.c1, r2 = r.c2;
        for (int i = from; i < to; i++) {
            long lo = t[2 * i];
            long d = Goldilocks.sub(t[2 * i + 1], lo);
            out[3 * i] = Goldilocks.add(lo, Goldilocks.mul(r0, d));
            out[3 * i + 1] = Goldilocks.mul(r1, d);
            out[3 * i + 2] = Goldilocks.mul(r2, d);
        }
    }

    /** out (ext, half entries) = fold of an ext table of 2*half entries; out must not alias t. */
    public static void foldExt(long[] t, int half, Fp3 r, long[] out) {
        Parallel.forRange(half, (from, to) -> foldExtRange(t, from, to, r, out));
    }

    private static void foldExtRange(long[] t, int from, int to, Fp3 r, long[] out) {
        long r0 = r.c0, r1 = r.c1, r2 = r.c2;
        long[] tmp = new long[3];
        for (int i = from; i < to; i++) {
            int a = 6 * i;
            long l0 = t[a], l1 = t[a + 1], l2 = t[a + 2];
            long d0 = Goldilocks.sub(t[a + 3], l0);
            long d1 = Goldilocks.sub(t[a + 4], l1);
            long d2 = Goldilocks.sub(t[a + 5], l2);
            Fp3.mulInto(r0, r1, r2, d0, d1, d2, tmp, 0);
            out[3 * i] = Goldilocks.add(l0, tmp[0]);
            out[3 * i + 1] = Goldilocks.add(l1, tmp[1]);
            out[3 * i + 2] = Goldilocks.add(l2, tmp[2]);
        }
    }

    /**
     * The table of eq(r, x) over all x in {0,1}^n (variable i of x is bit i), built in O(2^n):
     * eq(r, x) = prod_i (r_i x_i + (1 - r_i)(1 - x_i)).
     */
    public static Mle eqTable(Point r) {
        return ext(eqTableScaled(r, Fp3.ONE));
    }

    /** scale * eq(r, x) for all x, interleaved. */
    public static long[] eqTableScaled(Point r, Fp3 scale) {
        int n = r.size();
        long[] t = new long[3 << n];
        scale.put(t, 0);
        long[] tmp = new long[3];
        for (int k = 0; k < n; k++) {
            Fp3 rk = r.get(k);
            int len = 1 << k;
            for (int i = 0; i < len; i++) {
                // new[i + len] = old[i] * r_k ; new[i] = old[i] - new[i + len]
                Fp3.mulInto(t[3 * i], t[3 * i + 1], t[3 * i + 2], rk.c0, rk.c1, rk.c2, tmp, 0);
                int j = 3 * (i + len);
                t[j] = tmp[0];
                t[j + 1] = tmp[1];
                t[j + 2] = tmp[2];
                t[3 * i] = Goldilocks.sub(t[3 * i], tmp[0]);
                t[3 * i + 1] = Goldilocks.sub(t[3 * i + 1], tmp[1]);
                t[3 * i + 2] = Goldilocks.sub(t[3 * i + 2], tmp[2]);
            }
        }
        return t;
    }

    /** eq(r, x) for two points of equal length, in O(n). */
    public static Fp3 eq(Point r, Point x) {
        if (r.size() != x.size()) {
            throw new IllegalArgumentException("eq of points of different sizes");
        }
        Fp3 acc = Fp3.ONE;
        for (int i = 0; i < r.size(); i++) {
            Fp3 a = r.get(i);
            Fp3 b = x.get(i);
            // a b + (1 - a)(1 - b) = 1 - a - b + 2ab
            Fp3 ab = a.mul(b);
            acc = acc.mul(Fp3.ONE.sub(a).sub(b).add(ab).add(ab));
        }
        return acc;
    }

    /** eq(r, bits of x) for a hypercube point given as an integer, in O(n). */
    public static Fp3 eqAt(Point r, long x) {
        Fp3 acc = Fp3.ONE;
        for (int i = 0; i < r.size(); i++) {
            Fp3 ri = r.get(i);
            acc = acc.mul(((x >>> i) & 1) == 1 ? ri : Fp3.ONE.sub(ri));
        }
        return acc;
    }
}
