package dev.zkspark.lookup;

import dev.zkspark.core.Parallel;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.poly.Univariate;
import dev.zkspark.sumcheck.RoundOracle;

/**
 * A fast prover for one GKR fraction layer, sum_y eq(r, y) [p0 q1 + p1 q0 + lambda q0 q1]: it yields
 * exactly the round polynomials of the generic prover on {@link FractionalSum}'s expression (so the
 * generic verifier checks it), computed with the eq factorisation (Gruen 2024): in round j,
 * eq(r, y) = C_j eq(r_j, X) eq(r_{>j}, y_{>j}), so the round polynomial is
 * C_j eq(r_j, X) t(X) with t quadratic. Only t(0) and t(2) are summed over the tables (with the
 * half-size suffix eq table); t(1) follows from the running claim and t(3) by extrapolation. That
 * halves the extension multiplications of the generic degree-3 kernel.
 *
 * <p>Two more savings, neither changing a value sent: the oracle keeps L = p1 + lambda q1 in place
 * of p1 (folding is linear, so folded L is L of the folded tables), so the bracket is
 * p0 q1 + q0 L: three extension multiplications per point instead of four, for one per entry
 * when the layer starts; p1 = L - lambda q1 is recovered for the final values. The suffix eq
 * tables are built from one product table by pairwise sums, eq(r_{>j}, y) =
 * eq(r_{>j-1}, (0, y)) + eq(r_{>j-1}, (1, y)), instead of one product table per round.
 */
final class GkrLayerOracle implements RoundOracle {
    private final Point r;
    private final Fp3 lambda;
    private final long[][] suffixEq; // suffixEq[j] = eq(r_{>j}, .) over 2^(m-j-1) entries
    private long[] p0;
    private long[] l; // p1 + lambda q1
    private long[] q0;
    private long[] q1;
    private int round;
    private Fp3 claim;
    private Fp3 prefix = Fp3.ONE; // C_j = eq(r_{<j}, rho_{<j})
    private Fp3[] last;

    /**
     * The layer's children tables (interleaved extension, 2^m entries each). The oracle takes
     * ownership of the arrays: p1 is overwritten with p1 + lambda q1.
     */
    GkrLayerOracle(Point r, Fp3 lambda, Fp3 claim, long[] p0, long[] p1, long[] q0, long[] q1) {
        this.r = r;
        this.lambda = lambda;
        this.claim = claim;
        this.p0 = p0;
        this.q0 = q0;
        this.q1 = q1;
        this.l = p1;
        int n = p1.length / 3;
        Parallel.forRange(n, (from, to) -> {
            long[] t = new long[3];
            for (int i = from; i < to; i++) {
                int a = 3 * i;
                Fp3.mulInto(lambda.c0, lambda.c1, lambda.c2, q1[a], q1[a + 1], q1[a + 2], t, 0);
                p1[a] = Goldilocks.add(p1[a], t[0]);
                p1[a + 1] = Goldilocks.add(p1[a + 1], t[1]);
                p1[a + 2] = Goldilocks.add(p1[a + 2], t[2]);
            }
        });
        int m = r.size();
        suffixEq = new long[m][];
        if (m > 0) {
            suffixEq[0] = Mle.eqTable(r.slice(1, m)).data();
            for (int j = 1; j < m; j++) {
                suffixEq[j] = pairSums(suffixEq[j - 1]);
            }
        }
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

    @Override
    public Fp3[][] roundValues(boolean[] active, int deg) {
        int half = p0.length / 6;
        long[] e = suffixEq[round];
        Fp3[][] parts = Parallel.mapRanges(half, Fp3[][]::new, (from, to) -> sums(e, from, to));
        Fp3 t0 = Fp3.ZERO;
        Fp3 t2 = Fp3.ZERO;
        for (Fp3[] p : parts) {
            t0 = t0.add(p[0]);
            t2 = t2.add(p[1]);
        }
        Fp3 rj = r.get(round);
        Fp3 e0 = Fp3.ONE.sub(rj); // eq(r_j, 0)
        Fp3 e1 = rj; // eq(r_j, 1)
        Fp3 e2 = rj.mul(3).sub(Fp3.ONE); // eq(r_j, 2) = 2 r_j - (1 - r_j)
        Fp3 e3 = rj.mul(5).sub(Fp3.of(2)); // eq(r_j, 3) = 3 r_j - 2 (1 - r_j)
        Fp3 s0 = prefix.mul(e0).mul(t0);
        Fp3 s1 = claim.sub(s0);
        Fp3 ce1 = prefix.mul(e1);
        Fp3 t1 = ce1.isZero() ? direct1() : s1.mul(ce1.inv());
        // t quadratic: t(3) = t(0) - 3 t(1) + 3 t(2)
        Fp3 t3 = t0.sub(t1.mul(3)).add(t2.mul(3));
        Fp3 s2 = prefix.mul(e2).mul(t2);
        Fp3 s3 = prefix.mul(e3).mul(t3);
        last = new Fp3[] {s0, s1, s2, s3};
        return new Fp3[][] {{s0, Fp3.ZERO, s2, s3}};
    }

    /** t(0) and t(2) over pairs [from, to): sum_i e_i (p0 q1 + q0 L) at X. */
    private Fp3[] sums(long[] e, int from, int to) {
        long[] acc = new long[6]; // t(0), t(2)
        long[] a = new long[3];
        long[] b = new long[3];
        long[] v = new long[12]; // p0, q1, q0, L at X
        for (int i = from; i < to; i++) {
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
        return new Fp3[] {Fp3.get(acc, 0), Fp3.get(acc, 1)};
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

    /** t(1) summed directly (only if C_j r_j = 0, which happens with probability about 2^-190). */
    private Fp3 direct1() {
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

    @Override
    public void fold(boolean[] active, Fp3 rho) {
        claim = Univariate.evaluateFromValues(last, rho);
        prefix = prefix.mul(Mle.eq(new Point(r.get(round)), new Point(rho)));
        int half = p0.length / 6;
        p0 = folded(p0, half, rho);
        l = folded(l, half, rho);
        q0 = folded(q0, half, rho);
        q1 = folded(q1, half, rho);
        round++;
    }

    private static long[] folded(long[] t, int half, Fp3 rho) {
        long[] out = new long[3 * half];
        Mle.foldExt(t, half, rho, out);
        return out;
    }

    @Override
    public Fp3[] finalValues(int i) {
        Fp3 fq1 = Fp3.get(q1, 0);
        Fp3 fp1 = Fp3.get(l, 0).sub(lambda.mul(fq1));
        return new Fp3[] {prefix, Fp3.get(p0, 0), fp1, Fp3.get(q0, 0), fq1, prefix.mul(lambda)};
    }
}
