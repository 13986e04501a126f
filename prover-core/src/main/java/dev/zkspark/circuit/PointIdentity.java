package dev.zkspark.circuit;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;

/**
 * A linear identity sum_i c_i T_i = 0 between committed tensors of one shape (public integer
 * coefficients), checked at a random point: rescale X = 2^s X' + R is (1, -2^s, -1) on (X, X', R);
 * a residual add Z = X + Y is (1, -1, -1) on (Z, X, Y). The prover sends every T_i(u); the verifier
 * checks the combination and passes the values on as claims (the commitment opening binds them).
 *
 * <p>Soundness: if the identity fails as tensors, the combination of their extensions is a nonzero
 * multilinear polynomial and vanishes at a random u with probability at most n/|F_p^3|.
 */
public final class PointIdentity {
    private PointIdentity() {}

    public record Proof(Fp3[] values) {}

    public record Checked(Verdict verdict, List<Claim> claims) {}

    /** Coefficients (1, -2^s, -1) for a rescale on (X, X', R). */
    public static long[] rescaleCoefficients(int s) {
        return new long[] {1, -(1L << s), -1};
    }

    /** The rescale of a field-embedded signed integer tensor: X' = round-half-up(X / 2^s), R = X - 2^s X'. */
    public static long[][] rescale(long[] x, int s) {
        long[] q = new long[x.length];
        long[] r = new long[x.length];
        long half = 1L << (s - 1);
        for (int i = 0; i < x.length; i++) {
            long v = Goldilocks.toSigned(x[i]);
            long qq = Math.floorDiv(v + half, 1L << s);
            q[i] = Goldilocks.fromSigned(qq);
            r[i] = Goldilocks.fromSigned(v - (qq << s));
        }
        return new long[][] {q, r};
    }

    public static Proof prove(List<long[]> tensors, int numVars, Transcript t) {
        Point u = new Point(t.challengesExt("identity/u", numVars));
        Fp3[] vals = new Fp3[tensors.size()];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = Mle.base(tensors.get(i)).evaluate(u);
        }
        t.absorbExt("identity/values", vals);
        return new Proof(vals);
    }

    public static Checked verify(List<String> names, long[] coefficients, int numVars, Proof proof, Transcript t) {
        if (proof.values().length != names.size() || coefficients.length != names.size()) {
            return new Checked(Verdict.reject("identity: wrong number of values"), List.of());
        }
        Point u = new Point(t.challengesExt("identity/u", numVars));
        Fp3 acc = Fp3.ZERO;
        for (int i = 0; i < names.size(); i++) {
            acc = acc.add(proof.values()[i].mul(Goldilocks.fromSigned(coefficients[i])));
        }
        if (!acc.isZero()) {
            return new Checked(Verdict.reject("identity " + names + " does not hold at the random point"), List.of());
        }
        t.absorbExt("identity/values", proof.values());
        List<Claim> claims = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            claims.add(new Claim(names.get(i), u, proof.values()[i]));
        }
        return new Checked(Verdict.accept(), claims);
    }
}
