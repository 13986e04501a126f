package dev.zkspark.circuit;

import dev.zkspark.core.Parallel;
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
 * Stacked matrix products Y_b = X_b W_b for b &lt; batch (zkLLM §4.1): X is [batch][rows][inner],
 * W is [batch][inner][cols], Y is [batch][rows][cols], all row-major with power-of-two dimensions.
 * A claim on Y at (u_col, u_row, u_batch) (little-endian: columns are the low variables) is reduced
 * by one sumcheck over (l, b) of eq(u_batch, b) X~(l, u_row, b) W~(u_col, l, b) to claims on X and
 * W at the sumcheck point. The prover's work is O(batch (rows inner + inner cols)), less than the
 * product itself.
 *
 * <p>Soundness: the sumcheck's (degree 3, log(batch inner) rounds) error, at most
 * 3 log2(batch inner)/|F_p^3|; the eq factor's final value is recomputed by the verifier.
 */
public final class MatMul {
    private MatMul() {}

    /** Dimensions, each a power of two. */
    public record Shape(int batch, int rows, int inner, int cols) {
        public Shape {
            for (int d : new int[] {batch, rows, inner, cols}) {
                if (d < 1 || Integer.bitCount(d) != 1) {
                    throw new IllegalArgumentException("matmul dimensions must be powers of two (pad the tensors): "
                            + batch + "x" + rows + "x" + inner + "x" + cols);
                }
            }
        }

        int lb() {
            return Integer.numberOfTrailingZeros(batch);
        }

        int lr() {
            return Integer.numberOfTrailingZeros(rows);
        }

        int lk() {
            return Integer.numberOfTrailingZeros(inner);
        }

        int lc() {
            return Integer.numberOfTrailingZeros(cols);
        }

        /** Variables of Y: cols, then rows, then batch. */
        public int outVars() {
            return lc() + lr() + lb();
        }
    }

    /** The proof and the claims on X and W it leaves. */
    public record Proved(SumcheckProof proof, Claim onX, Claim onW) {}

    /** The verifier's outcome. */
    public record Checked(Verdict verdict, Claim onX, Claim onW) {}

    private static Expression expr(Shape s) {
        return s.batch() == 1 ? Expression.product(2) : Expression.product(3);
    }

    /** Y = X W over the integers embedded in the field (the plain computation). */
    public static long[] compute(Shape s, long[] x, long[] w) {
        int m = s.rows(), k = s.inner(), n = s.cols();
        long[] y = new long[s.batch() * m * n];
        for (int b = 0; b < s.batch(); b++) {
            final int bb = b;
            Parallel.forRange(m, (from, to) -> {
                long[] acc = new long[n];
                for (int i = from; i < to; i++) {
                    java.util.Arrays.fill(acc, 0);
                    int xo = (bb * m + i) * k;
                    for (int l = 0; l < k; l++) {
                        long xv = x[xo + l];
                        int wo = (bb * k + l) * n;
                        for (int j = 0; j < n; j++) {
                            acc[j] = Goldilocks.add(acc[j], Goldilocks.mul(xv, w[wo + j]));
                        }
                    }
                    System.arraycopy(acc, 0, y, (bb * m + i) * n, n);
                }
            });
        }
        return y;
    }

