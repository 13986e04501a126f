package dev.zkspark.circuit;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise product Z = A (.) B (SwiGLU's product, multiplication by a public constant tensor such
 * as RoPE's cos/sin tables): Z~(u) = sum_x eq(u, x) A(x) B(x), a degree-3 sumcheck reducing a claim
 * on Z to claims on A and B at the sumcheck point. When B is public (a constant tensor) the verifier
 * evaluates B itself and only A's claim remains.
 *
 * <p>Soundness: 3n/|F_p^3| for the sumcheck; eq and public factors are recomputed by the verifier.
 */
public final class Hadamard {
    private Hadamard() {}

    private static final Expression EXPR = Expression.product(3);

    /** Z = A (.) B entry by entry. */
    public static long[] compute(long[] a, long[] b) {
        long[] z = new long[a.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = dev.zkspark.field.Goldilocks.mul(a[i], b[i]);
        }
        return z;
    }

    public record Proved(SumcheckProof proof, List<Claim> claims) {}

    public record Checked(Verdict verdict, List<Claim> claims) {}

    /** Proves claim {@code onZ}; claims come out on A and (unless {@code bName} is null: public B) on B. */
    public static Proved prove(String aName, long[] a, String bName, long[] b, Claim onZ, Transcript t) {
        Mle eq = Mle.eqTable(onZ.point());
        SumcheckProver.Result res = SumcheckProver.prove(
                new SumcheckInstance(EXPR, List.of(eq, Mle.base(a), Mle.base(b)), onZ.value()), t);
        Subclaim s = res.subclaims().get(0);
        return new Proved(res.proof(), claims(aName, bName, s));
    }

    /**
     * @param publicB the public factor's table when B is public (its evaluation is the verifier's own),
     *     or null when B is committed
     */
    public static Checked verify(String aName, String bName, long[] publicB, Claim onZ, SumcheckProof proof, Transcript t) {
        SumcheckVerifier.Result v = SumcheckVerifier.verify(new SumcheckClaim(onZ.point().size(), EXPR, onZ.value()), proof, t);
        if (!v.verdict().isAccepted()) {
            return new Checked(v.verdict().within("hadamard"), List.of());
        }
        Subclaim s = v.subclaims().get(0);
        if (!s.value(0).equals(Mle.eq(onZ.point(), s.point()))) {
            return new Checked(Verdict.reject("hadamard: wrong eq evaluation"), List.of());
        }
        if (publicB != null && !s.value(2).equals(Mle.base(publicB).evaluate(s.point()))) {
            return new Checked(Verdict.reject("hadamard: public factor " + bName + " evaluates differently"), List.of());
        }
        return new Checked(Verdict.accept(), claims(aName, publicB != null ? null : bName, s));
    }

    private static List<Claim> claims(String aName, String bName, Subclaim s) {
        List<Claim> out = new ArrayList<>();
        out.add(new Claim(aName, s.point(), s.value(1)));
        if (bName != null) {
            out.add(new Claim(bName, s.point(), s.value(2)));
        }
        return out;
    }

    /** Point helper for callers: Z's claim from a committed Z at a random point. */
    public static Claim claimAt(String name, long[] z, Point u) {
        return new Claim(name, u, Mle.base(z).evaluate(u));
    }

}
