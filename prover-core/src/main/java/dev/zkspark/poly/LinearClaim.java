package dev.zkspark.poly;

import dev.zkspark.field.Fp3;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A linear claim on committed tensors: sum over terms of coeff * (the term's linear functional of its
 * tensor) = value. A term is either an evaluation of the tensor's multilinear extension at a point
 * ({@link Eval}, the functional eq(point, .)) or explicit weights on a few entries ({@link Slots},
 * used for the zero-knowledge masks). Plain {@link Claim}s are one-term linear claims. Zero
 * knowledge needs the general form: a masked evaluation is "T~(r) + r_b mu = revealed" with T and the
 * mask mu committed, and neither T~(r) nor mu is ever revealed on its own.
 */
public record LinearClaim(List<Term> terms, Fp3 value) implements java.io.Serializable {
    public LinearClaim {
        terms = List.copyOf(terms);
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a linear claim needs a term");
        }
    }

    /** One summand of a linear claim. */
    public sealed interface Term extends java.io.Serializable permits Eval, Slots {
        String tensor();
    }

    /** coeff * T~(point). */
    public record Eval(String tensor, Point point, Fp3 coeff) implements Term {}

    /** sum_k weights[k] * T[slots[k]] (distinct slots). */
    public record Slots(String tensor, int[] slots, Fp3[] weights) implements Term {
        public Slots {
            if (slots.length != weights.length) {
                throw new IllegalArgumentException("slots and weights differ in length");
            }
            slots = slots.clone();
            weights = weights.clone();
        }
    }

    public static LinearClaim of(Claim c) {
        return new LinearClaim(List.of(new Eval(c.tensor(), c.point(), Fp3.ONE)), c.value());
    }

    public static List<LinearClaim> ofAll(List<Claim> claims) {
        List<LinearClaim> out = new ArrayList<>();
        for (Claim c : claims) {
            out.add(of(c));
        }
        return out;
    }

    /** The tensors this claim reads. */
    public List<String> tensors() {
        List<String> out = new ArrayList<>();
        for (Term t : terms) {
            if (!out.contains(t.tensor())) {
                out.add(t.tensor());
            }
        }
        return out;
    }

    /** The left-hand side computed from the tensors' values (tests and the prover's self-checks). */
    public Fp3 evaluate(Function<String, long[]> values) {
        Fp3 acc = Fp3.ZERO;
        for (Term t : terms) {
            long[] v = values.apply(t.tensor());
            if (v == null) {
                throw new IllegalArgumentException("no tensor " + t.tensor());
            }
            if (t instanceof Eval e) {
                acc = acc.add(e.coeff().mul(Mle.base(v).evaluate(e.point())));
            } else {
                Slots s = (Slots) t;
                for (int k = 0; k < s.slots().length; k++) {
                    acc = acc.add(s.weights()[k].mul(v[s.slots()[k]]));
                }
            }
        }
        return acc;
    }

    public boolean holds(Function<String, long[]> values) {
        return evaluate(values).equals(value);
    }
}
