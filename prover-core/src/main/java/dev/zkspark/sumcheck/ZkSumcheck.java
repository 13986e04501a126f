package dev.zkspark.sumcheck;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.poly.Univariate;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;

/**
 * The zero-knowledge batched sumcheck (docs/ZK.md §2). It proves the public linear identity
 * {@code sum_i lambda_i S_i = target} where S_i = sum_x g_i(f_i1(x), ...) over instance i's n_i
 * variables, the lambda_i are public and the target is a {@link Masked} value (its mask part is
 * proved inside the sumcheck, never unmasked). Unlike {@link SumcheckProver}, no instance's sum is
 * revealed.
 *
 * <p><b>Protocol.</b> Let n = max n_i (at least 1 when the target has a mask part) and D the
 * largest degree. Over variables (x_0 .. x_{n-1}, b) with b bound last the prover proves
 *
 * <pre>  sum_{x,b} (1 - b) Phi(x, b) + rho G(x, b) = target.revealed + rho H</pre>
 *
 * where Phi = sum_i lambda_i 2^-(n - n_i) g_i(f^_i(x, b)) + 2^-(n-1) M(x_{n-1}); f^(x, b) = f(x) +
 * b mu_f for every hidden table (mu_f a fresh committed extension element, the sum of a mask pair),
 * f^ = f for public tables; M(w) = sum_p c_p ((1-w) m_p0 + w m_p1) is the target's mask part as a
 * one-variable table (M(0) + M(1) = sum_p c_p (m_p0 + m_p1)); G(x, b) = a_0 + sum_j g_j(x_j) + g_b(b)
 * is Libra's masking polynomial (Xie et al. 2019) with committed random extension coefficients,
 * deg g_j = D and deg g_b = D + 1, and H = sum G is sent before rho is drawn. Rounds over x send
 * the usual D values (the factor 1 - b is 1 on the b = 0 half and kills the b = 1 half, so no table
 * grows); the b round sends D + 1 values computed from the final values alone. The prover then
 * sends every table's final value (hidden tables: f(r) + r_b mu_f, uniform), M(r_{n-1}) and
 * G(r, r_b); the verifier checks the last round against them.
 *
 * <p><b>Soundness.</b> The masks are committed before any challenge. If the identity is false,
 * the claimed total target.revealed + rho H equals the true sum of the combined polynomial for at
 * most one rho (probability 1/|F_p^3|); the remaining sumcheck over n + 1 variables of degree at
 * most D + 1 errs with probability at most (n + 1)(D + 1)/|F_p^3| (SumcheckVerifier). The final
 * values are claims on committed polynomials (the tables' multilinear extensions in (x, b) are
 * f + b mu_f, M and G are linear in the masks), discharged by the caller: with at most 41 variables
 * and D = 5, below 2^-183.
 *
 * <p><b>Zero knowledge.</b> Every hidden final is its true value plus r_b times a fresh uniform
 * extension element (r_b != 0 except with probability 2^-192), so the finals are uniform and
 * independent. Libra's argument: with G's coefficients uniform, the round messages of Phi' + rho G
 * (Phi' = (1 - b) Phi) are simulatable from the challenges, H, G(r, r_b) and Phi'(r, r_b) alone; the
 * latter is a function of the (uniform) finals and M's final M(r_{n-1}), which is independent of
 * the mask part M(0) + M(1) because (1 - r, r) and (1, 1) are independent for r != 1/2.
 */
public final class ZkSumcheck {
    private ZkSumcheck() {}

    /**
     * An instance as both sides know it: its variables, expression, public coefficient lambda and
     * which tables are hidden (their finals are revealed masked; the others are public tables the
     * caller checks itself).
     */
    public record Shape(int numVars, Expression expression, boolean[] hidden, Fp3 coeff) {
        public Shape {
            if (hidden.length != expression.arity()) {
                throw new IllegalArgumentException("hidden flags for " + hidden.length + " of " + expression.arity() + " tables");
            }
            if (numVars < 0 || numVars > 40) {
                throw new IllegalArgumentException("numVars out of range: " + numVars);
            }
            hidden = hidden.clone();
        }

        boolean hiddenTable(int j) {
            return hidden[j];
        }
    }

    /** Where the reduction leaves each instance: its point and every table's final value. */
    public record Outcome(List<Point> points, List<Masked[]> finals, List<LinearClaim> maskClaims) {}

