package dev.zkspark.lookup;

import dev.zkspark.field.Fp3;
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
 *
 * <p>The tables live in {@link Parts}: one {@link GkrLayerPart} in this JVM, or blocks on Spark
 * partitions whose partial t(0) and t(2) this oracle adds (it holds only the claim, the running
 * eq prefix and the point).
 */
public final class GkrLayerOracle implements RoundOracle {
    /** Where a layer's tables are: the blocks' summed t(0), t(2) (and t(1)), folds, final values. */
    public interface Parts {
        /** t(0) and t(2) of the current round, summed over the blocks. */
        Fp3[] t02();

        /** t(1) of the current round, summed directly over the blocks. */
        Fp3 t1();

        /** Binds the lowest unbound variable to rho. */
        void fold(Fp3 rho);

        /** p0, L, q0, q1 once every variable is bound. */
        Fp3[] finals();
    }

    /** A layer's tables as one part in this JVM. */
    public static Parts local(GkrLayerPart whole) {
        return new Parts() {
            private GkrLayerPart part = whole;

            @Override
            public Fp3[] t02() {
                return part.t02();
            }

            @Override
            public Fp3 t1() {
                return part.t1();
            }

            @Override
            public void fold(Fp3 rho) {
                part = part.fold(rho);
            }

            @Override
            public Fp3[] finals() {
                long[][] t = part.tables();
                return new Fp3[] {Fp3.get(t[0], 0), Fp3.get(t[1], 0), Fp3.get(t[2], 0), Fp3.get(t[3], 0)};
            }
        };
    }

    private final Point r;
    private final Fp3 lambda;
    private final Parts parts;
    private int round;
    private Fp3 claim;
    private Fp3 prefix = Fp3.ONE; // C_j = eq(r_{<j}, rho_{<j})
    private Fp3[] last;

    /**
     * The layer's children tables (interleaved extension, 2^m entries each). The oracle takes
     * ownership of the arrays: p1 is overwritten with p1 + lambda q1.
     */
    GkrLayerOracle(Point r, Fp3 lambda, Fp3 claim, long[] p0, long[] p1, long[] q0, long[] q1) {
        this(r, lambda, claim, local(GkrLayerPart.of(r, Fp3.ONE, lambda, p0, p1, q0, q1)));
    }

    /** As above, with entries from {@code live} on all equal (see {@link GkrLayerPart#of(Point, Fp3, Fp3, long[], long[], long[], long[], int)}). */
    GkrLayerOracle(Point r, Fp3 lambda, Fp3 claim, long[] p0, long[] p1, long[] q0, long[] q1, int live) {
        this(r, lambda, claim, local(GkrLayerPart.of(r, Fp3.ONE, lambda, p0, p1, q0, q1, live)));
    }

    /** The layer at point r (m variables) with the given lambda and claim, its tables in {@code parts}. */
    public GkrLayerOracle(Point r, Fp3 lambda, Fp3 claim, Parts parts) {
        this.r = r;
        this.lambda = lambda;
        this.claim = claim;
        this.parts = parts;
    }

    @Override
    public Fp3[][] roundValues(boolean[] active, int deg) {
        Fp3[] t02 = parts.t02();
        Fp3 t0 = t02[0];
        Fp3 t2 = t02[1];
        Fp3 rj = r.get(round);
        Fp3 e0 = Fp3.ONE.sub(rj); // eq(r_j, 0)
        Fp3 e1 = rj; // eq(r_j, 1)
        Fp3 e2 = rj.mul(3).sub(Fp3.ONE); // eq(r_j, 2) = 2 r_j - (1 - r_j)
        Fp3 e3 = rj.mul(5).sub(Fp3.of(2)); // eq(r_j, 3) = 3 r_j - 2 (1 - r_j)
        Fp3 s0 = prefix.mul(e0).mul(t0);
        Fp3 s1 = claim.sub(s0);
        Fp3 ce1 = prefix.mul(e1);
        Fp3 t1 = ce1.isZero() ? parts.t1() : s1.mul(ce1.inv());
        // t quadratic: t(3) = t(0) - 3 t(1) + 3 t(2)
        Fp3 t3 = t0.sub(t1.mul(3)).add(t2.mul(3));
        Fp3 s2 = prefix.mul(e2).mul(t2);
        Fp3 s3 = prefix.mul(e3).mul(t3);
        last = new Fp3[] {s0, s1, s2, s3};
        return new Fp3[][] {{s0, Fp3.ZERO, s2, s3}};
    }

    @Override
    public void fold(boolean[] active, Fp3 rho) {
        claim = Univariate.evaluateFromValues(last, rho);
        prefix = prefix.mul(Mle.eq(new Point(r.get(round)), new Point(rho)));
        parts.fold(rho);
        round++;
    }

    @Override
    public Fp3[] finalValues(int i) {
        Fp3[] f = parts.finals();
        Fp3 fq1 = f[3];
        Fp3 fp1 = f[1].sub(lambda.mul(fq1));
        return new Fp3[] {prefix, f[0], fp1, f[2], fq1, prefix.mul(lambda)};
    }
}
