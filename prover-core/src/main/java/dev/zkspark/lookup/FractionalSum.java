package dev.zkspark.lookup;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.Masked;
import dev.zkspark.sumcheck.RoundOracle;
import dev.zkspark.sumcheck.Subclaim;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckProof;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.sumcheck.SumcheckVerifier;
import dev.zkspark.sumcheck.ZkMasks;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
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
 *
 * <p>The zero-knowledge variant ({@link #descendZk}, {@link #proveRootsZk}) runs the same descent
 * with {@link ZkSumcheck}s on {@link Masked} claims and never sends a root or a top value.
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
        Tree tree = Tree.build(p, q);
        int n = tree.n;
        Fp3 rootP = Fp3.get(tree.ps[n], 0);
        Fp3 rootQ = Fp3.get(tree.qs[n], 0);
        t.absorbExt("frac/root", rootP, rootQ);
        // layer n-1 has two entries: send them; the verifier checks them against the root
        Fp3[] top = tree.top();
        t.absorbExt("frac/top", top);
        Fp3 mu = t.challengeExt("frac/mu");
        Point r = new Point(mu);
        Fp3 claimP = line(top[0], top[1], mu);
        Fp3 claimQ = line(top[2], top[3], mu);
        SumcheckProof[] proofs = new SumcheckProof[n - 1];
        for (int k = n - 1; k >= 1; k--) {
            // claims on layer k (2^(n-k) entries) at r; children are layer k-1
            int m = n - k;
            long[][] ch = tree.children(k);
            Fp3 lambda = t.challengeExt("frac/lambda");
            Fp3 claim = claimP.add(lambda.mul(claimQ));
            SumcheckProver.Result res = SumcheckProver.prove(List.of(new SumcheckClaim(m, LAYER, claim)),
                    new GkrLayerOracle(r, lambda, claim, ch[0], ch[1], ch[2], ch[3], (tree.tails[k - 1] + 1) / 2), t);
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

    /**
     * The fraction tree built bottom-up (prover side): layer k has 2^(n-k) extension entries in
     * ps[k], qs[k]; layer 0 is the leaves, layer n the root.
     */
    static final class Tree implements FractionTree {
        final int n;
        final long[][] ps;
        final long[][] qs;
        // entries from tails[k] on of layer k are all equal (a constant tail, such as a lookup's
        // padding leaves and the subtrees above them): built and proved without multiplications
        final int[] tails;

        private Tree(int n, long[][] ps, long[][] qs, int[] tails) {
            this.n = n;
            this.ps = ps;
            this.qs = qs;
            this.tails = tails;
        }

        static Tree build(Mle p, Mle q) {
            int n = p.numVars();
            if (n < 1 || q.numVars() != n) {
                throw new IllegalArgumentException("fractional sum needs p and q of equal size >= 2");
            }
            long[][] ps = new long[n + 1][];
            long[][] qs = new long[n + 1][];
            ps[0] = toExt(p);
            qs[0] = toExt(q);
            int[] tails = new int[n + 1];
            tails[0] = constantTail(ps[0], qs[0]);
            for (int k = 1; k <= n; k++) {
                long[][] up = parentLayer(ps[k - 1], qs[k - 1], tails[k - 1]);
                ps[k] = up[0];
                qs[k] = up[1];
                tails[k] = (tails[k - 1] + 1) / 2;
            }
            return new Tree(n, ps, qs, tails);
        }

        /** The first index from which every entry of (p, q) equals the last one. */
        static int constantTail(long[] p, long[] q) {
            int size = p.length / 3;
            int t = size - 1;
            while (t > 0 && sameEntry(p, q, t - 1, size - 1)) {
                t--;
            }
            return t;
        }

        private static boolean sameEntry(long[] p, long[] q, int i, int j) {
            for (int c = 0; c < 3; c++) {
                if (p[3 * i + c] != p[3 * j + c] || q[3 * i + c] != q[3 * j + c]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int numVars() {
            return n;
        }

        @Override
        public RoundOracle layer(int k, Point r, Fp3 lambda, Fp3 claim) {
            int live = (tails[k - 1] + 1) / 2; // nodes from here on have both children in layer k-1's tail
            long[][] ch = children(k);
            return new GkrLayerOracle(r, lambda, claim, ch[0], ch[1], ch[2], ch[3], live);
        }

        /** p(0), p(1), q(0), q(1) of layer n-1, the two children of the root (before the descent). */
        @Override
        public Fp3[] top() {
            return new Fp3[] {Fp3.get(ps[n - 1], 0), Fp3.get(ps[n - 1], 1), Fp3.get(qs[n - 1], 0), Fp3.get(qs[n - 1], 1)};
        }

        /**
         * The children of layer k's nodes split by the low variable: p0, p1, q0, q1 (layer k-1).
         * The descent asks for k = n-1 down to 1, after the root and top values; layers k-1 and
         * above are never read again, so they are released here: the peak memory of a descent is
         * then about one copy of the leaves instead of three.
         */
        long[][] children(int k) {
            long[] lp = ps[k - 1];
            long[] lq = qs[k - 1];
            if (lp == null) {
                throw new IllegalStateException("layer " + (k - 1) + " was already released: descend from the top");
            }
            for (int j = k - 1; j <= n; j++) {
                ps[j] = null;
                qs[j] = null;
            }
            return splitChildren(lp, lq);
        }
    }

    /** The parent layer (p, q) of a layer of fractions (interleaved extension, children 2y and 2y+1). */
    static long[][] parentLayer(long[] lp, long[] lq) {
        return parentLayer(lp, lq, lp.length / 3);
    }

    /**
     * As above, for a layer whose entries from {@code tail} on are all equal: the parents of two
     * such entries are equal too, computed once.
     */
    static long[][] parentLayer(long[] lp, long[] lq, int tail) {
        int size = lp.length / 6;
        long[] pp = new long[3 * size];
        long[] qq = new long[3 * size];
        int live = Math.min(size, (tail + 1) / 2);
        if (live < size) {
            // both children are the constant entry c: p = 2 p_c q_c, q = q_c^2
            int c = 2 * live;
            Fp3 pc = Fp3.get(lp, c);
            Fp3 qc = Fp3.get(lq, c);
            long[] cp = {0, 0, 0};
            pc.mul(qc).add(pc.mul(qc)).put(cp, 0);
            long[] cq = {0, 0, 0};
            qc.mul(qc).put(cq, 0);
            for (int y = live; y < size; y++) {
                System.arraycopy(cp, 0, pp, 3 * y, 3);
                System.arraycopy(cq, 0, qq, 3 * y, 3);
            }
        }
        dev.zkspark.core.Parallel.forRange(live, (from, to) -> {
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
        return new long[][] {pp, qq};
    }

    /** A layer's (p, q) split by the low variable into new arrays p0, p1, q0, q1 (the parents' children). */
    static long[][] splitChildren(long[] lp, long[] lq) {
        int size = lp.length / 6;
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
        return new long[][] {p0, p1, q0, q1};
    }

    // ---------------------------------------------------------------------------------------------
    // Zero knowledge (DESIGN §4): nothing of a tree is revealed in the clear. Every layer is a
    // ZkSumcheck whose target is the previous layer's masked claim; its hidden finals p0, p1, q0, q1
    // come back masked (true = revealed - r_b (m_0 + m_1), fresh committed masks per final) and the
    // line through them at mu is the next layer's masked claim. The roots are never sent: one
    // 0-variable ZkSumcheck over the eight hidden top values proves two trees' sums equal.

    /** Where a zero-knowledge descent ends: p~(point) and q~(point), known only masked. */
    record MaskedLeaves(Point point, Masked p, Masked q) {}

    /** The prover's descent: one ZkSumcheck per layer below the top, and where it ends. */
    record ZkDescent(ZkSumcheck.Proof[] layers, MaskedLeaves leaves, List<LinearClaim> maskClaims) {}

    /** The verifier's descent: a verdict and, when accepted, the leaves and the mask claims. */
    record CheckedZk(Verdict verdict, MaskedLeaves leaves, List<LinearClaim> maskClaims) {
        static CheckedZk fail(String why) {
            return new CheckedZk(Verdict.reject(why), null, List.of());
        }
    }

    /** Tables of a layer instance: eq and lambda eq are public, p0, p1, q0, q1 hidden. */
    private static final boolean[] LAYER_HIDDEN = {false, true, true, true, true, false};

    /**
     * Two trees a and b have equal sums iff (pa0 qa1 + pa1 qa0) qb0 qb1 = (pb0 qb1 + pb1 qb0) qa0 qa1,
     * over their top values (tables 0..3: pa0, pa1, qa0, qa1; 4..7: pb0, pb1, qb0, qb1). Degree 4.
     */
    static final Expression ROOTS = Expression.builder(8)
            .term(Fp3.ONE, 0, 3, 6, 7)
            .term(Fp3.ONE, 1, 2, 6, 7)
            .term(Fp3.ONE.neg(), 4, 7, 2, 3)
            .term(Fp3.ONE.neg(), 5, 6, 2, 3)
            .build();

    private static List<ZkSumcheck.Shape> rootsShape() {
        boolean[] hidden = new boolean[8];
        java.util.Arrays.fill(hidden, true);
        return List.of(new ZkSumcheck.Shape(0, ROOTS, hidden, Fp3.ONE));
    }

    private static List<ZkSumcheck.Shape> layerShape(int m) {
        return List.of(new ZkSumcheck.Shape(m, LAYER, LAYER_HIDDEN, Fp3.ONE));
    }

    /** The ROOTS target: 0, in the clear (a public statement: the two sums agree). */
    private static final Masked ROOTS_TARGET = Masked.clear(Fp3.ZERO);

    /**
     * A layer target always carries mask pairs; the slots a ZkSumcheck takes depend only on whether
     * it has any (it then needs at least one variable, which a layer has anyway).
     */
    private static final Masked SOME_MASKED = Masked.of(Fp3.ZERO, 0, Fp3.ONE);

    /** The mask slots of {@link #proveRootsZk}, in the same order. */
    static void reserveRootsZk(ZkMasks masks) {
        ZkSumcheck.reserve(rootsShape(), ROOTS_TARGET, masks);
    }

    /** The mask slots of {@link #descendZk} on a tree of 2^numVars leaves, in the same order. */
    static void reserveDescentZk(int numVars, ZkMasks masks) {
        for (int m = 1; m <= numVars - 1; m++) {
            ZkSumcheck.reserve(layerShape(m), SOME_MASKED, masks);
        }
    }

    /**
     * Proves sum(a) = sum(b) without revealing either root: the eight top values are the hidden
     * tables of one 0-variable instance of {@link #ROOTS} with target 0 (the proof is the b round
     * alone, degree 5). Soundness: 6/|F_p^3| for the sumcheck and rho; the masked finals are
     * discharged by the two descents, which bind them to the trees of the committed leaves.
     *
     * <p>Why no check that qa, qb != 0: the cross-multiplied identity means pa/qa = pb/qb only for
     * nonzero denominators. Once the descents bind the top values to the true trees, qa and qb are
     * the products of the leaf denominators, alpha - w_i (and alpha for padding) and alpha - t_j.
     * The w_i (compressed with beta, drawn before alpha), the t_j and the multiplicities are fixed
     * before alpha is drawn, so some denominator vanishes with probability at most
     * (N + M + 1)/|F_p^3| &lt; 2^-150 for N, M &lt; 2^40. A check would also need the root in the
     * clear, which is what zero knowledge forbids (a zero test on a masked value needs an inverse
     * witness; not worth it against a 2^-150 event).
     */
    static ZkSumcheck.Proved proveRootsZk(FractionTree a, FractionTree b, ZkMasks masks, Transcript t) {
        Fp3[] ta = a.top();
        Fp3[] tb = b.top();
        List<Mle> tables = new ArrayList<>();
        for (Fp3 v : ta) {
            tables.add(single(v));
        }
        for (Fp3 v : tb) {
            tables.add(single(v));
        }
        return ZkSumcheck.prove(rootsShape(), List.of(tables), ROOTS_TARGET, masks, ZkSumcheck.Coins.of(t));
    }

    /** Verifies {@link #proveRootsZk}; the outcome's eight masked finals start the descents. */
    static ZkSumcheck.Checked verifyRootsZk(ZkSumcheck.Proof proof, ZkMasks masks, Transcript t) {
        return ZkSumcheck.verify(rootsShape(), proof, ROOTS_TARGET, masks, ZkSumcheck.Coins.of(t));
    }

    /**
     * The zero-knowledge descent from masked top values p(0), p(1), q(0), q(1) to masked leaf
     * values. Per layer of 2^m nodes: lambda, then a ZkSumcheck of eq(r, y) [p0 q1 + p1 q0 +
     * lambda q0 q1] = claimP + lambda claimQ (masked), then mu. The round oracle gets the true claim
     * (the prover unmasks it; it is the tree's own value). Soundness per layer: (m + 1) 4/|F_p^3|
     * for the sumcheck over (y, b) of degree 4 plus 1/|F_p^3| each for rho, lambda and mu; summed over
     * 40 layers below 2^-178.
     */
    static ZkDescent descendZk(FractionTree tree, Masked[] top, ZkMasks masks, Transcript t) {
        int n = tree.numVars();
        Fp3 mu = t.challengeExt("fraczk/mu");
        Point r = new Point(mu);
        Masked claimP = Masked.line(top[0], top[1], mu);
        Masked claimQ = Masked.line(top[2], top[3], mu);
        ZkSumcheck.Proof[] proofs = new ZkSumcheck.Proof[n - 1];
        List<LinearClaim> maskClaims = new ArrayList<>();
        ZkSumcheck.Coins coins = ZkSumcheck.Coins.of(t);
        for (int k = n - 1; k >= 1; k--) {
            int m = n - k;
            Fp3 lambda = t.challengeExt("fraczk/lambda");
            Masked target = claimP.add(claimQ.mul(lambda));
            Fp3 claim = target.unmask(masks);
            ZkSumcheck.Proved res = ZkSumcheck.prove(layerShape(m), tree.layer(k, r, lambda, claim),
                    new Fp3[] {claim}, target, masks, coins);
            proofs[n - 1 - k] = res.proof();
            maskClaims.addAll(res.outcome().maskClaims());
            Masked[] f = res.outcome().finals().get(0);
            Fp3 mu2 = t.challengeExt("fraczk/mu");
            claimP = Masked.line(f[1], f[2], mu2);
            claimQ = Masked.line(f[3], f[4], mu2);
            r = new Point(mu2).concat(res.outcome().points().get(0));
        }
        return new ZkDescent(proofs, new MaskedLeaves(r, claimP, claimQ), maskClaims);
    }

    /** Verifies {@link #descendZk}; never throws on a malformed proof. */
    static CheckedZk verifyDescentZk(int numVars, ZkSumcheck.Proof[] layers, Masked[] top, ZkMasks masks, Transcript t) {
        if (numVars < 1 || layers.length != numVars - 1 || top.length != 4) {
            return CheckedZk.fail("fractional sum: expected " + (numVars - 1) + " layers, proof has " + layers.length);
        }
        Fp3 mu = t.challengeExt("fraczk/mu");
        Point r = new Point(mu);
        Masked claimP = Masked.line(top[0], top[1], mu);
        Masked claimQ = Masked.line(top[2], top[3], mu);
        List<LinearClaim> maskClaims = new ArrayList<>();
        ZkSumcheck.Coins coins = ZkSumcheck.Coins.of(t);
        for (int k = numVars - 1; k >= 1; k--) {
            int m = numVars - k;
            Fp3 lambda = t.challengeExt("fraczk/lambda");
            Masked target = claimP.add(claimQ.mul(lambda));
            ZkSumcheck.Checked v = ZkSumcheck.verify(layerShape(m), layers[numVars - 1 - k], target, masks, coins);
            if (!v.verdict().isAccepted()) {
                return CheckedZk.fail(v.verdict().within("fractional sum layer " + k).reason());
            }
            Point s = v.outcome().points().get(0);
            Masked[] f = v.outcome().finals().get(0);
            // the eq tables are the verifier's own (public, sent in the clear): check them
            Fp3 eqv = Mle.eq(r, s);
            if (!f[0].revealed().equals(eqv) || !f[5].revealed().equals(eqv.mul(lambda))) {
                return CheckedZk.fail("fractional sum layer " + k + ": wrong eq evaluation");
            }
            maskClaims.addAll(v.outcome().maskClaims());
            Fp3 mu2 = t.challengeExt("fraczk/mu");
            claimP = Masked.line(f[1], f[2], mu2);
            claimQ = Masked.line(f[3], f[4], mu2);
            r = new Point(mu2).concat(s);
        }
        return new CheckedZk(Verdict.accept(), new MaskedLeaves(r, claimP, claimQ), maskClaims);
    }

    private static Mle single(Fp3 v) {
        long[] t = new long[3];
        v.put(t, 0);
        return Mle.ext(t);
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
