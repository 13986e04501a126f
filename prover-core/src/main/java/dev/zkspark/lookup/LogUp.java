package dev.zkspark.lookup;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.Masked;
import dev.zkspark.sumcheck.ZkMasks;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * logUp (Haböck 2022) with GKR fractional sums (Papini-Haböck 2023): every entry of the witness
 * columns lies in the table iff, for a random alpha,
 * sum_i 1/(alpha - w_i) = sum_j m_j/(alpha - t_j), where m_j counts the occurrences of t_j.
 *
 * <p>All columns looked up in one table share one multiplicity vector: the columns are laid out in
 * aligned power-of-two regions (largest first) of one leaf vector, padded to a power of two with
 * fractions 0/alpha. Only the multiplicities are committed (by the caller, before this protocol
 * draws its challenges); inverses never are. The protocol ends in claims on each column (and its y
 * column for pair tables) at the tail of the witness leaf point, and on the multiplicities.
 *
 * <p>Soundness: if some w_i is not in the table, sum_i 1/(X - w_i) - sum_j m_j/(X - t_j) is a
 * nonzero rational function whose numerator has degree below N + M, so it vanishes at alpha with
 * probability at most (N + M)/|F_p^3| (N, M &lt; 2^40: below 2^-150; multiplicities are below
 * p, so they cannot wrap). For pairs, x + beta y collides with another pair's compression with
 * probability 1/|F_p^3| per pair. The GKR layers add 3n^2/|F_p^3| each (see {@link FractionalSum}).
 *
 * <p>Zero knowledge ({@link #proveZk}, DESIGN §4): the plain proof reveals the roots, the top
 * layers, every layer's p0, p1, q0, q1 and the columns' evaluations, all functions of the witness
 * (a constant column's evaluation is the constant). The ZK variant reveals only ZkSumcheck messages
 * and masked finals: one 0-variable ZkSumcheck proves sum over the witness = sum over the table on
 * the hidden top values, each tree is descended with masked claims, and the leaf checks become
 * {@link LinearClaim}s on the columns, the multiplicities and the committed masks whose values are
 * public. The masks tensor is sized with {@link #reserveZk} and committed with the witness.
 */
public final class LogUp {
    private LogUp() {}

    /** The multiplicity of each table row; fails if a value is not in the table (a bad witness). */
    public static long[] multiplicities(Table table, List<LookupColumn> columns) {
        long[] m = new long[table.size()];
        for (LookupColumn c : columns) {
            for (int i = 0; i < c.x().length; i++) {
                int row = table.rowOf(c.x()[i], c.y() == null ? 0 : c.y()[i]);
                if (row < 0) {
                    throw new IllegalArgumentException("lookup: " + c.xName() + "[" + i + "] = "
                            + Goldilocks.toSigned(c.x()[i]) + " is not in table " + table.name());
                }
                m[row]++;
            }
        }
        return m;
    }

    /** A proof and the claims it leaves on committed tensors (columns and multiplicities). */
    public record Proved(LogUpProof proof, List<Claim> claims) {}

    /** The outcome of verification: a verdict and, if accepted, the claims to discharge. */
    public record Checked(Verdict verdict, List<Claim> claims) {
        static Checked fail(String why) {
            return new Checked(Verdict.reject("lookup: " + why), List.of());
        }
    }

    public static String multiplicityTensor(Table table) {
        return "multiplicities/" + table.name();
    }

    /**
     * Proves that every entry of the columns is in the table. The caller has committed the columns
     * and {@code m} (absorbed their commitments) before calling.
     */
    public static Proved prove(Table table, List<LookupColumn> columns, long[] m, Transcript t) {
        List<LookupColumn.Shape> shapes = new ArrayList<>();
        for (LookupColumn c : columns) {
            shapes.add(c.shape());
        }
        Layout layout = Layout.of(shapes);
        Fp3 beta = table.isPairs() ? t.challengeExt("logup/beta") : Fp3.ZERO;
        Fp3 alpha = t.challengeExt("logup/alpha");

        long[][] leaves = witnessLeaves(columns, layout, alpha, beta);
        FractionalSum.Proved wit = FractionalSum.prove(Mle.base(leaves[0]), Mle.ext(leaves[1]), t);
        FractionalSum.Proved tab = FractionalSum.prove(Mle.base(m.clone()), Mle.ext(tableDenominators(table, alpha, beta, 0, table.size())), t);

        Point r = wit.leaves().point();
        Fp3[] xe = new Fp3[columns.size()];
        Fp3[] ye = new Fp3[table.isPairs() ? columns.size() : 0];
        for (int ci = 0; ci < columns.size(); ci++) {
            LookupColumn c = columns.get(ci);
            Point rc = r.slice(0, c.numVars());
            xe[ci] = Mle.base(c.x()).evaluate(rc);
            if (table.isPairs()) {
                ye[ci] = Mle.base(c.y()).evaluate(rc);
            }
        }
        t.absorbExt("logup/x-evals", xe);
        t.absorbExt("logup/y-evals", ye);
        LogUpProof proof = new LogUpProof(wit.proof(), tab.proof(), xe, ye);
        return new Proved(proof, claims(table, shapes, r, xe, ye, tab.leaves()));
    }

    public static Checked verify(Table table, List<LookupColumn.Shape> columns, LogUpProof proof, Transcript t) {
        if (columns.isEmpty()) {
            return Checked.fail("no columns");
        }
        if (proof.xEvals.length != columns.size() || proof.yEvals.length != (table.isPairs() ? columns.size() : 0)) {
            return Checked.fail("wrong number of column evaluations");
        }
        Layout layout = Layout.of(columns);
        Fp3 beta = table.isPairs() ? t.challengeExt("logup/beta") : Fp3.ZERO;
        Fp3 alpha = t.challengeExt("logup/alpha");
        FractionalSum.Checked wit = FractionalSum.verify(layout.numVars, proof.witness, t);
        if (!wit.verdict().isAccepted()) {
            return Checked.fail("witness side: " + wit.verdict().reason());
        }
        FractionalSum.Checked tab = FractionalSum.verify(table.numVars(), proof.table, t);
        if (!tab.verdict().isAccepted()) {
            return Checked.fail("table side: " + tab.verdict().reason());
        }
        // the two sums are equal and well defined
        Fp3 pw = proof.witness.numerator();
        Fp3 qw = proof.witness.denominator();
        Fp3 pt = proof.table.numerator();
        Fp3 qt = proof.table.denominator();
        if (qw.isZero() || qt.isZero() || !pw.mul(qt).equals(pt.mul(qw))) {
            return Checked.fail("sum over the witness differs from the sum over the table");
        }
        // witness leaves: p is the verifier's indicator of the real entries, q = alpha - w
        Point r = wit.leaves().point();
        if (!wit.leaves().p().equals(prefixIndicator(r, layout.used))) {
            return Checked.fail("witness leaf numerators are not the indicator of the columns");
        }
        Fp3 w = Fp3.ZERO;
        for (int ci = 0; ci < columns.size(); ci++) {
            int nv = columns.get(ci).numVars();
            Fp3 sel = Mle.eqAt(r.slice(nv, r.size()), layout.offsets[ci] >>> nv);
            Fp3 v = table.isPairs() ? proof.xEvals[ci].add(beta.mul(proof.yEvals[ci])) : proof.xEvals[ci];
            w = w.add(sel.mul(v));
        }
        if (!alpha.sub(w).equals(wit.leaves().q())) {
            return Checked.fail("column evaluations do not match the witness denominators");
        }
        // table leaves: q = alpha - t(r') computed by the verifier
        if (!alpha.sub(table.evaluate(tab.leaves().point(), beta)).equals(tab.leaves().q())) {
            return Checked.fail("table denominators do not match the table");
        }
        t.absorbExt("logup/x-evals", proof.xEvals);
        t.absorbExt("logup/y-evals", proof.yEvals);
        return new Checked(Verdict.accept(), claims(table, columns, r, proof.xEvals, proof.yEvals, tab.leaves()));
    }

    // ---------------------------------------------------------------------------------------------
    // Zero knowledge (DESIGN §4). The same two trees, proved with FractionalSum's ZK variant: the
    // roots and top values are never sent (one ZkSumcheck shows sum over witness = sum over table
    // on the hidden top values), every layer's finals are masked, and the leaves end as masked
    // p(r), q(r). The leaf checks of verify() become linear claims on committed tensors: the column
    // evaluations x~(r_c), y~(r_c) and m~(r') are never revealed, only combinations of them with
    // committed masks whose value is public.

    /** A zero-knowledge proof and the linear claims it leaves on the committed tensors and masks. */
    public record ProvedZk(LogUpZkProof proof, List<LinearClaim> claims) {}

    /** The outcome of zero-knowledge verification: a verdict and, if accepted, the claims to discharge. */
    public record CheckedZk(Verdict verdict, List<LinearClaim> claims) {
        static CheckedZk fail(String why) {
            return new CheckedZk(Verdict.reject("lookup: " + why), List.of());
        }
    }

    /**
     * The mask slots {@link #proveZk} takes, in its order: size the committed masks tensor with
     * {@code ZkMasks.slotsOnly(name)}, this, then {@code used()}.
     */
    public static void reserveZk(Table table, List<LookupColumn.Shape> columns, ZkMasks masks) {
        Layout layout = Layout.of(columns);
        FractionalSum.reserveRootsZk(masks);
        FractionalSum.reserveDescentZk(layout.numVars, masks);
        FractionalSum.reserveDescentZk(table.numVars(), masks);
    }

    /**
     * Proves in zero knowledge that every entry of the columns is in the table. The caller has
     * committed the columns, {@code m} and the masks tensor (absorbed their commitments) before
     * calling: alpha and every sumcheck challenge must come after them (soundness: the masks and the
     * leaves must be fixed before the challenges they are tested with). The claims returned are those
     * {@link #verifyZk} returns; they hold on the real tensors.
     */
    public static ProvedZk proveZk(Table table, List<LookupColumn> columns, long[] m, ZkMasks masks, Transcript t) {
        if (m.length != table.size()) {
            throw new IllegalArgumentException("lookup: " + m.length + " multiplicities for table " + table.name() + " of " + table.size());
        }
        List<LookupColumn.Shape> shapes = new ArrayList<>();
        for (LookupColumn c : columns) {
            shapes.add(c.shape());
        }
        Layout layout = Layout.of(shapes);
        return proveZk(table, shapes, (alpha, beta) -> {
            long[][] leaves = witnessLeaves(columns, layout, alpha, beta);
            return new FractionTree[] {FractionalSum.Tree.build(Mle.base(leaves[0]), Mle.ext(leaves[1])),
                FractionalSum.Tree.build(Mle.base(m.clone()), Mle.ext(tableDenominators(table, alpha, beta, 0, table.size())))};
        }, masks, t);
    }

    /**
     * The two fraction trees of a lookup once alpha and beta are drawn: the witness tree over
     * {@link #witnessVars} leaf variables and the table tree over the table's, built wherever the
     * leaves are (in this JVM, or as {@link #subtrees} blocks on Spark partitions).
     */
    public interface Trees {
        /** The witness tree and the table tree for these challenges. */
        FractionTree[] build(Fp3 alpha, Fp3 beta);
    }

    /** The witness tree's leaf variables for columns of these shapes (public). */
    public static int witnessVars(List<LookupColumn.Shape> shapes) {
        return Layout.of(shapes).numVars;
    }

    /**
     * {@link #proveZk} by a prover that holds only the public shapes: the trees' leaves are wherever
     * {@code trees} builds them (the same proof and claims for any form of the trees).
     */
    public static ProvedZk proveZk(Table table, List<LookupColumn.Shape> shapes, Trees trees, ZkMasks masks, Transcript t) {
        Layout layout = Layout.of(shapes);
        absorbZkShape(t, layout, table);
        Fp3 beta = table.isPairs() ? t.challengeExt("logup/beta") : Fp3.ZERO;
        Fp3 alpha = t.challengeExt("logup/alpha");
        FractionTree[] built = trees.build(alpha, beta);
        FractionTree wit = built[0];
        FractionTree tab = built[1];
        if (wit.numVars() != layout.numVars || tab.numVars() != table.numVars()) {
            throw new IllegalStateException("lookup " + table.name() + ": trees of 2^" + wit.numVars() + " and 2^" + tab.numVars()
                    + " leaves, expected 2^" + layout.numVars + " and 2^" + table.numVars());
        }

        ZkSumcheck.Proved roots = FractionalSum.proveRootsZk(wit, tab, masks, t);
        Masked[] top = roots.outcome().finals().get(0);
        FractionalSum.ZkDescent dw = FractionalSum.descendZk(wit, Arrays.copyOfRange(top, 0, 4), masks, t);
        FractionalSum.ZkDescent dt = FractionalSum.descendZk(tab, Arrays.copyOfRange(top, 4, 8), masks, t);
        List<LinearClaim> claims = leafClaimsZk(table, shapes, layout, alpha, beta, dw.leaves(), dt.leaves(), masks.tensor());
        if (claims == null) {
            // unreachable for an honest prover: leaf values always carry masks
            throw new IllegalStateException("lookup: unmasked leaf values");
        }
        claims.addAll(roots.outcome().maskClaims());
        claims.addAll(dw.maskClaims());
        claims.addAll(dt.maskClaims());
        return new ProvedZk(new LogUpZkProof(roots.proof(), dw.layers(), dt.layers()), List.copyOf(claims));
    }

    /**
     * Verifies a zero-knowledge proof; never throws on a malformed proof. On acceptance, every
     * returned claim must be discharged against the commitments of the columns, the multiplicities
     * ({@link #multiplicityTensor}) and the masks tensor.
     */
    public static CheckedZk verifyZk(Table table, List<LookupColumn.Shape> columns, LogUpZkProof proof, ZkMasks masks, Transcript t) {
        if (columns.isEmpty()) {
            return CheckedZk.fail("no columns");
        }
        Layout layout;
        try {
            layout = Layout.of(columns);
        } catch (IllegalArgumentException e) {
            return CheckedZk.fail(e.getMessage());
        }
        if (proof.witnessLayers.length != layout.numVars - 1 || proof.tableLayers.length != table.numVars() - 1) {
            return CheckedZk.fail("expected " + (layout.numVars - 1) + " witness and " + (table.numVars() - 1)
                    + " table layers, proof has " + proof.witnessLayers.length + " and " + proof.tableLayers.length);
        }
        absorbZkShape(t, layout, table);
        Fp3 beta = table.isPairs() ? t.challengeExt("logup/beta") : Fp3.ZERO;
        Fp3 alpha = t.challengeExt("logup/alpha");
        ZkSumcheck.Checked roots = FractionalSum.verifyRootsZk(proof.roots, masks, t);
        if (!roots.verdict().isAccepted()) {
            return CheckedZk.fail("sum over the witness differs from the sum over the table: " + roots.verdict().reason());
        }
        Masked[] top = roots.outcome().finals().get(0);
        FractionalSum.CheckedZk wit = FractionalSum.verifyDescentZk(layout.numVars, proof.witnessLayers, Arrays.copyOfRange(top, 0, 4), masks, t);
        if (!wit.verdict().isAccepted()) {
            return CheckedZk.fail("witness side: " + wit.verdict().reason());
        }
        FractionalSum.CheckedZk tab = FractionalSum.verifyDescentZk(table.numVars(), proof.tableLayers, Arrays.copyOfRange(top, 4, 8), masks, t);
        if (!tab.verdict().isAccepted()) {
            return CheckedZk.fail("table side: " + tab.verdict().reason());
        }
        List<LinearClaim> claims = leafClaimsZk(table, columns, layout, alpha, beta, wit.leaves(), tab.leaves(), masks.tensor());
        if (claims == null) {
            return CheckedZk.fail("unmasked leaf values do not match the public leaves");
        }
        claims.addAll(roots.outcome().maskClaims());
        claims.addAll(wit.maskClaims());
        claims.addAll(tab.maskClaims());
        return new CheckedZk(Verdict.accept(), List.copyOf(claims));
    }

    /** Binds the challenges to the shape the trees are proved over (the caller binds the rest of the statement). */
    private static void absorbZkShape(Transcript t, Layout layout, Table table) {
        t.absorbLong("logup-zk/witness-vars", layout.numVars);
        t.absorbLong("logup-zk/table-vars", table.numVars());
    }

    /**
     * The leaf checks of {@link #verify} as linear claims (true value = revealed - mask part):
     * <ul>
     * <li>witness q: alpha - sum_c sel_c(r) (x_c~(r_c) + beta y_c~(r_c)) + mask = revealed, one
     * claim over every column tensor and the masks;
     * <li>witness p (the verifier's prefix indicator) and table q (alpha - t~(r'), the verifier's
     * table): public true values, so only "mask part = revealed - public" on the masks tensor; its
     * value is public and the masks it reads are the last layer's fresh ones, so it reveals nothing;
     * <li>table p: m~(r') + mask = revealed.
     * </ul>
     * Null if a public leaf value carries no mask and is wrong (only a malformed proof).
     */
    private static List<LinearClaim> leafClaimsZk(Table table, List<LookupColumn.Shape> cols, Layout layout, Fp3 alpha, Fp3 beta,
            FractionalSum.MaskedLeaves wit, FractionalSum.MaskedLeaves tab, String maskTensor) {
        List<LinearClaim> out = new ArrayList<>();
        Point r = wit.point();
        List<LinearClaim.Term> terms = new ArrayList<>();
        for (int ci = 0; ci < cols.size(); ci++) {
            LookupColumn.Shape c = cols.get(ci);
            int nv = c.numVars();
            Point rc = r.slice(0, nv);
            Fp3 sel = Mle.eqAt(r.slice(nv, r.size()), layout.offsets[ci] >>> nv);
            terms.add(new LinearClaim.Eval(c.xName(), rc, sel.neg()));
            if (table.isPairs()) {
                terms.add(new LinearClaim.Eval(c.yName(), rc, sel.mul(beta).neg()));
            }
        }
        terms.addAll(maskPart(wit.q(), maskTensor));
        out.add(new LinearClaim(terms, wit.q().revealed().sub(alpha)));
        if (!publicLeaf(out, wit.p(), prefixIndicator(r, layout.used), maskTensor)) {
            return null;
        }
        out.add(tab.p().claimOn(multiplicityTensor(table), tab.point(), maskTensor));
        if (!publicLeaf(out, tab.q(), alpha.sub(table.evaluate(tab.point(), beta)), maskTensor)) {
            return null;
        }
        return out;
    }

    /** A masked leaf whose true value the verifier knows: a claim on the masks alone (or a direct check). */
    private static boolean publicLeaf(List<LinearClaim> out, Masked v, Fp3 expected, String maskTensor) {
        if (v.pairs().isEmpty()) {
            return v.revealed().equals(expected);
        }
        out.add(new LinearClaim(maskPart(v, maskTensor), v.revealed().sub(expected)));
        return true;
    }

    /** The mask part sum_p c_p (m_p0 + m_p1) of v as a term on the masks tensor (none if v is clear). */
    private static List<LinearClaim.Term> maskPart(Masked v, String maskTensor) {
        return v.pairs().isEmpty() ? List.of() : List.of(v.maskTerm(maskTensor));
    }

    private static List<Claim> claims(Table table, List<LookupColumn.Shape> cols, Point r, Fp3[] xe, Fp3[] ye,
            FractionalSum.LeafClaim tableLeaves) {
        List<Claim> out = new ArrayList<>();
        for (int ci = 0; ci < cols.size(); ci++) {
            Point rc = r.slice(0, cols.get(ci).numVars());
            out.add(new Claim(cols.get(ci).xName(), rc, xe[ci]));
            if (table.isPairs()) {
                out.add(new Claim(cols.get(ci).yName(), rc, ye[ci]));
            }
        }
        out.add(new Claim(multiplicityTensor(table), tableLeaves.point(), tableLeaves.p()));
        return out;
    }

    /**
     * The witness tree's leaves: p = 1 on the columns' entries and 0 on padding, q = alpha - w
     * (w = x + beta y) on entries and alpha on padding (so padding adds 0/alpha). Computed on the
     * coordinates (x and y are base field), without Fp3 values: this runs once per lookup.
     */
    static long[][] witnessLeaves(List<LookupColumn> columns, Layout layout, Fp3 alpha, Fp3 beta) {
        return witnessLeaves(columns, layout, alpha, beta, 0, 1L << layout.numVars);
    }

    /** The leaves [from, to) of {@link #witnessLeaves(List, Layout, Fp3, Fp3)} (one block of a split tree). */
    static long[][] witnessLeaves(List<LookupColumn> columns, Layout layout, Fp3 alpha, Fp3 beta, long from, long to) {
        int len = (int) (to - from);
        long[] p = new long[len];
        long[] q = new long[3 * len];
        // the columns' regions tile [0, used) exactly; only the padding after them is 0/alpha
        for (long x = Math.max(from, layout.used); x < to; x++) {
            alpha.put(q, (int) (x - from));
        }
        long a0 = alpha.c0, a1 = alpha.c1, a2 = alpha.c2;
        long b0 = beta.c0, b1 = beta.c1, b2 = beta.c2;
        for (int ci = 0; ci < columns.size(); ci++) {
            LookupColumn c = columns.get(ci);
            long off = layout.offsets[ci];
            long[] xs = c.x();
            long[] ys = c.y();
            // the part of this column's region inside [from, to); q = alpha - x - beta y, coordinate-wise
            int lo = (int) Math.max(0, from - off);
            int hi = (int) Math.min(xs.length, to - off);
            for (int i = lo; i < hi; i++) {
                int j = (int) (off + i - from);
                p[j] = 1;
                if (ys == null) {
                    q[3 * j] = Goldilocks.sub(a0, xs[i]);
                    q[3 * j + 1] = a1;
                    q[3 * j + 2] = a2;
                } else {
                    long y = ys[i];
                    q[3 * j] = Goldilocks.sub(Goldilocks.sub(a0, xs[i]), Goldilocks.mul(b0, y));
                    q[3 * j + 1] = Goldilocks.sub(a1, Goldilocks.mul(b1, y));
                    q[3 * j + 2] = Goldilocks.sub(a2, Goldilocks.mul(b2, y));
                }
            }
        }
        return new long[][] {p, q};
    }

    /** The table tree's denominators alpha - t_j for rows [from, to) (its numerators are the multiplicities). */
    private static long[] tableDenominators(Table table, Fp3 alpha, Fp3 beta, int from, int to) {
        long[] tq = new long[3 * (to - from)];
        for (int j = from; j < to; j++) {
            alpha.sub(table.compressedAt(j, beta)).put(tq, j - from);
        }
        return tq;
    }

    /**
     * Block c of {@code count} of both trees of a zero-knowledge lookup (witness, table) as
     * {@link SplitFractionTree} needs them: each built up to its cut level for {@code gatherVars}.
     * Runs where the columns and multiplicities are (a Spark partition).
     */
    public static FractionSubtree[] subtrees(Table table, List<LookupColumn> columns, long[] m, Fp3 alpha, Fp3 beta, int c, int count,
            int gatherVars) {
        List<LookupColumn.Shape> shapes = new ArrayList<>();
        for (LookupColumn col : columns) {
            shapes.add(col.shape());
        }
        Layout layout = Layout.of(shapes);
        long[] w = SplitFractionTree.blockRange(layout.numVars, count, c);
        long[][] leaves = witnessLeaves(columns, layout, alpha, beta, w[0], w[1]);
        FractionSubtree wit = FractionSubtree.build(c, leaves[0], leaves[1],
                w[1] > w[0] ? SplitFractionTree.cut(layout.numVars, count, gatherVars) : 0);
        long[] tr = SplitFractionTree.blockRange(table.numVars(), count, c);
        int from = (int) tr[0];
        int to = (int) tr[1];
        FractionSubtree tab = FractionSubtree.build(c, Arrays.copyOfRange(m, from, to), tableDenominators(table, alpha, beta, from, to),
                to > from ? SplitFractionTree.cut(table.numVars(), count, gatherVars) : 0);
        return new FractionSubtree[] {wit, tab};
    }

    /** sum_{x < used} eq(r, x): the extension of the indicator of a prefix, in O(n^2). */
    static Fp3 prefixIndicator(Point r, long used) {
        Fp3 acc = Fp3.ZERO;
        int n = r.size();
        for (int b = n; b >= 0; b--) {
            if (b == n ? used == (1L << n) : ((used >>> b) & 1) == 1) {
                // the aligned block of size 2^b just below the prefix of used above bit b
                long start = b == n ? 0 : (used >>> (b + 1)) << (b + 1);
                acc = acc.add(Mle.eqAt(r.slice(b, n), start >>> b));
                if (b == n) {
                    break;
                }
            }
        }
        return acc;
    }

    /** Columns placed largest first in aligned regions of one power-of-two leaf vector. */
    static final class Layout {
        final int[] offsets;
        final long used;
        final int numVars;

        private Layout(int[] offsets, long used, int numVars) {
            this.offsets = offsets;
            this.used = used;
            this.numVars = numVars;
        }

        static Layout of(List<LookupColumn.Shape> cols) {
            Integer[] order = new Integer[cols.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> cols.get(b).numVars() != cols.get(a).numVars()
                    ? Integer.compare(cols.get(b).numVars(), cols.get(a).numVars()) : Integer.compare(a, b));
            int[] off = new int[cols.size()];
            long pos = 0;
            for (int i : order) {
                off[i] = (int) pos;
                pos += 1L << cols.get(i).numVars();
            }
            int n = 1;
            while ((1L << n) < pos) {
                n++;
            }
            if (n > 30) {
                throw new IllegalArgumentException("too many lookups in one table: " + pos);
            }
            return new Layout(off, pos, n);
        }
    }
}
