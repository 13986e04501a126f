package dev.zkspark.circuit;

import dev.zkspark.circuit.TensorSpec.Axis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One identity between tensors that the inference proof checks (the "commit everything" style of
 * zkLLM: every tensor is committed, so each relation is checked on its own):
 *
 * <pre>  for every assignment f of the free axes:
 *      sum_k a_k V_k(f)  =  sum over the summed axes c of  sum_t b_t prod_j F_tj(f, c)</pre>
 *
 * where the V_k are committed tensors (views: axis renamings and broadcasts) and the F_tj committed
 * or public tensors. Free axes are either <em>eq axes</em> (the identity is checked at a random
 * point by an eq-weighted sum: any polynomial identity, e.g. rescale of a Hadamard product) or
 * <em>fold axes</em> (fixed at the random point before the sum: cheaper, allowed only where each
 * term is multilinear in them, e.g. the row and column of a matrix product).
 *
 * <p>Proof: the verifier draws u over the free axes; the prover sends V_k(u); one sumcheck (batched
 * with the task's other relations) proves sum_{z, c} eq(u_eq, z) sum_t b_t prod F_tj(z, u_fold, c) =
 * sum_k a_k V_k(u); its final point becomes claims on the committed tensors, and the verifier
 * evaluates eq and public tensors itself. Soundness: if the identity fails for some f, the difference
 * of both sides is a nonzero polynomial of degree at most D per variable in u, so it vanishes at a
 * random u with probability at most (free variables) D / |F_p^3|; the sumcheck adds (vars) D /
 * |F_p^3| (see SumcheckVerifier). With at most 64 variables and D = 4, below 2^-182 per relation.
 */
public final class Relation {

    /** A tensor as a factor: map[k] is the relation axis that the tensor's axis k is read along. */
    public sealed interface Factor permits Committed, Public {
        TensorSpec spec();

        String[] map();
    }

    /**
     * A committed tensor (the witness or the model); its evaluations become opening claims. With
     * {@code flipAxis}, a one-bit axis of the tensor is read reversed (RoPE's rotate-half pairs the
     * two halves of a head): its coordinate c becomes 1 - c.
     */
    public record Committed(TensorSpec spec, String[] map, String flipAxis) implements Factor {
        public Committed {
            if (flipAxis != null) {
                int k = spec.indexOf(flipAxis);
                if (k < 0 || spec.axes().get(k).bits() != 1) {
                    throw new IllegalArgumentException(spec.name() + ": can only flip a one-bit axis, not " + flipAxis);
                }
            }
        }
    }

    /** A public tensor that prover and verifier both build (RoPE tables, masks, one-hot tokens). */
    public record Public(TensorSpec spec, String[] map, long[] values) implements Factor {
        public Public {
            if (values.length != spec.size()) {
                throw new IllegalArgumentException("public tensor " + spec.name() + " has " + values.length + " values");
            }
        }
    }

    /** b * prod factors (no factors: the constant b). */
    public record Term(long coeff, List<Factor> factors) {
        public Term {
            factors = List.copyOf(factors);
        }
    }

    /** a * V on the left-hand side, V committed and read at the random point of the free axes. */
    public record Lhs(long coeff, Committed view) {}

    private final String name;
    private final List<Axis> eqAxes;
    private final List<Axis> foldAxes;
    private final List<Axis> sumAxes;
    private final List<Lhs> lhs;
    private final List<Term> rhs;
    private final Map<String, Axis> axes = new LinkedHashMap<>();

    private Relation(String name, List<Axis> eqAxes, List<Axis> foldAxes, List<Axis> sumAxes, List<Lhs> lhs, List<Term> rhs) {
        this.name = name;
        this.eqAxes = List.copyOf(eqAxes);
        this.foldAxes = List.copyOf(foldAxes);
        this.sumAxes = List.copyOf(sumAxes);
        this.lhs = List.copyOf(lhs);
        this.rhs = List.copyOf(rhs);
        for (List<Axis> group : List.of(this.sumAxes, this.eqAxes, this.foldAxes)) {
            for (Axis a : group) {
                if (axes.put(a.name(), a) != null) {
                    throw new IllegalArgumentException(name + ": axis " + a.name() + " listed twice");
                }
            }
        }
        if (domainVars() == 0) {
            throw new IllegalArgumentException(name + ": a relation needs at least one eq or summed variable");
        }
        for (Lhs l : this.lhs) {
            checkFactor(l.view(), true);
        }
        for (Term t : this.rhs) {
            Map<String, Integer> foldUse = new HashMap<>();
            for (Factor f : t.factors()) {
                checkFactor(f, false);
                for (String a : f.map()) {
                    if (isFold(a) && foldUse.merge(a, 1, Integer::sum) > 1) {
                        throw new IllegalArgumentException(name + ": fold axis " + a + " appears twice in one term");
                    }
                }
            }
        }
    }

    private void checkFactor(Factor f, boolean lhsSide) {
        if (f.map().length != f.spec().axes().size()) {
            throw new IllegalArgumentException(name + ": " + f.spec().name() + " maps " + f.map().length + " of "
                    + f.spec().axes().size() + " axes");
        }
        for (int k = 0; k < f.map().length; k++) {
            Axis a = axes.get(f.map()[k]);
            if (a == null || a.bits() != f.spec().axes().get(k).bits()) {
                throw new IllegalArgumentException(name + ": " + f.spec().name() + " axis " + f.spec().axes().get(k)
                        + " does not match relation axis " + f.map()[k]);
            }
            if (lhsSide && sumAxes.contains(a)) {
                throw new IllegalArgumentException(name + ": the left side cannot use summed axis " + a.name());
            }
        }
    }

    public String name() {
        return name;
    }

    public List<Axis> eqAxes() {
        return eqAxes;
    }

    public List<Axis> foldAxes() {
        return foldAxes;
    }

    public List<Axis> sumAxes() {
        return sumAxes;
    }

    public List<Lhs> lhs() {
        return lhs;
    }

    public List<Term> rhs() {
        return rhs;
    }

    boolean isFold(String axis) {
        for (Axis a : foldAxes) {
            if (a.name().equals(axis)) {
                return true;
            }
        }
        return false;
    }

    /** The free axes, in the order their random coordinates are drawn: eq axes, then fold axes. */
    List<Axis> freeAxes() {
        List<Axis> out = new ArrayList<>(eqAxes);
        out.addAll(foldAxes);
        return out;
    }

    /** The sumcheck domain, low variables first: summed axes, then eq axes. */
    List<Axis> domainAxes() {
        List<Axis> out = new ArrayList<>(sumAxes);
        out.addAll(eqAxes);
        return out;
    }

    int domainVars() {
        int n = 0;
        for (Axis a : domainAxes()) {
            n += a.bits();
        }
        return n;
    }

    /** Highest degree of the sumcheck expression (eq counts once). */
    int degree() {
        int d = 1;
        for (Term t : rhs) {
            d = Math.max(d, t.factors().size() + (eqAxes.isEmpty() ? 0 : 1));
        }
        return d;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Collects axes, left-hand views and right-hand terms. */
    public static final class Builder {
        private final String name;
        private final List<Axis> eq = new ArrayList<>();
        private final List<Axis> fold = new ArrayList<>();
        private final List<Axis> sum = new ArrayList<>();
        private final List<Lhs> lhs = new ArrayList<>();
        private final List<Term> rhs = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder eq(Axis... a) {
            eq.addAll(List.of(a));
            return this;
        }

        public Builder fold(Axis... a) {
            fold.addAll(List.of(a));
            return this;
        }

        public Builder sum(Axis... a) {
            sum.addAll(List.of(a));
            return this;
        }

        public Builder lhs(long coeff, Committed view) {
            lhs.add(new Lhs(coeff, view));
            return this;
        }

        public Builder term(long coeff, Factor... factors) {
            rhs.add(new Term(coeff, List.of(factors)));
            return this;
        }

        public Relation build() {
            return new Relation(name, eq, fold, sum, lhs, rhs);
        }
    }

    /** A committed tensor read along its own axis names. */
    public static Committed committed(TensorSpec spec) {
        return new Committed(spec, axisNames(spec), null);
    }

    /** A committed tensor with one of its one-bit axes read reversed. */
    public static Committed flipped(TensorSpec spec, String axis) {
        return new Committed(spec, axisNames(spec), axis);
    }

    /** A committed tensor with its axes renamed (in the tensor's axis order). */
    public static Committed committed(TensorSpec spec, String... map) {
        return new Committed(spec, map, null);
    }

    public static Public publicTensor(TensorSpec spec, long[] values) {
        return new Public(spec, axisNames(spec), values);
    }

    public static Public publicTensor(TensorSpec spec, long[] values, String... map) {
        return new Public(spec, map, values);
    }

    static String[] axisNames(TensorSpec spec) {
        String[] m = new String[spec.axes().size()];
        for (int k = 0; k < m.length; k++) {
            m[k] = spec.axes().get(k).name();
        }
        return m;
    }
}
