package dev.zkspark.lookup;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
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

        int total = 1 << layout.numVars;
        long[] p = new long[total];
        long[] q = new long[3 * total];
        for (int x = 0; x < total; x++) {
            alpha.put(q, x); // padding: 0 / alpha
        }
        for (int ci = 0; ci < columns.size(); ci++) {
            LookupColumn c = columns.get(ci);
            int off = layout.offsets[ci];
            for (int i = 0; i < c.x().length; i++) {
                p[off + i] = 1;
                Fp3 w = c.y() == null ? Fp3.of(c.x()[i]) : beta.mul(c.y()[i]).add(Fp3.of(c.x()[i]));
                alpha.sub(w).put(q, off + i);
            }
        }
        FractionalSum.Proved wit = FractionalSum.prove(Mle.base(p), Mle.ext(q), t);
        Mle tc = table.compressed(beta);
        long[] tq = new long[3 * table.size()];
        for (int j = 0; j < table.size(); j++) {
            alpha.sub(tc.get(j)).put(tq, j);
        }
        FractionalSum.Proved tab = FractionalSum.prove(Mle.base(m.clone()), Mle.ext(tq), t);

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
