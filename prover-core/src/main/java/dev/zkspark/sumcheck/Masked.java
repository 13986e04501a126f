package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Point;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A value the verifier sees only masked: the true value is
 * {@code revealed - sum_p coef_p (m_p0 + m_p1)}, where each p names a mask pair (two extension
 * elements m_p0, m_p1 at slots p and p + 3 of the masks tensor, see {@link ZkMasks}). Masked values
 * are closed under the linear operations protocols apply to claims (lines through two children,
 * random combinations); a masked value is discharged either as the target of a next
 * {@link ZkSumcheck} (which proves the relation without unmasking) or as a {@link LinearClaim} on a
 * committed tensor and the masks.
 */
public record Masked(Fp3 revealed, Map<Integer, Fp3> pairs) implements java.io.Serializable {
    public Masked {
        pairs = Collections.unmodifiableMap(new TreeMap<>(pairs));
    }

    /** A value revealed as it is (public, or not secret). */
    public static Masked clear(Fp3 v) {
        return new Masked(v, Map.of());
    }

    public static Masked of(Fp3 revealed, int pair, Fp3 coef) {
        return new Masked(revealed, Map.of(pair, coef));
    }

    public Masked add(Masked o) {
        TreeMap<Integer, Fp3> p = new TreeMap<>(pairs);
        o.pairs.forEach((k, c) -> p.merge(k, c, Fp3::add));
        return new Masked(revealed.add(o.revealed), p);
    }

    public Masked sub(Masked o) {
        return add(o.mul(Fp3.ONE.neg()));
    }

    public Masked mul(Fp3 s) {
        TreeMap<Integer, Fp3> p = new TreeMap<>();
        pairs.forEach((k, c) -> p.put(k, c.mul(s)));
        return new Masked(revealed.mul(s), p);
    }

    /** The line through (0, a) and (1, b) at x, on masked values. */
    public static Masked line(Masked a, Masked b, Fp3 x) {
        return a.add(b.sub(a).mul(x));
    }

    /** The true value, given the mask values (the prover's side). */
    public Fp3 unmask(ZkMasks masks) {
        Fp3 v = revealed;
        for (Map.Entry<Integer, Fp3> e : pairs.entrySet()) {
            v = v.sub(e.getValue().mul(masks.ext(e.getKey()).add(masks.ext(e.getKey() + 3))));
        }
        return v;
    }

    /**
     * The claim "tensor~(point) equals this value": tensor~(point) + sum_p coef_p (m_p0 + m_p1) =
     * revealed, with the masks in {@code maskTensor}.
     */
    public LinearClaim claimOn(String tensor, Point point, String maskTensor) {
        List<LinearClaim.Term> terms = new ArrayList<>();
        terms.add(new LinearClaim.Eval(tensor, point, Fp3.ONE));
        if (!pairs.isEmpty()) {
            terms.add(maskTerm(maskTensor));
        }
        return new LinearClaim(terms, revealed);
    }

    /** The mask part sum_p coef_p (m_p0 + m_p1) as weights on the masks tensor's base slots. */
    public LinearClaim.Slots maskTerm(String maskTensor) {
        return maskTerm(maskTensor, Fp3.ONE, Fp3.ONE);
    }

    /** sum_p coef_p (w0 m_p0 + w1 m_p1) as weights on the masks tensor's base slots. */
    LinearClaim.Slots maskTerm(String maskTensor, Fp3 w0, Fp3 w1) {
        int[] slots = new int[6 * pairs.size()];
        Fp3[] weights = new Fp3[slots.length];
        int k = 0;
        for (Map.Entry<Integer, Fp3> e : pairs.entrySet()) {
            for (int half = 0; half < 2; half++) {
                Fp3 c = e.getValue().mul(half == 0 ? w0 : w1);
                for (int d = 0; d < 3; d++) {
                    slots[k] = e.getKey() + 3 * half + d;
                    weights[k] = ZkMasks.basis(d).mul(c);
                    k++;
                }
            }
        }
        return new LinearClaim.Slots(maskTensor, slots, weights);
    }
}