    /** The prover's result. */
    public record Proved(Proof proof, Outcome outcome) {}

    /** The verifier's result: a verdict and, when accepted, the outcome to discharge. */
    public record Checked(Verdict verdict, Outcome outcome) {
        static Checked reject(String why) {
            return new Checked(Verdict.reject(why), null);
        }
    }

    /** What the verifier sees. */
    public record Proof(Fp3 maskSum, Fp3[][] rounds, Fp3[][] finals, Fp3 targetMaskFinal, Fp3 maskEval) {
        static final int MAX_ROUNDS = 48;
        static final int MAX_VALUES = 16;
        static final int MAX_INSTANCES = 1 << 12;
        static final int MAX_ARITY = 64;

        public void write(ByteSink out) {
            out.ext(maskSum);
            out.u32(rounds.length);
            for (Fp3[] r : rounds) {
                out.exts(r);
            }
            out.u32(finals.length);
            for (Fp3[] f : finals) {
                out.exts(f);
            }
            out.ext(targetMaskFinal);
            out.ext(maskEval);
        }

        public static Proof read(ByteSource in) throws MalformedInputException {
            Fp3 h = in.ext("zk sumcheck mask sum");
            int n = in.count("zk sumcheck rounds", MAX_ROUNDS);
            Fp3[][] rounds = new Fp3[n][];
            for (int i = 0; i < n; i++) {
                rounds[i] = in.exts("zk sumcheck round", MAX_VALUES);
            }
            int m = in.count("zk sumcheck instances", MAX_INSTANCES);
            Fp3[][] finals = new Fp3[m][];
            for (int i = 0; i < m; i++) {
                finals[i] = in.exts("zk sumcheck final values", MAX_ARITY);
            }
            return new Proof(h, rounds, finals, in.ext("zk sumcheck target mask final"), in.ext("zk sumcheck mask evaluation"));
        }

        /** A copy with round i's value j replaced (tamper tests, simulators). */
        public Proof withRound(int i, int j, Fp3 v) {
            Fp3[][] r = deep(rounds);
            r[i][j] = v;
            return new Proof(maskSum, r, finals, targetMaskFinal, maskEval);
        }

        public Proof withFinal(int i, int j, Fp3 v) {
            Fp3[][] f = deep(finals);
            f[i][j] = v;
            return new Proof(maskSum, rounds, f, targetMaskFinal, maskEval);
        }

        public Proof withMaskSum(Fp3 v) {
            return new Proof(v, rounds, finals, targetMaskFinal, maskEval);
        }

        public Proof withMaskEval(Fp3 v) {
            return new Proof(maskSum, rounds, finals, targetMaskFinal, v);
        }

        public Proof withTargetMaskFinal(Fp3 v) {
            return new Proof(maskSum, rounds, finals, v, maskEval);
        }

        /** Every revealed field element, in proof order (for statistical tests and scans). */
        public List<Fp3> revealed() {
            List<Fp3> out = new ArrayList<>();
            out.add(maskSum);
            for (Fp3[] r : rounds) {
                out.addAll(List.of(r));
            }
            for (Fp3[] f : finals) {
                out.addAll(List.of(f));
            }
            out.add(targetMaskFinal);
            out.add(maskEval);
            return out;
        }

        private static Fp3[][] deep(Fp3[][] a) {
            Fp3[][] c = new Fp3[a.length][];
            for (int i = 0; i < a.length; i++) {
                c[i] = a[i].clone();
            }
            return c;
        }
    }

    /**
     * The random coins of the protocol: the Fiat-Shamir transcript, or (tests of the interactive
     * form: simulators) challenges fixed in advance.
     */
    public interface Coins {
        void absorb(String label, Fp3... values);

        void absorbLong(String label, long v);

        Fp3 challenge(String label);

        static Coins of(Transcript t) {
            return new Coins() {
                @Override
                public void absorb(String label, Fp3... values) {
                    t.absorbExt(label, values);
                }

                @Override
                public void absorbLong(String label, long v) {
                    t.absorbLong(label, v);
                }

                @Override
                public Fp3 challenge(String label) {
                    return t.challengeExt(label);
                }
            };
        }

        /** Challenges in the order the protocol draws them: rho, then one per round. */
        static Coins fixed(List<Fp3> challenges) {
            java.util.Iterator<Fp3> it = challenges.iterator();
            return new Coins() {
                @Override
                public void absorb(String label, Fp3... values) {}

                @Override
                public void absorbLong(String label, long v) {}

                @Override
                public Fp3 challenge(String label) {
                    return it.next();
                }
            };
        }
    }

