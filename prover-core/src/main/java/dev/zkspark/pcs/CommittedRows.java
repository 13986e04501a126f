package dev.zkspark.pcs;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.field.Ntt;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.Subclaim;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProof;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.sumcheck.SumcheckVerifier;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committed-rows mode of a tensor-code opening ({@link TensorCodePcs#openRows}): instead of
 * sending the evaluation row v and the proximity row u (F_p^3 vectors of message length K), the
 * prover commits them and proves the verifier's checks on them. Design and cost in
 * {@code docs/COMMITTED_ROWS.md}.
 *
 * <p><b>Protocol.</b> (1) After v and u are fixed (after mu and gamma), the prover commits their six
 * base coordinate vectors (v = v_0 + X v_1 + X^2 v_2, likewise u) as one plain tensor-code
 * commitment P with sent-rows parameters at {@link PcsParams#INNER_BITS}: tensors r_(3w+c) (the
 * data parts, 2^colVars entries) and s_(3w+c) (the padding parts, 2^t entries, zero past the
 * padding), w = 0 for v and 1 for u; its root is absorbed where the rows would be. (2) The grinding
 * and the q query positions j_x follow as in the sent mode; the verifier computes from each queried
 * column the values e_x and p_x that Enc(v)[j_x] and Enc(u)[j_x] must equal. (3) These are 2q
 * linear claims on P, sum_i v_i z_x^i = e_x and sum_i u_i z_x^i = p_x with z_x = omega^(j_x)
 * (omega = {@link Goldilocks#rootOfUnity}(codeVars), as {@link Ntt#forward} encodes), plus the
 * evaluation claim sum_(i &lt; C) b_i v_i = value + mu y_R. Both sides absorb the 2q claimed values,
 * draw beta and batch the claims with its powers: weights W on P such that sum_x P(x) W(x) equals
 * sum_x beta^x e_x + sum_x beta^(q+x) p_x + beta^(2q) (value + mu y_R). (4) One degree-2 sumcheck
 * of P W reduces this to P(r) and W(r) at a random point r; the verifier computes W(r) itself and
 * checks it, and P is opened at r with the sent-rows opening (its own mask rows).
 *
 * <p><b>Soundness.</b> The root is absorbed before the grinding and the queries, so by the inner
 * commitment's binding (unique decoding at the inner parameters) v and u are fixed exactly as if
 * they had been sent; the sent-mode argument ({@link PcsParams}) then applies to those vectors, and
 * the added error is the inner opening's 2^-INNER_BITS, (2q + 1)/|F| for a false claim surviving
 * the beta batching (a nonzero polynomial of degree 2q in beta) and 2 n_P/|F| for the sumcheck;
 * {@link PcsParams#soundnessBits} includes these for every parameter set, since a prover may use
 * either mode.
 *
 * <p><b>Hiding.</b> Everything this mode reveals (P's root, its opened columns and masked rows, the
 * sumcheck messages, P(r)) is a function of v and u and of P's own fresh randomness; the sent mode
 * reveals v and u in full, and they are uniform (masked by the F_p^3 mask rows or the companion),
 * so the committed mode reveals no more. P's randomness comes from the opening's seed (the
 * companion's for a reused commitment, which is fresh per proof) and the transcript state.
 */
final class CommittedRows {
    private static final Expression PRODUCT = Expression.product(2);
    private static final String PREFIX = "pcs/rows/";
    private static final Fp3 X = new Fp3(0, 1, 0);
    private static final Fp3 X2 = new Fp3(0, 0, 1);
    private static final Fp3[] BASIS = {Fp3.ONE, X, X2};
    /** Inner parameters by (colVars, padding, levels) of the outer ones; absent when none exist. */
    private static final ConcurrentHashMap<Long, java.util.Optional<PcsParams>> INNER = new ConcurrentHashMap<>();

    private CommittedRows() {}

    /** Variables of a padding tensor: the smallest t with 2^t at least the padding. */
    static int padVars(PcsParams p) {
        return PcsParams.varsFor(p.padding());
    }

    /**
     * The inner commitment's regions for outer parameters p: r0..r5 of 2^colVars entries and
     * s0..s5 of 2^t, laid out as {@link TensorCodePcs#layout} lays out such tensors (largest first,
     * then by name).
     */
    static List<Region> regions(PcsParams p) {
        List<Region> tables = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            tables.add(new Region(PREFIX + "r" + k, p.colVars(), 0));
            tables.add(new Region(PREFIX + "s" + k, padVars(p), 0));
        }
        tables.sort(Comparator.comparingInt((Region r) -> -r.numVars()).thenComparing(Region::name));
        List<Region> out = new ArrayList<>();
        long pos = 0;
        for (Region r : tables) {
            out.add(new Region(r.name(), r.numVars(), pos));
            pos += 1L << r.numVars();
        }
        return out;
    }

    /**
     * The inner commitment's parameters for outer parameters p, chosen for openings with
     * {@code levels} levels of committed rows left at {@link PcsParams#innerBits}(levels) bits, or
     * null if none reach the target. The chooser's recursion ends because each level has one
     * level fewer left, and an opening with none left sends its rows.
     */
    static PcsParams innerParams(PcsParams p, int levels) {
        long key = ((long) p.colVars() << 40) | ((long) levels << 32) | p.padding();
        java.util.Optional<PcsParams> known = INNER.get(key);
        if (known == null) {
            // not computeIfAbsent: choosing the inner parameters looks up those of the next level
            PcsParams ip;
            try {
                ip = PcsParams.chooseFor(TensorCodePcs.totalEntries(regions(p)), PcsParams.innerBits(levels), 1, false, levels);
            } catch (IllegalArgumentException e) {
                ip = null;
            }
            known = java.util.Optional.ofNullable(ip);
            INNER.putIfAbsent(key, known);
        }
        return known.orElse(null);
    }

    /** What an opening in this mode adds to the proof: P's root, the row claims' sumcheck and P's opening. */
    record Proof(byte[] root, SumcheckProof sumcheck, LigeroOpening inner) {
        Proof {
            root = root.clone();
        }

        @Override
        public byte[] root() {
            return root.clone();
        }
    }

    /** The prover's state between committing the rows and proving the claims on them. */
    static final class Prover {
        private final PcsParams p;
        private final long[] v;
        private final long[] u;
        private final TensorCodePcs.Committed inner;
        /** Levels of committed rows the inner opening may use. */
        private final int innerLevels;

        private Prover(PcsParams p, long[] v, long[] u, TensorCodePcs.Committed inner, int innerLevels) {
            this.p = p;
            this.v = v;
            this.u = u;
            this.inner = inner;
            this.innerLevels = innerLevels;
        }

        /** The rows' commitment (tests fix the mode of its opening). */
        TensorCodePcs.Committed inner() {
            return inner;
        }
    }

    /**
     * Step (1): commits v and u (interleaved F_p^3 vectors of the message length) with randomness
     * from {@code seed} and the transcript state, and absorbs the root; {@code levels} (at least 1)
     * are the levels of committed rows this opening may use, one of them this one.
     */
    static Prover commit(PcsParams p, long[] v, long[] u, byte[] seed, Transcript t, int levels) {
        PcsParams ip = levels <= 0 ? null : innerParams(p, levels - 1);
        if (ip == null) {
            throw new IllegalStateException("no inner parameters for committed rows of " + p);
        }
        int c = p.cols();
        int pad = p.padding();
        int padSize = 1 << padVars(p);
        List<TensorCodePcs.Tensor> tensors = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            long[] row = w == 0 ? v : u;
            for (int k = 0; k < 3; k++) {
                long[] data = new long[c];
                long[] tail = new long[padSize];
                for (int i = 0; i < c; i++) {
                    data[i] = row[3 * i + k];
                }
                for (int i = 0; i < pad; i++) {
                    tail[i] = row[3 * (c + i) + k];
                }
                tensors.add(new TensorCodePcs.Tensor(PREFIX + "r" + (3 * w + k), data));
                tensors.add(new TensorCodePcs.Tensor(PREFIX + "s" + (3 * w + k), tail));
            }
        }
        byte[] innerSeed = new byte[32];
        new Drbg(seed, "pcs/rows/commit/" + HexFormat.of().formatHex(t.state())).nextBytes(innerSeed);
        // without its codewords: the opening encodes each row again for its q columns, and the
        // opener of a split commitment (the driver) keeps O(message length) per row
        TensorCodePcs.Committed inner = TensorCodePcs.withoutCodewords(TensorCodePcs.commit(tensors, innerSeed, ip, 1));
        if (!inner.commitment.regions().equals(regions(p))) {
            throw new IllegalStateException("the committed rows' layout differs from the verifier's");
        }
        absorbRoot(t, inner.commitment.root());
        return new Prover(p, v, u, inner, levels - 1);
    }

    /** Where the sent mode absorbs the rows: the prover in {@link #commit}, the verifier before the grinding check. */
    static void absorbRoot(Transcript t, byte[] root) {
        t.absorb("pcs/rows-root", root);
    }

    /**
     * Steps (3) and (4) for the query positions {@code js} and the column weights b of the
     * evaluation claim (interleaved, 2^colVars entries).
     */
    static Proof prove(Prover pr, int[] js, long[] colWeights, Transcript t) {
        PcsParams p = pr.p;
        int q = js.length;
        Fp3[] claimed = new Fp3[2 * q];
        encodedAt(p, pr.v, js, claimed, 0);
        encodedAt(p, pr.u, js, claimed, q);
        t.absorbExt("pcs/rows-claims", claimed);
        Fp3 beta = t.challengeExt("pcs/rows-beta");
        Fp3[] pow = powers(beta, 2 * q + 1);
        Fp3 evalCoef = pow[2 * q];
        // A_w[i] = sum_x beta^(wq + x) omega^(j_x i): the transform of the query weights' spikes
        long[][] av = spikes(p, js, pow, 0);
        long[][] au = spikes(p, js, pow, q);
        Fp3 sum = Fp3.ZERO;
        for (int x = 0; x < 2 * q; x++) {
            sum = sum.add(pow[x].mul(claimed[x]));
        }
        Fp3 bv = Fp3.ZERO;
        for (int i = 0; i < p.cols(); i++) {
            bv = bv.add(Fp3.get(colWeights, i).mul(Fp3.get(pr.v, i)));
        }
        sum = sum.add(evalCoef.mul(bv));
        PcsParams ip = pr.inner.commitment.params();
        int nP = ip.numVars();
        long[] weights = new long[3 << nP];
        for (Region r : pr.inner.commitment.regions()) {
            Block b = Block.of(r);
            long[][] a = b.w == 0 ? av : au;
            int from = b.padding ? p.cols() : 0;
            int len = b.padding ? p.padding() : p.cols();
            Fp3 basis = BASIS[b.coord];
            int off = (int) r.offset();
            dev.zkspark.core.Parallel.forRange(len, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    Fp3 wi = new Fp3(a[0][from + i], a[1][from + i], a[2][from + i]);
                    if (b.w == 0 && !b.padding) {
                        wi = wi.add(evalCoef.mul(Fp3.get(colWeights, i)));
                    }
                    basis.mul(wi).put(weights, off + i);
                }
            });
        }
        long[] poly = java.util.Arrays.copyOf(pr.inner.poly, 1 << nP);
        SumcheckProver.Result res = SumcheckProver.prove(new SumcheckInstance(PRODUCT, List.of(Mle.base(poly), Mle.ext(weights)), sum), t);
        Point r = res.subclaims().get(0).point();
        LigeroOpening o = TensorCodePcs.openRows(pr.inner, null, Mle.eqTable(r.slice(ip.colVars(), nP)).data(),
                Mle.eqTable(r.slice(0, ip.colVars())).data(), null, t, pr.innerLevels).rows();
        return new Proof(pr.inner.commitment.root(), res.proof(), o);
    }

    /**
     * The verifier's side of steps (2) to (4): {@code e} and {@code pv} are the values the queried
     * columns give for Enc(v) and Enc(u) at {@code js}, {@code target} is value + mu y_R. The root
     * was absorbed by the caller ({@link #absorbRoot}) before the grinding; {@code levels} as in
     * {@link #commit}.
     */
    static Verdict verify(PcsParams p, Proof proof, int[] js, Fp3[] e, Fp3[] pv, long[] colWeights, Fp3 target, Transcript t,
            int levels) {
        PcsParams ip = levels <= 0 ? null : innerParams(p, levels - 1);
        if (ip == null) {
            return Verdict.reject("pcs: these parameters have no committed-rows mode");
        }
        int q = js.length;
        Fp3[] claimed = new Fp3[2 * q];
        System.arraycopy(e, 0, claimed, 0, q);
        System.arraycopy(pv, 0, claimed, q, q);
        t.absorbExt("pcs/rows-claims", claimed);
        Fp3 beta = t.challengeExt("pcs/rows-beta");
        Fp3[] pow = powers(beta, 2 * q + 1);
        Fp3 sum = pow[2 * q].mul(target);
        for (int x = 0; x < 2 * q; x++) {
            sum = sum.add(pow[x].mul(claimed[x]));
        }
        int nP = ip.numVars();
        SumcheckVerifier.Result sv = SumcheckVerifier.verify(new SumcheckClaim(nP, PRODUCT, sum), proof.sumcheck(), t);
        if (!sv.verdict().isAccepted()) {
            return sv.verdict().within("pcs committed rows");
        }
        Subclaim sc = sv.subclaims().get(0);
        Point r = sc.point();
        List<Region> regions = regions(p);
        if (!weightsAt(p, regions, js, pow, colWeights, r).equals(sc.value(1))) {
            return Verdict.reject("pcs: committed rows: the query weights evaluate differently");
        }
        Commitment inner = new Commitment(proof.root(), ip, regions);
        Verdict v = TensorCodePcs.checkRows(inner, null, null, Mle.eqTable(r.slice(ip.colVars(), nP)).data(),
                Mle.eqTable(r.slice(0, ip.colVars())).data(), null, sc.value(0), proof.inner(), t, levels - 1);
        return v.within("pcs committed rows");
    }

    /** A region of P: which row (w = 0 v, 1 u), which base coordinate, data or padding part. */
    private record Block(int w, int coord, boolean padding) {
        static Block of(Region r) {
            String s = r.name().substring(PREFIX.length());
            int k = s.charAt(1) - '0';
            return new Block(k / 3, k % 3, s.charAt(0) == 's');
        }
    }

    /**
     * W(r) in O(q (colVars + t^2) + C): on each region, eq(r's high bits, region index) X^coord
     * times the region's local weights at r's low bits, where a data block's are
     * sum_x beta^(wq+x) prod_l (1 - r_l + r_l z_x^(2^l)) (plus beta^2q sum_i b_i eq(r, i) for v) and
     * a padding block's sum_x beta^(wq+x) z_x^C sum_(i &lt; padding) eq(r, i) z_x^i.
     */
    private static Fp3 weightsAt(PcsParams p, List<Region> regions, int[] js, Fp3[] pow, long[] colWeights, Point r) {
        int q = js.length;
        int cv = p.colVars();
        int tv = padVars(p);
        Point lowData = r.slice(0, cv);
        Point lowPad = r.slice(0, tv);
        long omega = Goldilocks.rootOfUnity(p.codeVars());
        Fp3[] data = {Fp3.ZERO, Fp3.ZERO};
        Fp3[] pad = {Fp3.ZERO, Fp3.ZERO};
        for (int x = 0; x < q; x++) {
            long z = Goldilocks.pow(omega, js[x]);
            Fp3 full = powerProduct(lowData, z, cv);
            Fp3 tail = truncatedPowers(lowPad, z, tv, p.padding()).mul(Goldilocks.pow(z, p.cols()));
            for (int w = 0; w < 2; w++) {
                data[w] = data[w].add(pow[w * q + x].mul(full));
                pad[w] = pad[w].add(pow[w * q + x].mul(tail));
            }
        }
        long[] eqLow = Mle.eqTable(lowData).data();
        Fp3 be = Fp3.ZERO;
        for (int i = 0; i < p.cols(); i++) {
            be = be.add(Fp3.get(colWeights, i).mul(Fp3.get(eqLow, i)));
        }
        data[0] = data[0].add(pow[2 * q].mul(be));
        Fp3 total = Fp3.ZERO;
        for (Region reg : regions) {
            Block b = Block.of(reg);
            int nv = reg.numVars();
            Fp3 local = b.padding ? pad[b.w] : data[b.w];
            Fp3 sel = Mle.eqAt(r.slice(nv, r.size()), reg.offset() >>> nv);
            total = total.add(sel.mul(BASIS[b.coord]).mul(local));
        }
        return total;
    }

    /** sum over i in [0, 2^m) of eq(r, i) z^i = prod_(l &lt; m) (1 - r_l + r_l z^(2^l)). */
    private static Fp3 powerProduct(Point r, long z, int m) {
        Fp3 acc = Fp3.ONE;
        long zp = z;
        for (int l = 0; l < m; l++) {
            Fp3 rl = r.get(l);
            acc = acc.mul(Fp3.ONE.sub(rl).add(rl.mul(zp)));
            zp = Goldilocks.mul(zp, zp);
        }
        return acc;
    }

    /**
     * sum over i in [0, len) of eq(r, i) z^i for i over m variables (len at most 2^m), by the top
     * bit: below 2^(m-1) it is (1 - r_top) times the same sum over m - 1 variables, above it
     * (1 - r_top) times the full product plus r_top z^(2^(m-1)) times the sum of the rest.
     */
    static Fp3 truncatedPowers(Point r, long z, int m, long len) {
        if (len <= 0) {
            return Fp3.ZERO;
        }
        if (m == 0) {
            return Fp3.ONE;
        }
        long half = 1L << (m - 1);
        Fp3 top = r.get(m - 1);
        Fp3 low = Fp3.ONE.sub(top);
        if (len <= half) {
            return low.mul(truncatedPowers(r, z, m - 1, len));
        }
        Fp3 full = powerProduct(r, z, m - 1);
        return low.mul(full).add(top.mul(Goldilocks.pow(z, half)).mul(truncatedPowers(r, z, m - 1, len - half)));
    }

    /**
     * out[at + x] = the codeword of an interleaved F_p^3 message (as the verifier encodes sent rows)
     * at js[x]; the codewords are transient (the opener of a split commitment runs on the driver).
     */
    private static void encodedAt(PcsParams p, long[] row, int[] js, Fp3[] out, int at) {
        long[][] enc = new long[3][p.codeLength()];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < p.messageLength(); i++) {
                enc[c][i] = row[3 * i + c];
            }
        }
        dev.zkspark.core.Parallel.forRange(3, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                Ntt.forward(enc[c]);
            }
        });
        for (int x = 0; x < js.length; x++) {
            out[at + x] = new Fp3(enc[0][js[x]], enc[1][js[x]], enc[2][js[x]]);
        }
    }

    /**
     * The three base coordinates of A[i] = sum_x pow[shift + x] omega^(j_x i) for i below the
     * message length: the transform of the vector with pow[shift + x] added at position j_x,
     * truncated (only the message's coefficients are weighted).
     */
    private static long[][] spikes(PcsParams p, int[] js, Fp3[] pow, int shift) {
        long[][] s = new long[3][p.codeLength()];
        for (int x = 0; x < js.length; x++) {
            Fp3 c = pow[shift + x];
            int j = js[x];
            s[0][j] = Goldilocks.add(s[0][j], c.c0);
            s[1][j] = Goldilocks.add(s[1][j], c.c1);
            s[2][j] = Goldilocks.add(s[2][j], c.c2);
        }
        dev.zkspark.core.Parallel.forRange(3, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                Ntt.forward(s[c]);
                s[c] = java.util.Arrays.copyOf(s[c], p.messageLength());
            }
        });
        return s;
    }

    private static Fp3[] powers(Fp3 g, int n) {
        Fp3[] out = new Fp3[n];
        Fp3 x = Fp3.ONE;
        for (int i = 0; i < n; i++) {
            out[i] = x;
            x = x.mul(g);
        }
        return out;
    }
}
