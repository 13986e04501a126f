package dev.zkspark.lookup;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.Subclaim;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckProof;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.sumcheck.SumcheckVerifier;
import dev.zkspark.transcript.Transcript;
import java.util.List;

/**
 * The GKR fractional-sum protocol of logUp-GKR (Papini-Haböck 2023): proves sum_x p(x)/q(x) over
 * {0,1}^n as a binary tree of fraction additions p/q = p0/q0 + p1/q1, i.e. p = p0 q1 + p1 q0 and
 * q = q0 q1, without ever inverting a denominator. Children of node y are leaves (b, y) with b the
 * LOW variable (entries 2y and 2y+1, DESIGN §3).
 *
 * <p>Top-down: from claims p_k(r), q_k(r) on a layer of 2^m nodes, one degree-3 sumcheck over m
 * variables of eq(r, y) [p0 q1 + p1 q0 + lambda q0 q1] (lambda random) gives p0, p1, q0, q1 at a
 * point rho; a random mu then yields claims p_{k+1}(mu, rho), q_{k+1}(mu, rho) on the layer below
 * by the line through the two children. At the leaves the caller discharges p(r) and q(r).
 *
 * <p>Soundness: per layer, the sumcheck errs with probability at most 3m/|F| plus 1/|F| for lambda
 * and 1/|F| for mu (a false pair of claims survives only if a random point hits a root of a nonzero
 * polynomial of degree 1); summed over n layers below 3n^2/|F_p^3| &lt; 2^-180 for n &lt;= 40.
 */
public final class FractionalSum {
    private FractionalSum() {}

    /** What the verifier must check at the leaves: p~(point) = p, q~(point) = q. */
    public record LeafClaim(Point point, Fp3 p, Fp3 q) {}

    /** The proof and the leaf claim the prover derived (equal to the verifier's on success). */
    public record Proved(FractionalSumProof proof, LeafClaim leaves) {}

    private static final Expression LAYER = Expression.builder(6)
            .term(Fp3.ONE, 0, 1, 4) // eq * p0 * q1
            .term(Fp3.ONE, 0, 2, 3) // eq * p1 * q0
            .term(Fp3.ONE, 5, 3, 4) // (lambda * eq) * q0 * q1
            .build();

    /**
     * Proves the fractional sum of the leaves (base-field or extension tables of 2^n entries each,
     * n >= 1; every q must be nonzero for the sum to mean anything, which the caller ensures).
     */
    public static Proved prove(Mle p, Mle q, Transcript t) {
        int n = p.numVars();
        if (n < 1 || q.numVars() != n) {
            throw new IllegalArgumentException("fractional sum needs p and q of equal size >= 2");
        }
        // build the tree bottom-up: layers[k] has 2^(n-k) entries, layers[n] is the root
        long[][] ps = new long[n + 1][];
        long[][] qs = new long[n + 1][];
        ps[0] = toExt(p);
        qs[0] = toExt(q);
        long[] tmp = new long[3];
        for (int k = 1; k <= n; k++) {
            int size = 1 << (n - k);
            long[] pp = new long[3 * size];
            long[] qq = new long[3 * size];
            long[] lp = ps[k - 1];
            long[] lq = qs[k - 1];
            dev.zkspark.core.Parallel.forRange(size, (from, to) -> {
                long[] a = new long[3];
                long[] b = new long[3];
                for (int y = from; y < to; y++) {
                    int c0 = 3 * (2 * y);
                    int c1 = 3 * (2 * y + 1);
                    Fp3.mulInto(lp[c0], lp[c0 + 1], lp[c0 + 2], lq[c1], lq[c1 + 1], lq[c1 + 2], a, 0);
                    Fp3.mulInto(lp[c1], lp[c1 + 1], lp[c1 + 2], lq[c0], lq[c0 + 1], lq[c0 + 2], b, 0);
                    pp[3 * y] = Goldilocks.add(a[0], b[0]);
                    pp[3 * y + 1] = Goldilocks.add(a[1], b[1]);
                    pp[3 * y + 2] = Goldilocks.add(a[2], b[2]);
                    Fp3.mulInto(lq[c0], lq[c0 + 1], lq[c0 + 2], lq[c1], lq[c1 + 1], lq[c1 + 2], qq, 3 * y);
                }
            });
            ps[k] = pp;
            qs[k] = qq;
        }
        Fp3 rootP = Fp3.get(ps[n], 0);
        Fp3 rootQ = Fp3.get(qs[n], 0);
        t.absorbExt("frac/root", rootP, rootQ);
        // layer n-1 has two entries: send them; the verifier checks them against the root
        Fp3[] top = {Fp3.get(ps[n - 1], 0), Fp3.get(ps[n - 1], 1), Fp3.get(qs[n - 1], 0), Fp3.get(qs[n - 1], 1)};
        t.absorbExt("frac/top", top);
        Fp3 mu = t.challengeExt("frac/mu");
        Point r = new Point(mu);
        Fp3 claimP = line(top[0], top[1], mu);
        Fp3 claimQ = line(top[2], top[3], mu);
        SumcheckProof[] proofs = new SumcheckProof[n - 1];
        tmp[0] = 0;
        for (int k = n - 1; k >= 1; k--) {
            // claims on layer k (2^(n-k) entries) at r; children are layer k-1
            int m = n - k;
            long[] lp = ps[k - 1];
            long[] lq = qs[k - 1];
            int size = 1 << m;
            long[] p0 = new long[3 * size];
            long[] p1 = new long[3 * size];
            long[] q0 = new long[3 * size];
            long[] q1 = new long[3 * size];
            for (int y = 0; y < size; y++) {
                System.arraycopy(lp, 6 * y, p0, 3 * y, 3);
                System.arraycopy(lp, 6 * y + 3, p1, 3 * y, 3);
                System.arraycopy(lq, 6 * y, q0, 3 * y, 3);
                System.arraycopy(lq, 6 * y + 3, q1, 3 * y, 3);
            }
            Fp3 lambda = t.challengeExt("frac/lambda");
            Fp3 claim = claimP.add(lambda.mul(claimQ));
            SumcheckProver.Result res = SumcheckProver.prove(List.of(new SumcheckClaim(m, LAYER, claim)),
                    new GkrLayerOracle(r, lambda, claim, p0, p1, q0, q1), t);
            proofs[n - 1 - k] = res.proof();
            Subclaim s = res.subclaims().get(0);
            Fp3 mu2 = t.challengeExt("frac/mu");
            claimP = line(s.value(1), s.value(2), mu2);
            claimQ = line(s.value(3), s.value(4), mu2);
            r = new Point(mu2).concat(s.point());
        }
        return new Proved(new FractionalSumProof(rootP, rootQ, top, proofs), new LeafClaim(r, claimP, claimQ));
    }

