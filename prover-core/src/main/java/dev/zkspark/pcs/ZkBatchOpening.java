package dev.zkspark.pcs;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.poly.Univariate;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.RoundOracle;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.transcript.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The zero-knowledge batched opening (prover and verifier of {@link TensorCodePcs#openZk}): linear
 * claims over K commitments reduced by one Libra-masked sumcheck (Xie et al. 2019, §4.1) to one
 * point per commitment, then one tensor-code opening per commitment and one of the batch mask.
 * The protocol, hiding and soundness arguments are in {@link TensorCodePcs}'s class comment.
 *
 * <p>Notation: P_k is commitment k's polynomial (n_k variables), n = max n_k, W_k the combined
 * kernel (sum over claims c of alpha^c times the claim's terms on commitment k), c_k = 2^-(n - n_k)
 * so that instance k's sum over the n-variable cube is exactly S_k = sum_x P_k(x) W_k(x), and
 * G_mask(x) = a_0 + sum_i (c_i1 x_i + c_i2 x_i^2) the committed masking polynomial.
 */
final class ZkBatchOpening {
    static final String BATCH_MASK_TENSOR = "pcs/batch-mask";
    private static final Expression PRODUCT = Expression.product(2);

    private ZkBatchOpening() {}

    /** A term's place: the index of the one commitment holding its tensor, and the region. */
    record Located(int commitment, Region region) {}

    /** Extension coefficients of G_mask over n variables: a_0, then c_i1, c_i2 per variable. */
    static int maskCoefficients(int n) {
        return 1 + 2 * n;
    }

    /** The batch mask tensor's size: three base entries per coefficient, padded to a power of two. */
    static int maskTensorSize(int n) {
        int size = 1;
        while (size < 3 * maskCoefficients(n)) {
            size <<= 1;
        }
        return size;
    }

    // ---------------------------------------------------------------- shared by both sides

    /** Resolves every term to exactly one commitment; null, or the reason the claims are unusable. */
    static String resolve(List<Commitment> cs, List<LinearClaim> claims, List<Located[]> out) {
        for (int c = 0; c < claims.size(); c++) {
            LinearClaim cl = claims.get(c);
            if (cl == null || cl.value() == null) {
                return "claim " + c + " is incomplete";
            }
            Located[] loc = new Located[cl.terms().size()];
            for (int i = 0; i < loc.length; i++) {
                LinearClaim.Term term = cl.terms().get(i);
                String name = term == null ? null : term.tensor();
                if (name == null) {
                    return "claim " + c + " term " + i + " names no tensor";
                }
                for (int k = 0; k < cs.size(); k++) {
                    Region r = cs.get(k).region(name);
                    if (r != null) {
                        if (loc[i] != null) {
                            return "tensor " + name + " is in commitments " + loc[i].commitment() + " and " + k;
                        }
                        loc[i] = new Located(k, r);
                    }
                }
                if (loc[i] == null) {
                    return "no commitment holds tensor " + name;
                }
                Region r = loc[i].region();
                if (term instanceof LinearClaim.Eval e) {
                    if (e.point() == null || e.coeff() == null || e.point().size() != r.numVars()) {
                        return "claim " + c + " evaluates " + name + " (2^" + r.numVars() + " entries) at a point of the wrong size";
                    }
                } else {
                    LinearClaim.Slots s = (LinearClaim.Slots) term;
                    for (int k = 0; k < s.slots().length; k++) {
                        if (s.slots()[k] < 0 || s.slots()[k] >= (1L << r.numVars())) {
                            return "claim " + c + " reads slot " + s.slots()[k] + " of " + name + " (2^" + r.numVars() + " entries)";
                        }
                        if (s.weights()[k] == null) {
                            return "claim " + c + " has a missing slot weight";
                        }
                    }
                }
            }
            out.add(loc);
        }
        return null;
    }

    /** Null, or why {@code m} is not a batch mask for n sumcheck variables. */
    static String checkBatchMask(Commitment m, int n) {
        int vars = Integer.numberOfTrailingZeros(maskTensorSize(n));
        PcsParams p = m.params();
        if (m.regions().size() != 1 || !BATCH_MASK_TENSOR.equals(m.regions().get(0).name())
                || m.regions().get(0).numVars() != vars || m.regions().get(0).offset() != 0) {
            return "the batch mask commitment must hold exactly the tensor " + BATCH_MASK_TENSOR + " of 2^" + vars + " entries";
        }
        if (p.rowVars() != 0 || p.numVars() != vars) {
            return "the batch mask must be a one-row commitment of 2^" + vars + " entries";
        }
        return null;
    }

    /**
     * Binds everything before alpha: every commitment (digest covers root, parameters and regions),
     * the batch mask, and every claim in full, so no challenge precedes any prover choice.
     */
    static Fp3 begin(Transcript t, List<Commitment> cs, Commitment mask, List<LinearClaim> claims) {
        t.absorbLong("pcs/zk/commitments", cs.size());
        for (Commitment c : cs) {
            t.absorb("pcs/zk/commitment", c.digest());
        }
        t.absorb("pcs/zk/batch-mask", mask.digest());
        t.absorbLong("pcs/zk/claims", claims.size());
        for (LinearClaim cl : claims) {
            t.absorbLong("pcs/zk/terms", cl.terms().size());
            for (LinearClaim.Term term : cl.terms()) {
                t.absorb("pcs/zk/term-tensor", term.tensor().getBytes(StandardCharsets.UTF_8));
                if (term instanceof LinearClaim.Eval e) {
                    t.absorbLong("pcs/zk/term-kind", 0);
                    t.absorbExt("pcs/zk/term-point", e.point().toArray());
                    t.absorbExt("pcs/zk/term-coeff", e.coeff());
                } else {
                    LinearClaim.Slots s = (LinearClaim.Slots) term;
                    long[] slots = new long[s.slots().length];
                    for (int k = 0; k < slots.length; k++) {
                        slots[k] = s.slots()[k];
                    }
                    t.absorbLong("pcs/zk/term-kind", 1);
                    t.absorbFields("pcs/zk/term-slots", slots);
                    t.absorbExt("pcs/zk/term-weights", s.weights());
                }
            }
            t.absorbExt("pcs/zk/claim-value", cl.value());
        }
        return t.challengeExt("pcs/zk/alpha");
    }

    static Fp3 combinedValue(List<LinearClaim> claims, Fp3 alpha) {
        Fp3 coef = Fp3.ONE;
        Fp3 acc = Fp3.ZERO;
        for (LinearClaim cl : claims) {
            acc = acc.add(coef.mul(cl.value()));
            coef = coef.mul(alpha);
        }
        return acc;
    }

    /** c_k = 2^-(n - n_k). */
    private static Fp3 joinCoefficient(int n, int nk) {
        return Fp3.of(Goldilocks.inv(Goldilocks.pow(2, n - nk)));
    }

    /** The point of commitment k: the last n_k challenges (late joining). */
    private static Point instancePoint(Fp3[] r, int nk) {
        Fp3[] p = new Fp3[nk];
        System.arraycopy(r, r.length - nk, p, 0, nk);
        return new Point(p);
    }

    /** The batch mask's column weights: basis(d) * (1, r_i, r_i^2 per variable) on slot 3e + d. */
    static long[] maskWeights(Fp3[] r, int cols) {
        long[] w = new long[3 * cols];
        Fp3[] basis = {Fp3.ONE, new Fp3(0, 1, 0), new Fp3(0, 0, 1)};
        for (int e = 0; e < maskCoefficients(r.length); e++) {
            Fp3 m = e == 0 ? Fp3.ONE : (e % 2 == 1 ? r[(e - 1) / 2] : r[(e - 2) / 2].square());
            for (int d = 0; d < 3; d++) {
                basis[d].mul(m).put(w, 3 * e + d);
            }
        }
        return w;
    }

    /** Row weights of a one-row matrix. */
    private static long[] oneRow() {
        long[] w = new long[3];
        Fp3.ONE.put(w, 0);
        return w;
    }

    // ---------------------------------------------------------------- prover

    static ZkOpeningProof prove(List<TensorCodePcs.Committed> states, TensorCodePcs.Committed batchMask, List<LinearClaim> claims,
            Transcript t) {
        if (states.isEmpty() || claims.isEmpty()) {
            throw new IllegalArgumentException("pcs zk: nothing to open");
        }
        if (states.size() > ZkOpeningProof.MAX_COMMITMENTS) {
            throw new IllegalArgumentException("pcs zk: at most " + ZkOpeningProof.MAX_COMMITMENTS + " commitments per opening");
        }
        int numK = states.size();
        List<Commitment> cs = new ArrayList<>();
        for (TensorCodePcs.Committed st : states) {
            cs.add(st.commitment);
        }
        List<Located[]> loc = new ArrayList<>();
        String why = resolve(cs, claims, loc);
        if (why != null) {
            throw new IllegalArgumentException("pcs zk: " + why);
        }
        int[] vars = new int[numK];
        int n = 0;
        for (int k = 0; k < numK; k++) {
            vars[k] = cs.get(k).params().numVars();
            n = Math.max(n, vars[k]);
        }
        why = checkBatchMask(batchMask.commitment, n);
        if (why != null) {
            throw new IllegalArgumentException("pcs zk: " + why);
        }
        Fp3 alpha = begin(t, cs, batchMask.commitment, claims);
        long[][] kernels = kernels(states, claims, loc, alpha);
        Fp3 combined = combinedValue(claims, alpha);

        // Libra: G_mask's coefficients are fixed by the batch-mask commitment (absorbed above), and
        // H is absorbed before rho, so a false combined sum survives for at most one rho
        long[] m = batchMask.poly;
        Fp3 a0 = Fp3.get(m, 0);
        Fp3[] g1 = new Fp3[n];
        Fp3[] g2 = new Fp3[n];
        Fp3 gRest = Fp3.ZERO;
        for (int i = 0; i < n; i++) {
            g1[i] = Fp3.get(m, 1 + 2 * i);
            g2[i] = Fp3.get(m, 2 + 2 * i);
            gRest = gRest.add(g1[i]).add(g2[i]);
        }
        Fp3 maskSum = n == 0 ? a0 : a0.mul(Goldilocks.pow(2, n)).add(gRest.mul(Goldilocks.pow(2, n - 1)));
        t.absorbExt("pcs/zk/mask-sum", maskSum);
        Fp3 rho = t.challengeExt("pcs/zk/rho");

        List<SumcheckInstance> insts = new ArrayList<>();
        Fp3[] sums = new Fp3[numK];
        Fp3[] joinCoef = new Fp3[numK];
        for (int k = 0; k < numK; k++) {
            long[] p = states.get(k).poly;
            sums[k] = innerProduct(p, kernels[k]);
            joinCoef[k] = joinCoefficient(n, vars[k]);
            insts.add(new SumcheckInstance(PRODUCT, List.of(Mle.base(p), Mle.ext(kernels[k])), sums[k]));
        }
        RoundOracle oracle = new RoundOracle.LocalOracle(SumcheckChunk.whole(insts));
        Fp3[][] rounds = new Fp3[n][];
        Fp3[] r = new Fp3[n];
        boolean[] active = new boolean[numK];
        Fp3 gPrefix = a0;
        Fp3 two = Fp3.of(2);
        Fp3 four = Fp3.of(4);
        for (int j = 0; j < n; j++) {
            Fp3 s0 = Fp3.ZERO;
            Fp3 s2 = Fp3.ZERO;
            for (int k = 0; k < numK; k++) {
                active[k] = j >= n - vars[k];
                if (!active[k]) {
                    // not joined: c_k times its sum over the free variables, 2^(n-j-1-n_k) S_k
                    Fp3 v = sums[k].mul(Goldilocks.inv(Goldilocks.pow(2, j + 1)));
                    s0 = s0.add(v);
                    s2 = s2.add(v);
                }
            }
            Fp3[][] e = oracle.roundValues(active, 2);
            for (int k = 0; k < numK; k++) {
                if (active[k]) {
                    s0 = s0.add(joinCoef[k].mul(e[k][0]));
                    s2 = s2.add(joinCoef[k].mul(e[k][2]));
                }
            }
            // G_mask summed over x_{j+1..n-1}: 2^(n-j-1) (prefix + g_j(X)) + 2^(n-j-2) sum_{i>j} g_i(1)
            gRest = gRest.sub(g1[j]).sub(g2[j]);
            Fp3 scale = Fp3.of(Goldilocks.pow(2, n - j - 1));
            Fp3 rest = j < n - 1 ? gRest.mul(Goldilocks.pow(2, n - j - 2)) : Fp3.ZERO;
            Fp3 gAt0 = scale.mul(gPrefix).add(rest);
            Fp3 gAt2 = scale.mul(gPrefix.add(two.mul(g1[j])).add(four.mul(g2[j]))).add(rest);
            rounds[j] = new Fp3[] {s0.add(rho.mul(gAt0)), s2.add(rho.mul(gAt2))};
            t.absorbExt("pcs/zk/round", rounds[j]);
            r[j] = t.challengeExt("pcs/zk/r");
            gPrefix = gPrefix.add(g1[j].mul(r[j])).add(g2[j].mul(r[j].square()));
            oracle.fold(active, r[j]);
        }
        Fp3[] finals = new Fp3[numK];
        for (int k = 0; k < numK; k++) {
            finals[k] = oracle.finalValues(k)[0];
        }
        Fp3 maskEval = gPrefix;
        t.absorbExt("pcs/zk/finals", finals);
        t.absorbExt("pcs/zk/mask-eval", maskEval);

        LigeroOpening[] openings = new LigeroOpening[numK + 1];
        for (int k = 0; k < numK; k++) {
            PcsParams p = cs.get(k).params();
            Point rk = instancePoint(r, vars[k]);
            t.absorbLong("pcs/zk/opening", k);
            openings[k] = TensorCodePcs.openRows(states.get(k), Mle.eqTable(rk.slice(p.colVars(), vars[k])).data(),
                    Mle.eqTable(rk.slice(0, p.colVars())).data(), t);
        }
        t.absorbLong("pcs/zk/opening", numK);
        openings[numK] = TensorCodePcs.openRows(batchMask, oneRow(), maskWeights(r, batchMask.commitment.params().cols()), t);
        return new ZkOpeningProof(maskSum, rounds, finals, maskEval, openings);
    }

    /** W_k over commitment k's polynomial: Eval terms as scaled eq tables on the region, Slots as weights. */
    private static long[][] kernels(List<TensorCodePcs.Committed> states, List<LinearClaim> claims, List<Located[]> loc, Fp3 alpha) {
        long[][] w = new long[states.size()][];
        for (int k = 0; k < w.length; k++) {
            w[k] = new long[3 * states.get(k).poly.length];
        }
        Fp3 coef = Fp3.ONE;
        for (int c = 0; c < claims.size(); c++) {
            List<LinearClaim.Term> terms = claims.get(c).terms();
            for (int i = 0; i < terms.size(); i++) {
                Located l = loc.get(c)[i];
                long[] g = w[l.commitment()];
                int off = (int) l.region().offset();
                if (terms.get(i) instanceof LinearClaim.Eval e) {
                    long[] eq = Mle.eqTableScaled(e.point(), coef.mul(e.coeff()));
                    int base = 3 * off;
                    for (int x = 0; x < eq.length; x++) {
                        g[base + x] = Goldilocks.add(g[base + x], eq[x]);
                    }
                } else {
                    LinearClaim.Slots s = (LinearClaim.Slots) terms.get(i);
                    for (int k = 0; k < s.slots().length; k++) {
                        int o = 3 * (off + s.slots()[k]);
                        Fp3 v = coef.mul(s.weights()[k]);
                        g[o] = Goldilocks.add(g[o], v.c0);
                        g[o + 1] = Goldilocks.add(g[o + 1], v.c1);
                        g[o + 2] = Goldilocks.add(g[o + 2], v.c2);
                    }
                }
            }
            coef = coef.mul(alpha);
        }
        return w;
    }

    /** sum_x p[x] w[x], p over the base field, w interleaved over F_p^3. */
    private static Fp3 innerProduct(long[] p, long[] w) {
        long a0 = 0, a1 = 0, a2 = 0;
        for (int x = 0; x < p.length; x++) {
            long v = p[x];
            if (v == 0) {
                continue;
            }
            a0 = Goldilocks.add(a0, Goldilocks.mul(v, w[3 * x]));
            a1 = Goldilocks.add(a1, Goldilocks.mul(v, w[3 * x + 1]));
            a2 = Goldilocks.add(a2, Goldilocks.mul(v, w[3 * x + 2]));
        }
        return new Fp3(a0, a1, a2);
    }

    // ---------------------------------------------------------------- verifier

    static Verdict verify(List<Commitment> cs, Commitment batchMask, List<LinearClaim> claims, ZkOpeningProof proof, Transcript t) {
        if (cs == null || claims == null || proof == null || batchMask == null || t == null) {
            return Verdict.reject("pcs zk: missing input");
        }
        if (cs.isEmpty() || claims.isEmpty()) {
            return Verdict.reject("pcs zk: nothing to open");
        }
        if (cs.size() > ZkOpeningProof.MAX_COMMITMENTS) {
            return Verdict.reject("pcs zk: at most " + ZkOpeningProof.MAX_COMMITMENTS + " commitments per opening");
        }
        for (Commitment c : cs) {
            if (c == null) {
                return Verdict.reject("pcs zk: a commitment is missing");
            }
        }
        int numK = cs.size();
        List<Located[]> loc = new ArrayList<>();
        String why = resolve(cs, claims, loc);
        if (why != null) {
            return Verdict.reject("pcs zk: " + why);
        }
        int[] vars = new int[numK];
        int n = 0;
        for (int k = 0; k < numK; k++) {
            vars[k] = cs.get(k).params().numVars();
            n = Math.max(n, vars[k]);
        }
        why = checkBatchMask(batchMask, n);
        if (why != null) {
            return Verdict.reject("pcs zk: " + why);
        }
        if (proof.numRounds() != n || proof.numFinals() != numK || proof.numOpenings() != numK + 1) {
            return Verdict.reject("pcs zk: proof has " + proof.numRounds() + " rounds, " + proof.numFinals() + " finals and "
                    + proof.numOpenings() + " openings; expected " + n + ", " + numK + " and " + (numK + 1));
        }
        for (int j = 0; j < n; j++) {
            if (proof.round(j).length != 2) {
                return Verdict.reject("pcs zk: round " + j + " must send 2 values");
            }
        }
        Fp3 alpha = begin(t, cs, batchMask, claims);
        Fp3 combined = combinedValue(claims, alpha);
        t.absorbExt("pcs/zk/mask-sum", proof.maskSum());
        Fp3 rho = t.challengeExt("pcs/zk/rho");
        Fp3 running = combined.add(rho.mul(proof.maskSum()));
        Fp3[] r = new Fp3[n];
        for (int j = 0; j < n; j++) {
            Fp3[] s = proof.round(j);
            Fp3[] values = {s[0], running.sub(s[0]), s[1]};
            t.absorbExt("pcs/zk/round", s);
            r[j] = t.challengeExt("pcs/zk/r");
            running = Univariate.evaluateFromValues(values, r[j]);
        }
        Point[] points = new Point[numK];
        for (int k = 0; k < numK; k++) {
            points[k] = instancePoint(r, vars[k]);
        }
        Fp3[] w = kernelsAt(cs, claims, loc, alpha, points);
        Fp3 expect = rho.mul(proof.maskEval());
        for (int k = 0; k < numK; k++) {
            expect = expect.add(joinCoefficient(n, vars[k]).mul(w[k]).mul(proof.finalValue(k)));
        }
        if (!expect.equals(running)) {
            return Verdict.reject("pcs zk: the final values do not match the last sumcheck round");
        }
        t.absorbExt("pcs/zk/finals", proof.finals());
        t.absorbExt("pcs/zk/mask-eval", proof.maskEval());
        for (int k = 0; k < numK; k++) {
            PcsParams p = cs.get(k).params();
            t.absorbLong("pcs/zk/opening", k);
            Verdict v = TensorCodePcs.checkRows(cs.get(k), Mle.eqTable(points[k].slice(p.colVars(), vars[k])).data(),
                    Mle.eqTable(points[k].slice(0, p.colVars())).data(), proof.finalValue(k), proof.opening(k), t);
            if (!v.isAccepted()) {
                return v.within("pcs zk opening of commitment " + k);
            }
        }
        t.absorbLong("pcs/zk/opening", numK);
        Verdict v = TensorCodePcs.checkRows(batchMask, oneRow(), maskWeights(r, batchMask.params().cols()), proof.maskEval(),
                proof.opening(numK), t);
        return v.within("pcs zk opening of the batch mask");
    }

    /**
     * W_k(rho_k) for every k, in O(total claim size * n): an Eval term's kernel is eq(point, .) on
     * its region, i.e. eq(point, low bits of rho_k) eq(high bits of rho_k, region index); a Slots
     * term's is sum_s w_s eq(rho_k, offset + slot_s).
     */
    private static Fp3[] kernelsAt(List<Commitment> cs, List<LinearClaim> claims, List<Located[]> loc, Fp3 alpha, Point[] points) {
        Fp3[] w = new Fp3[cs.size()];
        java.util.Arrays.fill(w, Fp3.ZERO);
        Fp3 coef = Fp3.ONE;
        for (int c = 0; c < claims.size(); c++) {
            List<LinearClaim.Term> terms = claims.get(c).terms();
            for (int i = 0; i < terms.size(); i++) {
                Located l = loc.get(c)[i];
                Point rk = points[l.commitment()];
                Region reg = l.region();
                int nv = reg.numVars();
                Fp3 value;
                if (terms.get(i) instanceof LinearClaim.Eval e) {
                    value = e.coeff().mul(Mle.eq(e.point(), rk.slice(0, nv))).mul(Mle.eqAt(rk.slice(nv, rk.size()), reg.offset() >>> nv));
                } else {
                    LinearClaim.Slots s = (LinearClaim.Slots) terms.get(i);
                    value = Fp3.ZERO;
                    for (int k = 0; k < s.slots().length; k++) {
                        value = value.add(s.weights()[k].mul(Mle.eqAt(rk, reg.offset() + s.slots()[k])));
                    }
                }
                w[l.commitment()] = w[l.commitment()].add(coef.mul(value));
            }
            coef = coef.mul(alpha);
        }
        return w;
    }
}