    /** The shape both sides derive: sizes, degree, coefficients and the slots of every mask. */
    static final class Plan {
        final List<Shape> shapes;
        final Masked target;
        final int n;
        final int deg;
        final Fp3[] coef;
        final Fp3 targetCoef;
        final int gSlot;
        final int[][] pairSlot;
        final String maskTensor;

        Plan(List<Shape> shapes, Masked target, ZkMasks masks) {
            if (shapes.isEmpty()) {
                throw new IllegalArgumentException("no sumcheck instance");
            }
            this.shapes = List.copyOf(shapes);
            this.target = target;
            this.maskTensor = masks.tensor();
            int vars = target.pairs().isEmpty() ? 0 : 1;
            int d = 1;
            for (Shape s : shapes) {
                vars = Math.max(vars, s.numVars());
                d = Math.max(d, s.expression().degree());
            }
            n = vars;
            deg = d;
            coef = new Fp3[shapes.size()];
            for (int i = 0; i < coef.length; i++) {
                coef[i] = shapes.get(i).coeff().mul(inversePow2(n - shapes.get(i).numVars()));
            }
            targetCoef = n == 0 ? Fp3.ZERO : Fp3.of(inversePow2(n - 1));
            gSlot = masks.take(gCount());
            pairSlot = new int[shapes.size()][];
            for (int i = 0; i < shapes.size(); i++) {
                Shape s = shapes.get(i);
                pairSlot[i] = new int[s.expression().arity()];
                for (int j = 0; j < pairSlot[i].length; j++) {
                    pairSlot[i][j] = s.hiddenTable(j) ? masks.take(2) : -1;
                }
            }
        }

        /** Extension coefficients of G: a_0, then D per x variable, then D + 1 for b. */
        int gCount() {
            return 1 + n * deg + deg + 1;
        }

        int gCoefSlot(int variable, int d) {
            return gSlot + 3 * (1 + variable * deg + d - 1);
        }

        int gbSlot(int d) {
            return gSlot + 3 * (1 + n * deg + d - 1);
        }

        void absorb(Coins c) {
            c.absorbLong("zksc/instances", shapes.size());
            c.absorbLong("zksc/vars", n);
            c.absorbLong("zksc/degree", deg);
            for (Shape s : shapes) {
                c.absorbLong("zksc/inst-vars", s.numVars());
                c.absorbLong("zksc/inst-degree", s.expression().degree());
                long flags = 0;
                for (int j = 0; j < s.hidden.length; j++) {
                    flags |= s.hidden[j] ? 1L << j : 0;
                }
                c.absorbLong("zksc/hidden", flags);
                c.absorb("zksc/coeff", s.coeff());
            }
            c.absorb("zksc/target", target.revealed());
            for (var e : target.pairs().entrySet()) {
                c.absorbLong("zksc/target-pair", e.getKey());
                c.absorb("zksc/target-coef", e.getValue());
            }
        }

        /** The claims the verifier hands on: G(r, r_b) and M(r_{n-1}) on the masks tensor. */
        List<LinearClaim> maskClaims(Fp3[] r, Fp3 rb, Fp3 gValue, Fp3 mFinal) {
            List<LinearClaim> out = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            List<Fp3> weights = new ArrayList<>();
            addExt(slots, weights, gSlot, Fp3.ONE);
            for (int v = 0; v < n; v++) {
                Fp3 p = Fp3.ONE;
                for (int d = 1; d <= deg; d++) {
                    p = p.mul(r[v]);
                    addExt(slots, weights, gCoefSlot(v, d), p);
                }
            }
            Fp3 p = Fp3.ONE;
            for (int d = 1; d <= deg + 1; d++) {
                p = p.mul(rb);
                addExt(slots, weights, gbSlot(d), p);
            }
            out.add(new LinearClaim(List.of(new LinearClaim.Slots(maskTensor, slots.stream().mapToInt(Integer::intValue).toArray(),
                    weights.toArray(new Fp3[0]))), gValue));
            if (!target.pairs().isEmpty()) {
                Fp3 w = r[n - 1];
                out.add(new LinearClaim(List.of(target.maskTerm(maskTensor, Fp3.ONE.sub(w), w)), mFinal));
            }
            return out;
        }