    /** Proves that claim {@code onY} (at a point of {@link Shape#outVars()} coordinates) follows from X W. */
    public static Proved prove(Shape s, String xName, long[] x, String wName, long[] w, Claim onY, Transcript t) {
        Point u = onY.point();
        Point uCol = u.slice(0, s.lc());
        Point uRow = u.slice(s.lc(), s.lc() + s.lr());
        Point uBatch = u.slice(s.lc() + s.lr(), u.size());
        int k = s.inner(), m = s.rows(), n = s.cols();
        long[] eqRow = Mle.eqTable(uRow).data();
        long[] eqCol = Mle.eqTable(uCol).data();
        long[] a = new long[3 * s.batch() * k];
        long[] bt = new long[3 * s.batch() * k];
        for (int b = 0; b < s.batch(); b++) {
            final int bb = b;
            // a[b k + l] = sum_i eq(u_row, i) X[b][i][l]: rows scaled and added
            Parallel.forRange(k, (from, to) -> {
                for (int i = 0; i < m; i++) {
                    long e0 = eqRow[3 * i], e1 = eqRow[3 * i + 1], e2 = eqRow[3 * i + 2];
                    int xo = (bb * m + i) * k;
                    for (int l = from; l < to; l++) {
                        long xv = x[xo + l];
                        int o = 3 * (bb * k + l);
                        a[o] = Goldilocks.add(a[o], Goldilocks.mul(e0, xv));
                        a[o + 1] = Goldilocks.add(a[o + 1], Goldilocks.mul(e1, xv));
                        a[o + 2] = Goldilocks.add(a[o + 2], Goldilocks.mul(e2, xv));
                    }
                }
            });
            // bt[b k + l] = sum_j eq(u_col, j) W[b][l][j]: one inner product per row of W
            long[] c0 = new long[n], c1 = new long[n], c2 = new long[n];
            for (int j = 0; j < n; j++) {
                c0[j] = eqCol[3 * j];
                c1[j] = eqCol[3 * j + 1];
                c2[j] = eqCol[3 * j + 2];
            }
            Parallel.forRange(k, (from, to) -> {
                long[] row = new long[n];
                for (int l = from; l < to; l++) {
                    System.arraycopy(w, (bb * k + l) * n, row, 0, n);
                    int o = 3 * (bb * k + l);
                    bt[o] = Goldilocks.innerProduct(row, c0, n);
                    bt[o + 1] = Goldilocks.innerProduct(row, c1, n);
                    bt[o + 2] = Goldilocks.innerProduct(row, c2, n);
                }
            });
        }
        SumcheckInstance in = s.batch() == 1
                ? new SumcheckInstance(expr(s), List.of(Mle.ext(a), Mle.ext(bt)), onY.value())
                : new SumcheckInstance(expr(s), List.of(batchEq(s, uBatch), Mle.ext(a), Mle.ext(bt)), onY.value());
        SumcheckProver.Result res = SumcheckProver.prove(in, t);
        Subclaim sc = res.subclaims().get(0);
        Fp3 xa = sc.value(s.batch() == 1 ? 0 : 1);
        Fp3 wb = sc.value(s.batch() == 1 ? 1 : 2);
        return new Proved(res.proof(), claimX(s, xName, sc.point(), uRow, xa), claimW(s, wName, sc.point(), uCol, wb));
    }

    public static Checked verify(Shape s, String xName, String wName, Claim onY, SumcheckProof proof, Transcript t) {
        if (onY.point().size() != s.outVars()) {
            return new Checked(Verdict.reject("matmul: claim point has the wrong size"), null, null);
        }
        Point u = onY.point();
        Point uCol = u.slice(0, s.lc());
        Point uRow = u.slice(s.lc(), s.lc() + s.lr());
        Point uBatch = u.slice(s.lc() + s.lr(), u.size());
        SumcheckVerifier.Result v = SumcheckVerifier.verify(new SumcheckClaim(s.lk() + s.lb(), expr(s), onY.value()), proof, t);
        if (!v.verdict().isAccepted()) {
            return new Checked(v.verdict().within("matmul"), null, null);
        }
        Subclaim sc = v.subclaims().get(0);
        if (s.batch() > 1 && !sc.value(0).equals(Mle.eq(uBatch, sc.point().slice(s.lk(), sc.point().size())))) {
            return new Checked(Verdict.reject("matmul: wrong batch eq evaluation"), null, null);
        }
        Fp3 xa = sc.value(s.batch() == 1 ? 0 : 1);
        Fp3 wb = sc.value(s.batch() == 1 ? 1 : 2);
        return new Checked(Verdict.accept(), claimX(s, xName, sc.point(), uRow, xa), claimW(s, wName, sc.point(), uCol, wb));
    }

    private static Mle batchEq(Shape s, Point uBatch) {
        long[] eqB = Mle.eqTable(uBatch).data();
        long[] e = new long[3 * s.batch() * s.inner()];
        for (int b = 0; b < s.batch(); b++) {
            for (int l = 0; l < s.inner(); l++) {
                System.arraycopy(eqB, 3 * b, e, 3 * (b * s.inner() + l), 3);
            }
        }
        return Mle.ext(e);
    }

    /** X's point: (r_l, u_row, r_b). */
    private static Claim claimX(Shape s, String name, Point r, Point uRow, Fp3 v) {
        Point rl = r.slice(0, s.lk());
        Point rb = r.slice(s.lk(), r.size());
        return new Claim(name, rl.concat(uRow).concat(rb), v);
    }

    /** W's point: (u_col, r_l, r_b). */
    private static Claim claimW(Shape s, String name, Point r, Point uCol, Fp3 v) {
        Point rl = r.slice(0, s.lk());
        Point rb = r.slice(s.lk(), r.size());
        return new Claim(name, uCol.concat(rl).concat(rb), v);
    }
}