    /** Verifies; on success returns the leaf claim to discharge, else null with the verdict's reason. */
    public static Checked verify(int numVars, FractionalSumProof proof, Transcript t) {
        if (numVars < 1) {
            return Checked.fail("fractional sum: no leaves");
        }
        if (proof.layers.length != numVars - 1 || proof.top.length != 4) {
            return Checked.fail("fractional sum: expected " + (numVars - 1) + " layers, proof has " + proof.layers.length);
        }
        t.absorbExt("frac/root", proof.rootP, proof.rootQ);
        Fp3[] top = proof.top;
        // root = top0/top2 + top1/top3
        if (!proof.rootP.equals(top[0].mul(top[3]).add(top[1].mul(top[2]))) || !proof.rootQ.equals(top[2].mul(top[3]))) {
            return Checked.fail("fractional sum: top layer does not add up to the root");
        }
        t.absorbExt("frac/top", top);
        Fp3 mu = t.challengeExt("frac/mu");
        Point r = new Point(mu);
        Fp3 claimP = line(top[0], top[1], mu);
        Fp3 claimQ = line(top[2], top[3], mu);
        for (int k = numVars - 1; k >= 1; k--) {
            int m = numVars - k;
            Fp3 lambda = t.challengeExt("frac/lambda");
            Fp3 claim = claimP.add(lambda.mul(claimQ));
            SumcheckVerifier.Result v = SumcheckVerifier.verify(new SumcheckClaim(m, LAYER, claim), proof.layers[numVars - 1 - k], t);
            if (!v.verdict().isAccepted()) {
                return Checked.fail(v.verdict().within("fractional sum layer " + k).reason());
            }
            Subclaim s = v.subclaims().get(0);
            // the eq tables are the verifier's own: check the prover's final values of them
            Fp3 eqv = Mle.eq(r, s.point());
            if (!s.value(0).equals(eqv) || !s.value(5).equals(eqv.mul(lambda))) {
                return Checked.fail("fractional sum layer " + k + ": wrong eq evaluation");
            }
            Fp3 mu2 = t.challengeExt("frac/mu");
            claimP = line(s.value(1), s.value(2), mu2);
            claimQ = line(s.value(3), s.value(4), mu2);
            r = new Point(mu2).concat(s.point());
        }
        return new Checked(Verdict.accept(), new LeafClaim(r, claimP, claimQ));
    }

    /** A verdict and, if accepted, the leaf claim. */
    public record Checked(Verdict verdict, LeafClaim leaves) {
        static Checked fail(String why) {
            return new Checked(Verdict.reject(why), null);
        }
    }

    /** The line through (0, a) and (1, b) at x: a + x (b - a). */
    static Fp3 line(Fp3 a, Fp3 b, Fp3 x) {
        return a.add(x.mul(b.sub(a)));
    }

    private static long[] toExt(Mle m) {
        return m.isExt() ? m.data().clone() : Fp3.lift(m.data(), m.size());
    }
}
