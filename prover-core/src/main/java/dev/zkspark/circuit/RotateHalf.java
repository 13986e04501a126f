package dev.zkspark.circuit;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Transcript;
import java.util.List;

/**
 * RoPE's rotate-half permutation with signs (Hugging Face convention): within each head of
 * dimension 2^h (the lowest h variables), Y[i] = -X[i + half] for i &lt; half and Y[i] = X[i - half]
 * otherwise. With b = h - 1 the "half" variable, Y~(u) = -(1 - u_b) X~(u | u_b = 1) + u_b X~(u | u_b = 0);
 * checked at a random u, leaving claims on Y at u and on X at the two neighbouring points.
 *
 * <p>Soundness: the identity between two multilinear polynomials, n/|F_p^3| at a random point.
 */
public final class RotateHalf {
    private RotateHalf() {}

    public record Proof(Fp3 y, Fp3 x0, Fp3 x1) {}

    public record Checked(Verdict verdict, List<Claim> claims) {}

    public static long[] compute(long[] x, int headBits) {
        int hd = 1 << headBits;
        int half = hd / 2;
        long[] y = new long[x.length];
        for (int base = 0; base < x.length; base += hd) {
            for (int i = 0; i < half; i++) {
                y[base + i] = Goldilocks.neg(x[base + i + half]);
                y[base + i + half] = x[base + i];
            }
        }
        return y;
    }

    public static Proof prove(long[] x, long[] y, int headBits, Transcript t) {
        int n = Integer.numberOfTrailingZeros(x.length);
        Point u = new Point(t.challengesExt("rotate/u", n));
        Proof p = new Proof(Mle.base(y).evaluate(u), Mle.base(x).evaluate(with(u, headBits - 1, Fp3.ZERO)),
                Mle.base(x).evaluate(with(u, headBits - 1, Fp3.ONE)));
        t.absorbExt("rotate/values", p.y(), p.x0(), p.x1());
        return p;
    }

    public static Checked verify(String xName, String yName, int numVars, int headBits, Proof p, Transcript t) {
        if (headBits < 1 || headBits > numVars) {
            return new Checked(Verdict.reject("rotate-half: bad head size"), List.of());
        }
        Point u = new Point(t.challengesExt("rotate/u", numVars));
        Fp3 ub = u.get(headBits - 1);
        Fp3 expect = ub.mul(p.x0()).sub(Fp3.ONE.sub(ub).mul(p.x1()));
        if (!expect.equals(p.y())) {
            return new Checked(Verdict.reject("rotate-half identity does not hold"), List.of());
        }
        t.absorbExt("rotate/values", p.y(), p.x0(), p.x1());
        return new Checked(Verdict.accept(), List.of(new Claim(yName, u, p.y()),
                new Claim(xName, with(u, headBits - 1, Fp3.ZERO), p.x0()),
                new Claim(xName, with(u, headBits - 1, Fp3.ONE), p.x1())));
    }

    private static Point with(Point u, int i, Fp3 v) {
        Fp3[] c = u.toArray();
        c[i] = v;
        return new Point(c);
    }
}
