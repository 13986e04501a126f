package dev.zkspark.lookup;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import java.util.HashMap;
import java.util.Map;

/**
 * A lookup table: a range [lo, lo + 2^k) (entries lo + x, whose extension the verifier evaluates in
 * O(k)) or a function table of (x, f(x)) pairs (the verifier rebuilds it, O(size)). Pairs are
 * compressed with a challenge beta as x + beta y. A function table whose size is not a power of two
 * is padded by repeating its last pair; the padding rows get multiplicity 0, and a repeated entry
 * adds nothing to the set of allowed values, so padding is sound.
 */
public final class Table {
    private final String name;
    private final long lo;
    private final int k;
    private final long[] xs;
    private final long[] ys;
    /** x -> first row holding it, built when the prover first looks a row up (a verifier or planner never does). */
    private Map<Long, Integer> index;

    private Table(String name, long lo, int k, long[] xs, long[] ys) {
        this.name = name;
        this.lo = lo;
        this.k = k;
        this.xs = xs;
        this.ys = ys;
    }

    private synchronized Map<Long, Integer> index() {
        if (index == null) {
            Map<Long, Integer> m = new HashMap<>();
            for (int i = xs.length - 1; i >= 0; i--) {
                m.put(xs[i], i);
            }
            index = m;
        }
        return index;
    }

    /** Signed integers [lo, lo + 2^k), embedded in the field. */
    public static Table range(String name, long lo, int k) {
        if (k < 1 || k > 30) {
            throw new IllegalArgumentException("range tables have 2^1..2^30 entries, got 2^" + k);
        }
        return new Table(name, lo, k, null, null);
    }

    /** Pairs (xs[i], ys[i]) of signed integers with distinct xs; padded to a power of two. */
    public static Table function(String name, long[] xs, long[] ys) {
        if (xs.length == 0 || xs.length != ys.length) {
            throw new IllegalArgumentException("function table needs equally many xs and ys");
        }
        int n = Integer.highestOneBit(xs.length) == xs.length ? xs.length : Integer.highestOneBit(xs.length) << 1;
        n = Math.max(n, 2);
        long[] px = new long[n];
        long[] py = new long[n];
        for (int i = 0; i < n; i++) {
            int j = Math.min(i, xs.length - 1);
            px[i] = Goldilocks.fromSigned(xs[j]);
            py[i] = Goldilocks.fromSigned(ys[j]);
        }
        long[] sorted = java.util.Arrays.copyOf(px, xs.length); // field values: distinct inputs as the index saw them
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("function table " + name + " has repeated inputs");
            }
        }
        return new Table(name, 0, Integer.numberOfTrailingZeros(n), px, py);
    }

    public String name() {
        return name;
    }

    public boolean isPairs() {
        return xs != null;
    }

    public int numVars() {
        return k;
    }

    public int size() {
        return 1 << k;
    }

    /** Row of the table holding field value x (and y for pairs), or -1 if absent. */
    int rowOf(long x, long y) {
        if (xs == null) {
            long v = Goldilocks.sub(x, Goldilocks.fromSigned(lo));
            return Long.compareUnsigned(v, size()) < 0 ? (int) v : -1;
        }
        Integer i = index().get(x);
        return i != null && ys[i] == y ? i : -1;
    }

    /** The compressed entry x_j + beta y_j (prover side). */
    Fp3 compressedAt(int j, Fp3 beta) {
        return xs == null ? Fp3.of(Goldilocks.add(Goldilocks.fromSigned(lo), j)) : beta.mul(ys[j]).add(Fp3.of(xs[j]));
    }

    /** The verifier's evaluation of the compressed table's extension at r. */
    public Fp3 evaluate(Point r, Fp3 beta) {
        if (r.size() != k) {
            throw new IllegalArgumentException("table point has the wrong size");
        }
        if (xs == null) {
            // lo + sum_i 2^i r_i: the extension of x -> lo + x
            Fp3 acc = Fp3.of(Goldilocks.fromSigned(lo));
            long pow = 1;
            for (int i = 0; i < k; i++) {
                acc = acc.add(r.get(i).mul(pow));
                pow = Goldilocks.add(pow, pow);
            }
            return acc;
        }
        return Mle.base(xs).evaluate(r).add(beta.mul(Mle.base(ys).evaluate(r)));
    }
}
