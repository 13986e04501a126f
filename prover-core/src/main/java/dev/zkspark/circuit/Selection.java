package dev.zkspark.circuit;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
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
import java.util.List;

/**
 * Selection of table rows by public indices: Y[r][c] = T[idx_r][c] (token embedding rows for the
 * prompt; one logit per position for the argmax check). Y = S T with S the public one-hot matrix, so
 * a claim Y~(u_c, u_r) is a sumcheck over the row variable v of S_u(v) T_u(v), where
 * S_u(v) = sum_r eq(u_r, r) [idx_r = v] and T_u(v) = T~(u_c, v). The verifier evaluates
 * S_u at the sumcheck point itself in O(R log V); a claim on T remains.
 *
 * <p>Soundness: 2 log2(V)/|F_p^3| (degree-2 sumcheck).
 */
public final class Selection {
    private Selection() {}

    public record Checked(Verdict verdict, Claim onTable) {}

    public static long[] compute(long[] table, int cols, int[] idx) {
        long[] y = new long[idx.length * cols];
        for (int r = 0; r < idx.length; r++) {
            System.arraycopy(table, idx[r] * cols, y, r * cols, cols);
        }
        return y;
    }

    public record Proved(SumcheckProof proof, Claim onTable) {}

    public static Proved prove(String tableName, long[] table, int cols, int[] idx, Claim onY, Transcript t) {
        int lc = Integer.numberOfTrailingZeros(cols);
        int vocab = table.length / cols;
        Point uc = onY.point().slice(0, lc);
        Point ur = onY.point().slice(lc, onY.point().size());
        long[] s = selector(ur, idx, vocab);
        long[] eqc = Mle.eqTable(uc).data();
        long[] c0 = new long[cols], c1 = new long[cols], c2 = new long[cols];
        for (int c = 0; c < cols; c++) {
            c0[c] = eqc[3 * c];
            c1[c] = eqc[3 * c + 1];
            c2[c] = eqc[3 * c + 2];
        }
        long[] tu = new long[3 * vocab];
        long[] row = new long[cols];
        for (int v = 0; v < vocab; v++) {
            System.arraycopy(table, v * cols, row, 0, cols);
            tu[3 * v] = Goldilocks.innerProduct(row, c0, cols);
            tu[3 * v + 1] = Goldilocks.innerProduct(row, c1, cols);
            tu[3 * v + 2] = Goldilocks.innerProduct(row, c2, cols);
        }
        SumcheckProver.Result res = SumcheckProver.prove(
                new SumcheckInstance(Expression.product(2), List.of(Mle.ext(s), Mle.ext(tu)), onY.value()), t);
        Subclaim sc = res.subclaims().get(0);
        return new Proved(res.proof(), new Claim(tableName, uc.concat(sc.point()), sc.value(1)));
    }

    public static Checked verify(String tableName, int vocab, int cols, int[] idx, Claim onY, SumcheckProof proof, Transcript t) {
        int lc = Integer.numberOfTrailingZeros(cols);
        int lv = Integer.numberOfTrailingZeros(vocab);
        for (int i : idx) {
            if (i < 0 || i >= vocab) {
                return new Checked(Verdict.reject("selection: index " + i + " outside the table"), null);
            }
        }
        Point uc = onY.point().slice(0, lc);
        Point ur = onY.point().slice(lc, onY.point().size());
        if (ur.size() != Integer.numberOfTrailingZeros(idx.length) || Integer.bitCount(idx.length) != 1) {
            return new Checked(Verdict.reject("selection: index count does not match the claim"), null);
        }
        SumcheckVerifier.Result v = SumcheckVerifier.verify(new SumcheckClaim(lv, Expression.product(2), onY.value()), proof, t);
        if (!v.verdict().isAccepted()) {
            return new Checked(v.verdict().within("selection"), null);
        }
        Subclaim sc = v.subclaims().get(0);
        // S_u(rv) = sum_r eq(u_r, r) eq(rv, idx_r)
        Fp3 s = Fp3.ZERO;
        for (int r = 0; r < idx.length; r++) {
            s = s.add(Mle.eqAt(ur, r).mul(Mle.eqAt(sc.point(), idx[r])));
        }
        if (!s.equals(sc.value(0))) {
            return new Checked(Verdict.reject("selection: selector evaluation differs from the public indices"), null);
        }
        return new Checked(Verdict.accept(), new Claim(tableName, uc.concat(sc.point()), sc.value(1)));
    }

    private static long[] selector(Point ur, int[] idx, int vocab) {
        long[] s = new long[3 * vocab];
        long[] eqr = Mle.eqTable(ur).data();
        for (int r = 0; r < idx.length; r++) {
            int v = idx[r];
            s[3 * v] = Goldilocks.add(s[3 * v], eqr[3 * r]);
            s[3 * v + 1] = Goldilocks.add(s[3 * v + 1], eqr[3 * r + 1]);
            s[3 * v + 2] = Goldilocks.add(s[3 * v + 2], eqr[3 * r + 2]);
        }
        return s;
    }
}
