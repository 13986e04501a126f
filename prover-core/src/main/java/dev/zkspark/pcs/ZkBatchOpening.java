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
     * every companion (so its rows are fixed before gamma and mu), the batch mask, and every claim
     * in full, so no challenge precedes any prover choice. Without companions nothing is added, so
     * such openings keep their transcript.
     */
    static Fp3 begin(Transcript t, List<Commitment> cs, List<Commitment> comps, Commitment mask, List<LinearClaim> claims) {
        t.absorbLong("pcs/zk/commitments", cs.size());
        for (Commitment c : cs) {
            t.absorb("pcs/zk/commitment", c.digest());
        }
        if (comps != null && count(comps) > 0) {
            t.absorbLong("pcs/zk/companions", count(comps));
            for (int k = 0; k < comps.size(); k++) {
                if (comps.get(k) != null) {
                    t.absorbLong("pcs/zk/companion-of", k);
                    t.absorb("pcs/zk/companion", comps.get(k).digest());
                }
            }
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

    static int count(List<?> xs) {
        int c = 0;
        if (xs != null) {
            for (Object x : xs) {
                c += x == null ? 0 : 1;
            }
        }
        return c;
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

    static ZkOpeningProof prove(List<TensorCodePcs.Committed> states, List<TensorCodePcs.Committed> companions,
            TensorCodePcs.Committed batchMask, List<LinearClaim> claims, Transcript t) {
        if (states.isEmpty() || claims.isEmpty()) {
            throw new IllegalArgumentException("pcs zk: nothing to open");
        }
        if (states.size() > ZkOpeningProof.MAX_COMMITMENTS) {
            throw new IllegalArgumentException("pcs zk: at most " + ZkOpeningProof.MAX_COMMITMENTS + " commitments per opening");
        }
        int numK = states.size();
        if (companions != null && companions.size() != numK) {
            throw new IllegalArgumentException("pcs zk: " + companions.size() + " companion entries for " + numK + " commitments");
        }
        List<Commitment> cs = new ArrayList<>();
        List<Commitment> comps = new ArrayList<>();
        TensorCodePcs.Committed[] comp = new TensorCodePcs.Committed[numK];
        for (int k = 0; k < numK; k++) {
            cs.add(states.get(k).commitment);
            comp[k] = companions == null ? null : companions.get(k);
            comps.add(comp[k] == null ? null : comp[k].commitment);
            if (comp[k] != null) {
                String why = TensorCodePcs.checkCompanion(comp[k].commitment, cs.get(k).params());
                if (why != null) {
                    throw new IllegalArgumentException("pcs zk: commitment " + k + ": " + why);
                }
            }
        }
        boolean withB = count(comps) > 0;
        List<Located[]> loc = new ArrayList<>();
        List<LinearClaim> flat = new ArrayList<>();
        String why = PieceClaims.expand(cs, claims, flat);
        if (why == null) {
            why = resolve(cs, flat, loc);
        }
        if (why != null) {
            throw new IllegalArgumentException("pcs zk: " + why);
        }
        int[] vars = new int[numK];
        int n = 0;
        for (int k = 0; k < numK; k++) {
            vars[k] = cs.get(k).params().numVars();
            n = Math.max(n, vars[k]);
        }
        // the b variable (companions only) is the sumcheck's last: nS = n + 1 mask variables
        int nS = n + (withB ? 1 : 0);
        why = checkBatchMask(batchMask.commitment, nS);
        if (why != null) {
            throw new IllegalArgumentException("pcs zk: " + why);
        }
        Fp3 alpha = begin(t, cs, comps, batchMask.commitment, claims);

        // Libra: G_mask's coefficients are fixed by the batch-mask commitment (absorbed above), and
        // H is absorbed before rho, so a false combined sum survives for at most one rho
        long[] m = batchMask.poly;
        Fp3 a0 = Fp3.get(m, 0);
        Fp3[] g1 = new Fp3[nS];
        Fp3[] g2 = new Fp3[nS];
        Fp3 gRest = Fp3.ZERO;
        for (int i = 0; i < nS; i++) {
            g1[i] = Fp3.get(m, 1 + 2 * i);
            g2[i] = Fp3.get(m, 2 + 2 * i);
            gRest = gRest.add(g1[i]).add(g2[i]);
        }
        Fp3 maskSum = nS == 0 ? a0 : a0.mul(Goldilocks.pow(2, nS)).add(gRest.mul(Goldilocks.pow(2, nS - 1)));
        t.absorbExt("pcs/zk/mask-sum", maskSum);
        Fp3 rho = t.challengeExt("pcs/zk/rho");

        Fp3[] sums = new Fp3[numK];
        Fp3[] joinCoef = new Fp3[numK];
        RoundOracle oracle = oracle(states, vars, OpeningKernel.ofAll(flat, loc, alpha, numK), sums);
        for (int k = 0; k < numK; k++) {
            joinCoef[k] = joinCoefficient(n, vars[k]);
        }
        Fp3[][] rounds = new Fp3[nS][];
        Fp3[] r = new Fp3[n];
        boolean[] active = new boolean[numK];
        Fp3 gPrefix = a0;
        Fp3 two = Fp3.of(2);
        Fp3 four = Fp3.of(4);
        Fp3[] finals = new Fp3[numK];
        Fp3 rb = null;
        for (int j = 0; j < nS; j++) {
            Fp3 s0 = Fp3.ZERO;
            Fp3 s2 = Fp3.ZERO;
            if (j < n) {
                // rounds over x: the factor (1 - b) is 1 on the b = 0 half and kills the b = 1 half,
                // so these are the plain rounds of F and no table grows
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
            } else {
                // the b round, from the final values: (1 - X) sum_k c_k (P_k + X beta_k) W_k, with
                // beta_k = Bl_k~(rho_k low) for a companion (0 otherwise); its value at 2 is
                // -sum_k c_k (P_k + 2 beta_k) W_k
                for (int k = 0; k < numK; k++) {
                    Fp3[] fin = oracle.finalValues(k);
                    Fp3 pw = joinCoef[k].mul(fin[1]);
                    Fp3 beta = Fp3.ZERO;
                    if (comp[k] != null) {
                        PcsParams p = cs.get(k).params();
                        beta = TensorCodePcs.blindEval(comp[k], Mle.eqTable(instancePoint(r, vars[k]).slice(0, p.colVars())).data());
                        finals[k] = beta; // completed after r_b
                    }
                    s0 = s0.add(pw.mul(fin[0]));
                    s2 = s2.sub(pw.mul(fin[0].add(two.mul(beta))));
                }
            }
            // G_mask summed over the later variables: 2^(nS-j-1) (prefix + g_j(X)) + 2^(nS-j-2) sum_{i>j} g_i(1)
            gRest = gRest.sub(g1[j]).sub(g2[j]);
            Fp3 scale = Fp3.of(Goldilocks.pow(2, nS - j - 1));
            Fp3 rest = j < nS - 1 ? gRest.mul(Goldilocks.pow(2, nS - j - 2)) : Fp3.ZERO;
            Fp3 gAt0 = scale.mul(gPrefix).add(rest);
            Fp3 gAt2 = scale.mul(gPrefix.add(two.mul(g1[j])).add(four.mul(g2[j]))).add(rest);
            rounds[j] = new Fp3[] {s0.add(rho.mul(gAt0)), s2.add(rho.mul(gAt2))};
            t.absorbExt("pcs/zk/round", rounds[j]);
            Fp3 rj = t.challengeExt("pcs/zk/r");
            gPrefix = gPrefix.add(g1[j].mul(rj)).add(g2[j].mul(rj.square()));
            if (j < n) {
                r[j] = rj;
                oracle.fold(active, rj);
            } else {
                rb = rj;
            }
        }
        for (int k = 0; k < numK; k++) {
            Fp3 pk = oracle.finalValues(k)[0];
            // with a companion the revealed final is P_k(rho_k) + r_b Bl~(rho_k low): uniform
            finals[k] = comp[k] == null ? pk : pk.add(rb.mul(finals[k]));
        }
        Fp3 maskEval = gPrefix;
        t.absorbExt("pcs/zk/finals", finals);
        t.absorbExt("pcs/zk/mask-eval", maskEval);

        LigeroOpening[] openings = new LigeroOpening[numK + 1];
        List<ColumnSet> compCols = new ArrayList<>();
        for (int k = 0; k < numK; k++) {
            PcsParams p = cs.get(k).params();
            Point rk = instancePoint(r, vars[k]);
            t.absorbLong("pcs/zk/opening", k);
            TensorCodePcs.Opened o = TensorCodePcs.openRows(states.get(k), comp[k], Mle.eqTable(rk.slice(p.colVars(), vars[k])).data(),
                    Mle.eqTable(rk.slice(0, p.colVars())).data(), rb, t);
            openings[k] = o.rows();
            if (o.companion() != null) {
                compCols.add(o.companion());
            }
        }
        t.absorbLong("pcs/zk/opening", numK);
        openings[numK] = TensorCodePcs.openRows(batchMask, oneRow(), maskWeights(withB ? append(r, rb) : r,
                batchMask.commitment.params().cols()), t);
        return new ZkOpeningProof(maskSum, rounds, finals, maskEval, openings, compCols.toArray(new ColumnSet[0]));
    }

    private static Fp3[] append(Fp3[] r, Fp3 x) {
        Fp3[] out = java.util.Arrays.copyOf(r, r.length + 1);
        out[r.length] = x;
        return out;
    }

    /**
     * The batching sumcheck's oracle over every commitment's P_k * W_k, and each instance's sum
     * into {@code sums}: the commitments held here share one local chunk (as before bands
     * existed, so their bytes are unchanged), each commitment held in bands is its own
     * distributed instance ({@link RowBands#sumcheck}).
     */
    private static RoundOracle oracle(List<TensorCodePcs.Committed> states, int[] vars, OpeningKernel[] kernels, Fp3[] sums) {
        int numK = states.size();
        int[] localIndex = new int[numK];
        RoundOracle[] remote = new RoundOracle[numK];
        List<Integer> local = new ArrayList<>();
        for (int k = 0; k < numK; k++) {
            RowBands b = states.get(k).bands;
            if (b != null) {
                RowBands.Sumcheck sc = b.sumcheck(kernels[k]);
                sums[k] = sc.sum();
                remote[k] = sc.oracle();
                localIndex[k] = -1;
            } else {
                localIndex[k] = local.size();
                local.add(k);
            }
        }
        int m = local.size();
        Expression[] products = new Expression[m];
        long[][][] tables = new long[m][][];
        boolean[][] ext = new boolean[m][];
        int[] v = new int[m];
        int[] live = new int[m];
        for (int i = 0; i < m; i++) {
            int k = local.get(i);
            long[] p = states.get(k).poly;
            long[] w = kernels[k].slice(0, vars[k], p.length);
            sums[k] = OpeningKernel.dot(p, w);
            products[i] = PRODUCT;
            tables[i] = new long[][] {p, w};
            ext[i] = new boolean[] {false, true};
            v[i] = vars[k];
            // a truncated commitment (PcsParams.dataRows) stores only its first entries, the rest
            // are zero: the sumcheck's rounds touch only those
            live[i] = p.length;
        }
        RoundOracle here = m == 0 ? null : new RoundOracle.LocalOracle(SumcheckChunk.ofPrefixes(products, tables, ext, v, live));
        return m == numK ? here : new Mixed(here, localIndex, remote);
    }

    /** Instances held here (one local oracle) next to instances held in bands (one oracle each). */
    private record Mixed(RoundOracle local, int[] localIndex, RoundOracle[] remote) implements RoundOracle {
        private boolean[] localActive(boolean[] active) {
            if (local == null) {
                return null;
            }
            int m = 0;
            for (int i : localIndex) {
                m += i >= 0 ? 1 : 0;
            }
            boolean[] a = new boolean[m];
            boolean any = false;
            for (int k = 0; k < active.length; k++) {
                if (localIndex[k] >= 0) {
                    a[localIndex[k]] = active[k];
                    any |= active[k];
                }
            }
            return any ? a : null;
        }

        @Override
        public Fp3[][] roundValues(boolean[] active, int deg) {
            Fp3[][] out = new Fp3[active.length][];
            boolean[] la = localActive(active);
            Fp3[][] here = la == null ? null : local.roundValues(la, deg);
            for (int k = 0; k < active.length; k++) {
                if (!active[k]) {
                    continue;
                }
                out[k] = localIndex[k] >= 0 ? here[localIndex[k]] : remote[k].roundValues(new boolean[] {true}, deg)[0];
            }
            return out;
        }

        @Override
        public void fold(boolean[] active, Fp3 r) {
            boolean[] la = localActive(active);
            if (la != null) {
                local.fold(la, r);
            }
            for (int k = 0; k < active.length; k++) {
                if (active[k] && localIndex[k] < 0) {
                    remote[k].fold(new boolean[] {true}, r);
                }
            }
        }

        @Override
        public Fp3[] finalValues(int k) {
            return localIndex[k] >= 0 ? local.finalValues(localIndex[k]) : remote[k].finalValues(0);
        }
    }

    // ---------------------------------------------------------------- verifier

    /**
     * What a collector of proofs derives from one opening's public data (tests of the cross-proof
     * leak): the point rho_k and the mu and gamma challenges of every commitment's opening, and r_b (null
     * without companions).
     */
    static final class Trace {
        final List<Fp3> mu = new ArrayList<>();
        final List<Fp3> gamma = new ArrayList<>();
        Point[] points;
        Fp3 rb;
    }

    static Verdict verify(List<Commitment> cs, List<Commitment> companions, Commitment batchMask, List<LinearClaim> claims,
            ZkOpeningProof proof, Transcript t, Trace trace) {
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
        if (companions != null && companions.size() != numK) {
            return Verdict.reject("pcs zk: " + companions.size() + " companion entries for " + numK + " commitments");
        }
        Commitment[] comp = new Commitment[numK];
        for (int k = 0; k < numK; k++) {
            comp[k] = companions == null ? null : companions.get(k);
            if (comp[k] != null) {
                String why = TensorCodePcs.checkCompanion(comp[k], cs.get(k).params());
                if (why != null) {
                    return Verdict.reject("pcs zk: commitment " + k + ": " + why);
                }
            }
        }
        int numComp = count(companions);
        boolean withB = numComp > 0;
        List<Located[]> loc = new ArrayList<>();
        List<LinearClaim> flat = new ArrayList<>();
        String why = PieceClaims.expand(cs, claims, flat);
        if (why == null) {
            why = resolve(cs, flat, loc);
        }
        if (why != null) {
            return Verdict.reject("pcs zk: " + why);
        }
        int[] vars = new int[numK];
        int n = 0;
        for (int k = 0; k < numK; k++) {
            vars[k] = cs.get(k).params().numVars();
            n = Math.max(n, vars[k]);
        }
        int nS = n + (withB ? 1 : 0);
        why = checkBatchMask(batchMask, nS);
        if (why != null) {
            return Verdict.reject("pcs zk: " + why);
        }
        if (proof.numRounds() != nS || proof.numFinals() != numK || proof.numOpenings() != numK + 1
                || proof.numCompanions() != numComp) {
            return Verdict.reject("pcs zk: proof has " + proof.numRounds() + " rounds, " + proof.numFinals() + " finals, "
                    + proof.numOpenings() + " openings and " + proof.numCompanions() + " companion column sets; expected " + nS + ", "
                    + numK + ", " + (numK + 1) + " and " + numComp);
        }
        for (int j = 0; j < nS; j++) {
            if (proof.round(j).length != 2) {
                return Verdict.reject("pcs zk: round " + j + " must send 2 values");
            }
        }
        Fp3 alpha = begin(t, cs, companions, batchMask, claims);
        Fp3 combined = combinedValue(claims, alpha);
        t.absorbExt("pcs/zk/mask-sum", proof.maskSum());
        Fp3 rho = t.challengeExt("pcs/zk/rho");
        Fp3 running = combined.add(rho.mul(proof.maskSum()));
        Fp3[] rAll = new Fp3[nS];
        for (int j = 0; j < nS; j++) {
            Fp3[] s = proof.round(j);
            Fp3[] values = {s[0], running.sub(s[0]), s[1]};
            t.absorbExt("pcs/zk/round", s);
            rAll[j] = t.challengeExt("pcs/zk/r");
            running = Univariate.evaluateFromValues(values, rAll[j]);
        }
        Fp3[] r = java.util.Arrays.copyOf(rAll, n);
        Fp3 rb = withB ? rAll[n] : null;
        Point[] points = new Point[numK];
        for (int k = 0; k < numK; k++) {
            points[k] = instancePoint(r, vars[k]);
        }
        Fp3[] w = kernelsAt(cs, flat, loc, alpha, points);
        // sum_k c_k W_k(rho_k) final_k, times (1 - r_b) with the b variable: a companion's final is
        // the extended polynomial P_k + b Bl_k~ at (rho_k, r_b), the others' P_k(rho_k)
        Fp3 phi = Fp3.ZERO;
        for (int k = 0; k < numK; k++) {
            phi = phi.add(joinCoefficient(n, vars[k]).mul(w[k]).mul(proof.finalValue(k)));
        }
        if (withB) {
            phi = phi.mul(Fp3.ONE.sub(rb));
        }
        if (!phi.add(rho.mul(proof.maskEval())).equals(running)) {
            return Verdict.reject("pcs zk: the final values do not match the last sumcheck round");
        }
        t.absorbExt("pcs/zk/finals", proof.finals());
        t.absorbExt("pcs/zk/mask-eval", proof.maskEval());
        if (trace != null) {
            trace.rb = rb;
            trace.points = points.clone();
        }
        int c = 0;
        for (int k = 0; k < numK; k++) {
            PcsParams p = cs.get(k).params();
            t.absorbLong("pcs/zk/opening", k);
            LigeroOpening o = proof.opening(k);
            if (trace != null) {
                Transcript probe = t.copy();
                probe.absorbExt("pcs/mask-eval", o.maskEval());
                trace.mu.add(probe.challengeExt("pcs/mu"));
                trace.gamma.add(probe.challengeExt("pcs/gamma"));
            }
            ColumnSet set = comp[k] == null ? null : proof.companion(c++);
            Verdict v = TensorCodePcs.checkRows(cs.get(k), comp[k], set, Mle.eqTable(points[k].slice(p.colVars(), vars[k])).data(),
                    Mle.eqTable(points[k].slice(0, p.colVars())).data(), rb, proof.finalValue(k), o, t);
            if (!v.isAccepted()) {
                return v.within("pcs zk opening of commitment " + k);
            }
        }
        t.absorbLong("pcs/zk/opening", numK);
        if (trace != null) {
            Transcript probe = t.copy();
            probe.absorbExt("pcs/mask-eval", proof.opening(numK).maskEval());
            trace.mu.add(probe.challengeExt("pcs/mu"));
            trace.gamma.add(probe.challengeExt("pcs/gamma"));
        }
        Verdict v = TensorCodePcs.checkRows(batchMask, oneRow(), maskWeights(rAll, batchMask.params().cols()), proof.maskEval(),
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
