package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A low-degree expression g(f_0, ..., f_{k-1}) = sum_t c_t prod_{j in S_t} f_j over the multilinear
 * tables of a sumcheck instance: a product (matmul, degree 2), an eq-weighted product (degree 3),
 * or a sum of such products. Immutable; the degree is the largest |S_t|.
 */
public final class Expression implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int arity;
    private final Fp3[] coeffs;
    private final int[][] terms;
    private final int degree;

    private Expression(int arity, Fp3[] coeffs, int[][] terms) {
        this.arity = arity;
        this.coeffs = coeffs;
        this.terms = terms;
        int d = 0;
        for (int[] t : terms) {
            d = Math.max(d, t.length);
        }
        this.degree = d;
    }

    /** f_0 * f_1 * ... * f_{arity-1}. */
    public static Expression product(int arity) {
        int[] all = new int[arity];
        for (int i = 0; i < arity; i++) {
            all[i] = i;
        }
        return builder(arity).term(Fp3.ONE, all).build();
    }

    public static Builder builder(int arity) {
        return new Builder(arity);
    }

    public int arity() {
        return arity;
    }

    public int degree() {
        return degree;
    }

    public int numTerms() {
        return terms.length;
    }

    public Fp3 coeff(int t) {
        return coeffs[t];
    }

    /** The table indices multiplied in term t (a copy). */
    public int[] term(int t) {
        return terms[t].clone();
    }

    int[] termUnsafe(int t) {
        return terms[t];
    }

    /** g at the given table values. */
    public Fp3 evaluate(Fp3[] values) {
        if (values.length != arity) {
            throw new IllegalArgumentException("expression of arity " + arity + " given " + values.length + " values");
        }
        Fp3 acc = Fp3.ZERO;
        for (int t = 0; t < terms.length; t++) {
            Fp3 p = coeffs[t];
            for (int j : terms[t]) {
                p = p.mul(values[j]);
            }
            acc = acc.add(p);
        }
        return acc;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < terms.length; t++) {
            if (t > 0) {
                sb.append(" + ");
            }
            sb.append(coeffs[t]).append("*f").append(Arrays.toString(terms[t]));
        }
        return sb.toString();
    }

    /** Collects terms; factors may repeat (f_0 * f_0 is a square). */
    public static final class Builder {
        private final int arity;
        private final List<Fp3> coeffs = new ArrayList<>();
        private final List<int[]> terms = new ArrayList<>();

        private Builder(int arity) {
            if (arity < 1) {
                throw new IllegalArgumentException("an expression needs at least one table");
            }
            this.arity = arity;
        }

        public Builder term(Fp3 coeff, int... factors) {
            if (factors.length == 0) {
                throw new IllegalArgumentException("a term needs at least one factor");
            }
            for (int f : factors) {
                if (f < 0 || f >= arity) {
                    throw new IllegalArgumentException("factor index " + f + " outside arity " + arity);
                }
            }
            coeffs.add(coeff);
            terms.add(factors.clone());
            return this;
        }

        public Expression build() {
            if (terms.isEmpty()) {
                throw new IllegalArgumentException("an expression needs at least one term");
            }
            return new Expression(arity, coeffs.toArray(new Fp3[0]), terms.toArray(new int[0][]));
        }
    }
}
