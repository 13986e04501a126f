package dev.zkspark.poly;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;

/** Univariate polynomials given by their values at 0, 1, ..., d (the form of sumcheck messages). */
public final class Univariate {
    private Univariate() {}

    /**
     * Evaluates at x the unique polynomial of degree at most d with p(i) = values[i], i = 0..d, by
     * Lagrange interpolation over the integer nodes (O(d^2), d is small).
     */
    public static Fp3 evaluateFromValues(Fp3[] values, Fp3 x) {
        int d = values.length - 1;
        Fp3 acc = Fp3.ZERO;
        for (int i = 0; i <= d; i++) {
            Fp3 num = Fp3.ONE;
            long den = 1;
            for (int j = 0; j <= d; j++) {
                if (j == i) {
                    continue;
                }
                num = num.mul(x.sub(Fp3.of(j)));
                den = Goldilocks.mul(den, Goldilocks.fromSigned(i - j));
            }
            acc = acc.add(values[i].mul(num).mul(Goldilocks.inv(den)));
        }
        return acc;
    }

    /** Coefficients c_0..c_d (p(x) = sum c_k x^k) of the polynomial with p(i) = values[i]. */
    public static Fp3[] interpolate(Fp3[] values) {
        int n = values.length;
        Fp3[] coeffs = new Fp3[n];
        java.util.Arrays.fill(coeffs, Fp3.ZERO);
        for (int i = 0; i < n; i++) {
            // basis polynomial prod_{j != i} (x - j) / (i - j), built coefficient by coefficient
            Fp3[] basis = {Fp3.ONE};
            long den = 1;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                Fp3[] next = new Fp3[basis.length + 1];
                java.util.Arrays.fill(next, Fp3.ZERO);
                for (int k = 0; k < basis.length; k++) {
                    next[k + 1] = next[k + 1].add(basis[k]);
                    next[k] = next[k].sub(basis[k].mul(j));
                }
                basis = next;
                den = Goldilocks.mul(den, Goldilocks.fromSigned(i - j));
            }
            Fp3 scale = values[i].mul(Goldilocks.inv(den));
            for (int k = 0; k < n; k++) {
                coeffs[k] = coeffs[k].add(basis[k].mul(scale));
            }
        }
        return coeffs;
    }

    /** Horner evaluation of sum c_k x^k. */
    public static Fp3 evaluate(Fp3[] coeffs, Fp3 x) {
        Fp3 acc = Fp3.ZERO;
        for (int k = coeffs.length - 1; k >= 0; k--) {
            acc = acc.mul(x).add(coeffs[k]);
        }
        return acc;
    }
}
