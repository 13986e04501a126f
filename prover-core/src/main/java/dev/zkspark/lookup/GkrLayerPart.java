package dev.zkspark.lookup;

import dev.zkspark.core.Parallel;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import java.io.Serializable;

/**
 * One block of a GKR fraction layer's tables (all of them in one JVM, or the nodes whose high
 * variables equal a Spark partition's index): the children p0, L = p1 + lambda q1, q0, q1 of its
 * nodes, and the suffix eq tables of its own variables scaled by eq of the fixed high variables.
 * It computes its share of {@link GkrLayerOracle}'s t(0) and t(2) (and, in the almost impossible
 * case the oracle needs it, t(1)); {@link #fold} returns a new part, so a part is immutable and a
 * recomputed Spark partition yields the same values. Field addition is exact, so the blocks' sums
 * are the whole layer's for any split.
 */
public final class GkrLayerPart implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[][] suffixEq; // suffixEq[j] = scale * eq(r_{>j}, .) over 2^(v-j-1) entries
    private final long[] p0;
    private final long[] l;
    private final long[] q0;
    private final long[] q1;
    private final int round;
    // entries from live on all hold the constants tail = (p0, L, q0, q1), 12 longs (null: no tail)
    private final int live;
    private final long[] tail;

    private GkrLayerPart(long[][] suffixEq, long[] p0, long[] l, long[] q0, long[] q1, int round, int live, long[] tail) {
        this.suffixEq = suffixEq;
        this.p0 = p0;
        this.l = l;
        this.q0 = q0;
        this.q1 = q1;
        this.round = round;
        this.live = tail == null ? p0.length / 3 : live;
        this.tail = tail;
    }

    /**
     * A block of a layer from its children (interleaved extension, 2^v entries each, v = r.size()):
     * {@code r} are the block's own variables of the layer's point and {@code scale} is eq of the
     * point's remaining (high) coordinates at the block's index (one for a whole layer). Takes
     * ownership of the arrays: p1 is overwritten with p1 + lambda q1.
     */
    public static GkrLayerPart of(Point r, Fp3 scale, Fp3 lambda, long[] p0, long[] p1, long[] q0, long[] q1) {
        return of(r, scale, lambda, p0, p1, q0, q1, p1.length / 3);
    }

    /**
     * As above, for tables whose entries from {@code live} on are all equal (the padding of a
     * lookup's leaves, whose subtrees are equal all the way up): those entries are not multiplied
     * in any round. Their sum is the sum of their eq weights (additions only) times the bracket of
     * the constants, and folding keeps them constant, so the round values are the same.
     */
    public static GkrLayerPart of(Point r, Fp3 scale, Fp3 lambda, long[] p0, long[] p1, long[] q0, long[] q1, int live) {
        int n = p1.length / 3;
        int lv = Math.max(0, Math.min(live, n));
        long[] tail = null;
        if (lv < n) {
            tail = new long[12];
            System.arraycopy(p0, 3 * lv, tail, 0, 3);
            Fp3 l = Fp3.get(p1, lv).add(lambda.mul(Fp3.get(q1, lv)));
            l.put(tail, 1);
            System.arraycopy(q0, 3 * lv, tail, 6, 3);
            System.arraycopy(q1, 3 * lv, tail, 9, 3);
            fillTail(p1, lv, tail, 3);
        }
        Parallel.forRange(lv, (from, to) -> {
            long[] t = new long[3];
            for (int i = from; i < to; i++) {
                int a = 3 * i;
                Fp3.mulInto(lambda.c0, lambda.c1, lambda.c2, q1[a], q1[a + 1], q1[a + 2], t, 0);
                p1[a] = Goldilocks.add(p1[a], t[0]);
                p1[a + 1] = Goldilocks.add(p1[a + 1], t[1]);
                p1[a + 2] = Goldilocks.add(p1[a + 2], t[2]);
            }
        });
        return ofCombined(r, scale, p0, p1, q0, q1, lv, tail);
    }

    /** t[i] = tail[o..o+2] for every entry i from {@code from} on (a table's constant tail). */
    private static void fillTail(long[] t, int from, long[] tail, int o) {
        long c0 = tail[o], c1 = tail[o + 1], c2 = tail[o + 2];
        for (int i = 3 * from; i < t.length; i += 3) {
            t[i] = c0;
            t[i + 1] = c1;
            t[i + 2] = c2;
        }
    }

    /** A block whose second table is already L = p1 + lambda q1 (a gathered, partly folded layer). */
    public static GkrLayerPart ofCombined(Point r, Fp3 scale, long[] p0, long[] l, long[] q0, long[] q1) {
        return ofCombined(r, scale, p0, l, q0, q1, p0.length / 3, null);
    }

    private static GkrLayerPart ofCombined(Point r, Fp3 scale, long[] p0, long[] l, long[] q0, long[] q1, int live, long[] tail) {
        int v = r.size();
        if (p0.length != 3 << v || l.length != p0.length || q0.length != p0.length || q1.length != p0.length) {
            throw new IllegalArgumentException("a layer block of " + v + " variables needs four tables of 2^" + v + " entries");
        }
        long[][] suffixEq = new long[v][];
        if (v > 0) {
            suffixEq[0] = Mle.eqTableScaled(r.slice(1, v), scale);
            for (int j = 1; j < v; j++) {
                suffixEq[j] = pairSums(suffixEq[j - 1]);
            }
        }
        return new GkrLayerPart(suffixEq, p0, l, q0, q1, 0, live, tail);
    }

    /** out[y] = e[2y] + e[2y+1] over an interleaved extension table. */
    private static long[] pairSums(long[] e) {
        int half = e.length / 6;
        long[] out = new long[3 * half];
        Parallel.forRange(half, (from, to) -> {
            for (int y = from; y < to; y++) {
                for (int c = 0; c < 3; c++) {
                    out[3 * y + c] = Goldilocks.add(e[6 * y + c], e[6 * y + 3 + c]);
                }
            }
        });
        return out;
    }

    /** Variables not bound yet. */
    public int remainingVars() {
        return suffixEq.length - round;
    }

    /** This block's t(0) and t(2) of the current round: sum_i e_i (p0 q1 + q0 L) at X = 0, 2. */
    public Fp3[] t02() {
        requireUnbound();
        int half = p0.length / 6;
        long[] e = suffixEq[round];
        int livePairs = (live + 1) / 2; // pairs from here on have both entries in the constant tail
        Fp3[][] parts = Parallel.mapRanges(half, Fp3[][]::new, (from, to) -> sums(e, from, to, livePairs));
        Fp3 t0 = Fp3.ZERO;
        Fp3 t2 = Fp3.ZERO;
        for (Fp3[] p : parts) {
            t0 = t0.add(p[0]);
            t2 = t2.add(p[1]);
        }
        return new Fp3[] {t0, t2};
    }

    private Fp3[] sums(long[] e, int from, int to, int livePairs) {
        long[] acc = new long[6]; // t(0), t(2)
        long[] a = new long[3];
        long[] b = new long[3];
        long[] v = new long[12]; // p0, q1, q0, L at X
        int stop = Math.min(to, livePairs);
        for (int i = from; i < stop; i++) {
            int lo = 6 * i;
            int hi = lo + 3;
            for (int x = 0; x <= 2; x += 2) {
                // values at X (0: lo; 2: 2 hi - lo)
                load(p0, lo, hi, x, v, 0);
                load(q1, lo, hi, x, v, 3);
                load(q0, lo, hi, x, v, 6);
                load(l, lo, hi, x, v, 9);
                Fp3.mulInto(v[0], v[1], v[2], v[3], v[4], v[5], a, 0);
                Fp3.mulInto(v[6], v[7], v[8], v[9], v[10], v[11], b, 0);
                long in0 = Goldilocks.add(a[0], b[0]);
                long in1 = Goldilocks.add(a[1], b[1]);
                long in2 = Goldilocks.add(a[2], b[2]);
                Fp3.mulInto(e[3 * i], e[3 * i + 1], e[3 * i + 2], in0, in1, in2, a, 0);
                int o = x == 0 ? 0 : 3;
                acc[o] = Goldilocks.add(acc[o], a[0]);
                acc[o + 1] = Goldilocks.add(acc[o + 1], a[1]);
                acc[o + 2] = Goldilocks.add(acc[o + 2], a[2]);
            }
        }
        Fp3 t0 = Fp3.get(acc, 0);
        Fp3 t2 = Fp3.get(acc, 1);
        if (tail != null && Math.max(from, livePairs) < to) {
            // constant pairs: the same bracket at X = 0 and X = 2, weighted by the sum of their e_i
            long s0 = 0, s1 = 0, s2 = 0;
            for (int i = Math.max(from, livePairs); i < to; i++) {
                s0 = Goldilocks.add(s0, e[3 * i]);
                s1 = Goldilocks.add(s1, e[3 * i + 1]);
                s2 = Goldilocks.add(s2, e[3 * i + 2]);
            }
            Fp3 bracket = Fp3.get(tail, 0).mul(Fp3.get(tail, 3)).add(Fp3.get(tail, 2).mul(Fp3.get(tail, 1)));
            Fp3 c = new Fp3(s0, s1, s2).mul(bracket);
            t0 = t0.add(c);
            t2 = t2.add(c);
        }
        return new Fp3[] {t0, t2};
    }

    private static void load(long[] t, int lo, int hi, int x, long[] v, int o) {
        if (x == 0) {
            v[o] = t[lo];
            v[o + 1] = t[lo + 1];
            v[o + 2] = t[lo + 2];
        } else {
            v[o] = Goldilocks.sub(Goldilocks.add(t[hi], t[hi]), t[lo]);
            v[o + 1] = Goldilocks.sub(Goldilocks.add(t[hi + 1], t[hi + 1]), t[lo + 1]);
            v[o + 2] = Goldilocks.sub(Goldilocks.add(t[hi + 2], t[hi + 2]), t[lo + 2]);
        }
    }

    /** This block's t(1), summed directly (the oracle asks only if C_j r_j = 0, probability about 2^-190). */
    public Fp3 t1() {
        requireUnbound();
        int half = p0.length / 6;
        long[] e = suffixEq[round];
        Fp3 t = Fp3.ZERO;
        for (int i = 0; i < half; i++) {
            Fp3 a0 = Fp3.get(p0, 2 * i + 1), b0 = Fp3.get(q0, 2 * i + 1), b1 = Fp3.get(q1, 2 * i + 1), li = Fp3.get(l, 2 * i + 1);
            Fp3 in = a0.mul(b1).add(b0.mul(li));
            t = t.add(Fp3.get(e, i).mul(in));
        }
        return t;
    }

    /** The block with its lowest unbound variable bound to rho (a new part; this one is unchanged). */
    public GkrLayerPart fold(Fp3 rho) {
        requireUnbound();
        int half = p0.length / 6;
        int livePairs = Math.min(half, (live + 1) / 2); // a folded constant pair is the constant
        return new GkrLayerPart(suffixEq, folded(p0, half, livePairs, rho, 0), folded(l, half, livePairs, rho, 3),
                folded(q0, half, livePairs, rho, 6), folded(q1, half, livePairs, rho, 9), round + 1, livePairs, tail);
    }

    private long[] folded(long[] t, int half, int livePairs, Fp3 rho, int tailAt) {
        long[] out = new long[3 * half];
        Mle.foldExt(t, livePairs, rho, out);
        if (tail != null) {
            fillTail(out, livePairs, tail, tailAt);
        }
        return out;
    }

    private void requireUnbound() {
        if (round >= suffixEq.length) {
            throw new IllegalStateException("every variable of this layer block is bound");
        }
    }

    /** The current tables p0, L, q0, q1 (interleaved extension; to gather blocks; not copies). */
    public long[][] tables() {
        return new long[][] {p0, l, q0, q1};
    }
}