        Outcome outcome(Fp3[] r, Fp3 rb, Fp3[][] finals, Fp3 gValue, Fp3 mFinal) {
            List<Point> points = new ArrayList<>();
            List<Masked[]> fs = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                points.add(SumcheckTranscript.instancePoint(r, shapes.get(i).numVars()));
                Masked[] m = new Masked[finals[i].length];
                for (int j = 0; j < m.length; j++) {
                    m[j] = pairSlot[i][j] >= 0 ? Masked.of(finals[i][j], pairSlot[i][j], rb) : Masked.clear(finals[i][j]);
                }
                fs.add(m);
            }
            return new Outcome(points, fs, maskClaims(r, rb, gValue, mFinal));
        }

        /** (1 - b) Phi + rho G at the end, from the final values. */
        Fp3 finalValue(Fp3[][] finals, Fp3 mFinal, Fp3 rb, Fp3 rho, Fp3 gValue) {
            Fp3 phi = targetCoef.mul(mFinal);
            for (int i = 0; i < shapes.size(); i++) {
                phi = phi.add(coef[i].mul(shapes.get(i).expression().evaluate(finals[i])));
            }
            return Fp3.ONE.sub(rb).mul(phi).add(rho.mul(gValue));
        }
    }

    private static void addExt(List<Integer> slots, List<Fp3> weights, int slot, Fp3 w) {
        for (int d = 0; d < 3; d++) {
            slots.add(slot + d);
            weights.add(ZkMasks.basis(d).mul(w));
        }
    }

    private static long inversePow2(int k) {
        return Goldilocks.inv(Goldilocks.pow(2, k));
    }

    /** The mask slots the protocol takes (so callers can size the committed masks tensor). */
    public static void reserve(List<Shape> shapes, Masked target, ZkMasks masks) {
        new Plan(shapes, target, masks);
    }

    /**
     * Proves the identity; {@code tables.get(i)} are instance i's tables (2^{n_i} entries each) and
     * {@code masks} holds the committed mask values.
     */
    public static Proved prove(List<Shape> shapes, List<List<Mle>> tables, Masked target, ZkMasks masks, Coins coins) {
        int n = target.pairs().isEmpty() ? 0 : 1;
        for (Shape s : shapes) {
            n = Math.max(n, s.numVars());
        }
        List<SumcheckInstance> insts = new ArrayList<>();
        Fp3[] sums = new Fp3[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            SumcheckInstance in = s.numVars() < n ? SumcheckInstance.computing(s.expression(), tables.get(i))
                    : new SumcheckInstance(s.expression(), tables.get(i), Fp3.ZERO);
            if (in.numVars() != s.numVars()) {
                throw new IllegalArgumentException("instance " + i + " has " + in.numVars() + " variables, its shape " + s.numVars());
            }
            insts.add(in);
            sums[i] = in.claimedSum();
        }
        return prove(shapes, new RoundOracle.LocalOracle(SumcheckChunk.whole(insts)), sums, target, masks, coins);
    }

    /**
     * Proves the identity with the instances' tables held by {@code oracle} (in shape order);
     * {@code sums[i]} is instance i's true sum, needed only for instances with fewer variables than
     * the largest (they contribute a constant until they join).
     */
    public static Proved prove(List<Shape> shapes, RoundOracle oracle, Fp3[] sums, Masked target, ZkMasks masks, Coins coins) {
        Plan plan = new Plan(shapes, target, masks);
        plan.absorb(coins);
        int n = plan.n;
        int deg = plan.deg;
        int m = shapes.size();
        // G's coefficients
        Fp3 a0 = masks.ext(plan.gSlot);
        Fp3[][] g = new Fp3[n][deg + 1];
        for (int v = 0; v < n; v++) {
            for (int d = 1; d <= deg; d++) {
                g[v][d] = masks.ext(plan.gCoefSlot(v, d));
            }
        }
        Fp3[] gb = new Fp3[deg + 2];
        for (int d = 1; d <= deg + 1; d++) {
            gb[d] = masks.ext(plan.gbSlot(d));
        }
        Fp3[] gAtOne = new Fp3[n];
        Fp3 gSuffix = poly(gb, Fp3.ONE);
        for (int v = 0; v < n; v++) {
            gAtOne[v] = poly(g[v], Fp3.ONE);
            gSuffix = gSuffix.add(gAtOne[v]);
        }
        Fp3 pow2n = Fp3.of(Goldilocks.pow(2, n));
        Fp3 maskSum = pow2n.add(pow2n).mul(a0).add(pow2n.mul(gSuffix));
        coins.absorb("zksc/mask-sum", maskSum);
        Fp3 rho = coins.challenge("zksc/rho");

        // the target's mask part M(w) = (1 - w) m0 + w m1 over the last x variable
        boolean withM = !target.pairs().isEmpty();
        Fp3 m0 = Fp3.ZERO, m1 = Fp3.ZERO;
        for (var e : target.pairs().entrySet()) {
            m0 = m0.add(e.getValue().mul(masks.ext(e.getKey())));
            m1 = m1.add(e.getValue().mul(masks.ext(e.getKey() + 3)));
        }
        boolean[] active = new boolean[m];
        Fp3[][] rounds = new Fp3[n + 1][];
        Fp3[] r = new Fp3[n];
        Fp3 gPrefix = a0;
        Fp3 gRest = gSuffix;
        for (int round = 0; round < n; round++) {
            Fp3[] msg = new Fp3[deg + 1];
            java.util.Arrays.fill(msg, Fp3.ZERO);
            for (int i = 0; i < m; i++) {
                int join = n - shapes.get(i).numVars();
                active[i] = round >= join;
                if (!active[i]) {
                    Fp3 v = plan.coef[i].mul(sums[i]).mul(Goldilocks.pow(2, join - round - 1));
                    for (int x = 0; x <= deg; x++) {
                        msg[x] = msg[x].add(v);
                    }
                }
            }
            if (withM) {
                for (int x = 0; x <= deg; x++) {
                    Fp3 v = round < n - 1 ? m0.add(m1).mul(Goldilocks.pow(2, n - round - 2)) : m0.add(m1.sub(m0).mul(Fp3.of(x)));
                    msg[x] = msg[x].add(plan.targetCoef.mul(v));
                }
            }
            Fp3[][] e = oracle.roundValues(active, deg);
            gRest = gRest.sub(gAtOne[round]);
            Fp3 scale = Fp3.of(Goldilocks.pow(2, n - round));
            Fp3 restPart = gRest.mul(Goldilocks.pow(2, n - round - 1));
            for (int x = 0; x <= deg; x++) {
                if (x == 1) {
                    continue;
                }
                for (int i = 0; i < m; i++) {
                    if (active[i]) {
                        msg[x] = msg[x].add(plan.coef[i].mul(e[i][x]));
                    }
                }
                Fp3 gx = scale.mul(gPrefix.add(poly(g[round], Fp3.of(x)))).add(restPart);
                msg[x] = msg[x].add(rho.mul(gx));
            }
            rounds[round] = sent(msg);
            coins.absorb("zksc/round", rounds[round]);
            r[round] = coins.challenge("zksc/r");
            gPrefix = gPrefix.add(poly(g[round], r[round]));
            oracle.fold(active, r[round]);
        }
        // the b round, from the final values
        Fp3[][] trueFinals = new Fp3[m][];
        Fp3[][] mu = new Fp3[m][];
        for (int i = 0; i < m; i++) {
            trueFinals[i] = oracle.finalValues(i);
            mu[i] = new Fp3[trueFinals[i].length];
            for (int j = 0; j < mu[i].length; j++) {
                int p = plan.pairSlot[i][j];
                mu[i][j] = p < 0 ? Fp3.ZERO : masks.ext(p).add(masks.ext(p + 3));
            }
        }
        Fp3 mFinal = withM ? m0.add(m1.sub(m0).mul(r[n - 1])) : Fp3.ZERO;
        Fp3[] msg = new Fp3[deg + 2];
        for (int x = 0; x <= deg + 1; x++) {
            if (x == 1) {
                continue;
            }
            Fp3 X = Fp3.of(x);
            Fp3 gx = gPrefix.add(poly(gb, X));
            msg[x] = plan.finalValue(shifted(trueFinals, mu, X), mFinal, X, rho, gx);
        }
        rounds[n] = sent(msg);
        coins.absorb("zksc/round", rounds[n]);
        Fp3 rb = coins.challenge("zksc/r");
        Fp3[][] finals = shifted(trueFinals, mu, rb);
        Fp3 gValue = gPrefix.add(poly(gb, rb));
        absorbFinals(coins, finals, mFinal, gValue);
        Proof proof = new Proof(maskSum, rounds, finals, mFinal, gValue);
        return new Proved(proof, plan.outcome(r, rb, finals, gValue, mFinal));
    }

    /** Verifies; on success the outcome's finals and mask claims must be discharged by the caller. */
    public static Checked verify(List<Shape> shapes, Proof proof, Masked target, ZkMasks masks, Coins coins) {
        Plan plan = new Plan(shapes, target, masks);
        int n = plan.n;
        int deg = plan.deg;
        if (proof.rounds().length != n + 1) {
            return Checked.reject("zk sumcheck: expected " + (n + 1) + " rounds, proof has " + proof.rounds().length);
        }
        if (proof.finals().length != shapes.size()) {
            return Checked.reject("zk sumcheck: expected " + shapes.size() + " instances, proof has " + proof.finals().length);
        }
        for (int i = 0; i < shapes.size(); i++) {
            if (proof.finals()[i].length != shapes.get(i).expression().arity()) {
                return Checked.reject("zk sumcheck: instance " + i + " final values have the wrong arity");
            }
        }
        if (target.pairs().isEmpty() && !proof.targetMaskFinal().isZero()) {
            // no mask table M and so no claim on its final: a free value in the final check would
            // let a prover solve that check for it (the honest prover sends 0)
            return Checked.reject("zk sumcheck: a clear target has no mask final");
        }
        plan.absorb(coins);
        coins.absorb("zksc/mask-sum", proof.maskSum());
        Fp3 rho = coins.challenge("zksc/rho");
        Fp3 running = target.revealed().add(rho.mul(proof.maskSum()));
        Fp3[] r = new Fp3[n];
        Fp3 rb = null;
        for (int round = 0; round <= n; round++) {
            int d = round < n ? deg : deg + 1;
            Fp3[] s = proof.rounds()[round];
            if (s.length != d) {
                return Checked.reject("zk sumcheck round " + round + ": expected " + d + " values, got " + s.length);
            }
            Fp3[] values = new Fp3[d + 1];
            values[0] = s[0];
            values[1] = running.sub(s[0]);
            System.arraycopy(s, 1, values, 2, d - 1);
            coins.absorb("zksc/round", s);
            Fp3 c = coins.challenge("zksc/r");
            if (round < n) {
                r[round] = c;
            } else {
                rb = c;
            }
            running = Univariate.evaluateFromValues(values, c);
        }
        Fp3 expect = plan.finalValue(proof.finals(), proof.targetMaskFinal(), rb, rho, proof.maskEval());
        if (!expect.equals(running)) {
            return Checked.reject("zk sumcheck final check: the final values do not match the last round");
        }
        absorbFinals(coins, proof.finals(), proof.targetMaskFinal(), proof.maskEval());
        return new Checked(Verdict.accept(), plan.outcome(r, rb, proof.finals(), proof.maskEval(), proof.targetMaskFinal()));
    }

    private static void absorbFinals(Coins coins, Fp3[][] finals, Fp3 mFinal, Fp3 gValue) {
        for (Fp3[] f : finals) {
            coins.absorb("zksc/final", f);
        }
        coins.absorb("zksc/target-mask-final", mFinal);
        coins.absorb("zksc/mask-eval", gValue);
    }

    private static Fp3[][] shifted(Fp3[][] f, Fp3[][] mu, Fp3 x) {
        Fp3[][] out = new Fp3[f.length][];
        for (int i = 0; i < f.length; i++) {
            out[i] = new Fp3[f[i].length];
            for (int j = 0; j < f[i].length; j++) {
                out[i][j] = f[i][j].add(x.mul(mu[i][j]));
            }
        }
        return out;
    }

    /** The values at 0, 2, 3, ..., D of a message (the value at 1 is implied). */
    private static Fp3[] sent(Fp3[] msg) {
        Fp3[] s = new Fp3[msg.length - 1];
        s[0] = msg[0];
        System.arraycopy(msg, 2, s, 1, msg.length - 2);
        return s;
    }

    /** sum_{d >= 1} c[d] x^d (c[0] unused). */
    private static Fp3 poly(Fp3[] c, Fp3 x) {
        Fp3 acc = Fp3.ZERO;
        for (int d = c.length - 1; d >= 1; d--) {
            acc = acc.add(c[d]).mul(x);
        }
        return acc;
    }
}
