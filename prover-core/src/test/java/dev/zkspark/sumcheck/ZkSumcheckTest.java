package dev.zkspark.sumcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.poly.Univariate;
import dev.zkspark.testing.Rand;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZkSumcheckTest {
    static final String MASKS = "zk/test";

    /** Two instances of different sizes: eq(u, x) X(x) Y(x) over 4 variables and P(x) Q(x) over 2. */
    static final class Fixture {
        final SplittableRandom rnd;
        final Point u;
        final long[] x, y, p, q;
        final Fp3 lambda;
        final List<ZkSumcheck.Shape> shapes;

        Fixture(long seed) {
            rnd = new SplittableRandom(seed);
            u = Rand.point(rnd, 4);
            x = Rand.small(rnd, 16, 100);
            y = Rand.small(rnd, 16, 100);
            p = Rand.small(rnd, 4, 100);
            q = Rand.small(rnd, 4, 100);
            lambda = Rand.ext(rnd);
            shapes = List.of(
                    new ZkSumcheck.Shape(4, Expression.product(3), new boolean[] {false, true, true}, Fp3.ONE),
                    new ZkSumcheck.Shape(2, Expression.product(2), new boolean[] {true, true}, lambda));
        }

        List<List<Mle>> tables() {
            return List.of(List.of(Mle.eqTable(u), Mle.base(x), Mle.base(y)), List.of(Mle.base(p), Mle.base(q)));
        }

        Fp3 trueSum() {
            Fp3 s = Fp3.ZERO;
            for (int i = 0; i < 16; i++) {
                s = s.add(Mle.eqAt(u, i).mul(Goldilocks.mul(x[i], y[i])));
            }
            Fp3 t = Fp3.ZERO;
            for (int i = 0; i < 4; i++) {
                t = t.add(Fp3.of(Goldilocks.mul(p[i], q[i])));
            }
            return s.add(lambda.mul(t));
        }

        /** Verifies and discharges everything as the callers would (tables, eq and masks evaluated directly). */
        boolean fullyAccepted(ZkSumcheck.Proof proof, Masked target, long[] maskValues, String label) {
            ZkSumcheck.Checked c = ZkSumcheck.verify(shapes, proof, target, ZkMasks.slotsOnly(MASKS), coins(label));
            if (!c.verdict().isAccepted()) {
                return false;
            }
            ZkMasks masks = ZkMasks.of(MASKS, maskValues);
            ZkSumcheck.Outcome o = c.outcome();
            Point pa = o.points().get(0), pb = o.points().get(1);
            Masked[] fa = o.finals().get(0), fb = o.finals().get(1);
            boolean ok = fa[0].revealed().equals(Mle.eq(u, pa)) && fa[0].pairs().isEmpty()
                    && fa[1].unmask(masks).equals(Mle.base(x).evaluate(pa))
                    && fa[2].unmask(masks).equals(Mle.base(y).evaluate(pa))
                    && fb[0].unmask(masks).equals(Mle.base(p).evaluate(pb))
                    && fb[1].unmask(masks).equals(Mle.base(q).evaluate(pb));
            for (LinearClaim lc : o.maskClaims()) {
                ok &= lc.holds(Map.of(MASKS, maskValues)::get);
            }
            // the same claims in their committed form
            ok &= fa[1].claimOn("X", pa, MASKS).holds(Map.of("X", x, MASKS, maskValues)::get);
            return ok;
        }
    }

    static Transcript transcript(String label) {
        return Transcript.create(Hash.SHA256, "zk-sumcheck-test", label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static ZkSumcheck.Coins coins(String label) {
        return ZkSumcheck.Coins.of(transcript(label));
    }

    static byte[] seed(long s) {
        return java.nio.ByteBuffer.allocate(16).putLong(s).putLong(~s).array();
    }

    static long[] masks(long seed, List<ZkSumcheck.Shape> shapes, Masked target) {
        ZkMasks count = ZkMasks.slotsOnly(MASKS);
        ZkSumcheck.reserve(shapes, target, count);
        return ZkMasks.generate(seed(seed), "test", ZkMasks.tensorSize(count.used()));
    }

    @Test
    void honestProofVerifiesAndEveryClaimHolds() {
        Fixture f = new Fixture(1);
        Masked target = Masked.clear(f.trueSum());
        long[] mv = masks(1, f.shapes, target);
        ZkSumcheck.Proved p = ZkSumcheck.prove(f.shapes, f.tables(), target, ZkMasks.of(MASKS, mv), coins("a"));
        assertTrue(f.fullyAccepted(p.proof(), target, mv, "a"));
        // the prover's outcome is the verifier's
        ZkSumcheck.Checked c = ZkSumcheck.verify(f.shapes, p.proof(), target, ZkMasks.slotsOnly(MASKS), coins("a"));
        assertEquals(p.outcome().points(), c.outcome().points());
        assertEquals(5, p.proof().rounds().length);
        assertEquals(4, p.proof().rounds()[4].length, "the b round has degree D + 1 (D = 3)");
    }

    @Test
    void everyTamperedValueIsCaught() {
        Fixture f = new Fixture(2);
        Masked target = Masked.clear(f.trueSum());
        long[] mv = masks(2, f.shapes, target);
        ZkSumcheck.Proof proof = ZkSumcheck.prove(f.shapes, f.tables(), target, ZkMasks.of(MASKS, mv), coins("t")).proof();
        Fp3 one = Fp3.ONE;
        assertFalse(f.fullyAccepted(proof.withMaskSum(proof.maskSum().add(one)), target, mv, "t"));
        assertFalse(f.fullyAccepted(proof.withMaskEval(proof.maskEval().add(one)), target, mv, "t"));
        for (int i = 0; i < proof.rounds().length; i++) {
            for (int j = 0; j < proof.rounds()[i].length; j++) {
                assertFalse(f.fullyAccepted(proof.withRound(i, j, proof.rounds()[i][j].add(one)), target, mv, "t"), "round " + i);
            }
        }
        for (int i = 0; i < proof.finals().length; i++) {
            for (int j = 0; j < proof.finals()[i].length; j++) {
                assertFalse(f.fullyAccepted(proof.withFinal(i, j, proof.finals()[i][j].add(one)), target, mv, "t"), "final " + i);
            }
        }
        assertTrue(f.fullyAccepted(proof, target, mv, "t"));
    }

    @Test
    void wrongStatementAndWrongWitnessAreRejected() {
        Fixture f = new Fixture(3);
        Masked target = Masked.clear(f.trueSum());
        long[] mv = masks(3, f.shapes, target);
        ZkSumcheck.Proof proof = ZkSumcheck.prove(f.shapes, f.tables(), target, ZkMasks.of(MASKS, mv), coins("w")).proof();
        Masked wrong = Masked.clear(f.trueSum().add(Fp3.ONE));
        assertFalse(f.fullyAccepted(proof, wrong, mv, "w"), "a different statement");
        // a prover whose tables do not sum to the target
        ZkSumcheck.Proof lying = ZkSumcheck.prove(f.shapes, f.tables(), wrong, ZkMasks.of(MASKS, mv), coins("w")).proof();
        assertFalse(f.fullyAccepted(lying, wrong, mv, "w"), "a wrong witness");
        // other masks than the committed ones
        long[] other = mv.clone();
        other[0] = Goldilocks.add(other[0], 1);
        assertFalse(f.fullyAccepted(proof, target, other, "w"), "masks that were not committed");
    }

    @Test
    void maskedTargetsChainWithoutUnmasking() {
        Fixture f = new Fixture(4);
        Masked target = Masked.clear(f.trueSum());
        ZkMasks count = ZkMasks.slotsOnly(MASKS);
        ZkSumcheck.reserve(f.shapes, target, count);
        // second sumcheck: X~(r) = sum_z eq(r, z) X(z), with X~(r) known only masked
        List<ZkSumcheck.Shape> second = List.of(new ZkSumcheck.Shape(4, Expression.product(2), new boolean[] {false, true}, Fp3.ONE));
        // reserve with a placeholder target that has one pair (its slots come from the first run)
        ZkSumcheck.reserve(second, Masked.of(Fp3.ZERO, 0, Fp3.ONE), count);
        long[] mv = ZkMasks.generate(seed(4), "chain", ZkMasks.tensorSize(count.used()));
        ZkMasks masks = ZkMasks.of(MASKS, mv);
        Transcript tp = transcript("chain");
        ZkSumcheck.Proved p1 = ZkSumcheck.prove(f.shapes, f.tables(), target, masks, ZkSumcheck.Coins.of(tp));
        Point r = p1.outcome().points().get(0);
        Masked xHat = p1.outcome().finals().get(0)[1];
        assertFalse(xHat.pairs().isEmpty());
        assertTrue(!xHat.revealed().equals(Mle.base(f.x).evaluate(r)), "the revealed value is not the true one");
        ZkSumcheck.Proved p2 = ZkSumcheck.prove(second, List.of(List.of(Mle.eqTable(r), Mle.base(f.x))), xHat, masks,
                ZkSumcheck.Coins.of(tp));

        Transcript tv = transcript("chain");
        ZkMasks vm = ZkMasks.slotsOnly(MASKS);
        ZkSumcheck.Checked c1 = ZkSumcheck.verify(f.shapes, p1.proof(), target, vm, ZkSumcheck.Coins.of(tv));
        assertTrue(c1.verdict().isAccepted());
        Masked vx = c1.outcome().finals().get(0)[1];
        ZkSumcheck.Checked c2 = ZkSumcheck.verify(second, p2.proof(), vx, vm, ZkSumcheck.Coins.of(tv));
        assertTrue(c2.verdict().isAccepted(), c2.verdict().toString());
        Point z = c2.outcome().points().get(0);
        assertEquals(Mle.eq(r, z), c2.outcome().finals().get(0)[0].revealed());
        assertEquals(Mle.base(f.x).evaluate(z), c2.outcome().finals().get(0)[1].unmask(masks));
        for (LinearClaim lc : c2.outcome().maskClaims()) {
            assertTrue(lc.holds(Map.of(MASKS, mv)::get));
        }
        assertEquals(2, c2.outcome().maskClaims().size(), "G and the target's mask part");

        // negative twin: a prover that claims the second identity for another value of X~(r)
        Masked shifted = xHat.add(Masked.clear(Fp3.ONE));
        Transcript tl = transcript("chain");
        ZkMasks again = ZkMasks.of(MASKS, mv);
        ZkSumcheck.prove(f.shapes, f.tables(), target, again, ZkSumcheck.Coins.of(tl));
        ZkSumcheck.Proved lie = ZkSumcheck.prove(second, List.of(List.of(Mle.eqTable(r), Mle.base(f.x))), shifted, again,
                ZkSumcheck.Coins.of(tl));
        Transcript tv2 = transcript("chain");
        ZkMasks vm2 = ZkMasks.slotsOnly(MASKS);
        ZkSumcheck.verify(f.shapes, p1.proof(), target, vm2, ZkSumcheck.Coins.of(tv2));
        ZkSumcheck.Checked bad = ZkSumcheck.verify(second, lie.proof(), vx.add(Masked.clear(Fp3.ONE)), vm2,
                ZkSumcheck.Coins.of(tv2));
        boolean discharged = bad.verdict().isAccepted()
                && bad.outcome().finals().get(0)[1].unmask(masks).equals(Mle.base(f.x).evaluate(bad.outcome().points().get(0)))
                && bad.outcome().maskClaims().stream().allMatch(lc -> lc.holds(Map.of(MASKS, mv)::get));
        assertFalse(discharged);
    }

    /** Coins over a transcript that also record every challenge drawn. */
    static ZkSumcheck.Coins recording(Transcript t, List<Fp3> drawn) {
        ZkSumcheck.Coins c = ZkSumcheck.Coins.of(t);
        return new ZkSumcheck.Coins() {
            @Override
            public void absorb(String label, Fp3... values) {
                c.absorb(label, values);
            }

            @Override
            public void absorbLong(String label, long v) {
                c.absorbLong(label, v);
            }

            @Override
            public Fp3 challenge(String label) {
                Fp3 x = c.challenge(label);
                drawn.add(x);
                return x;
            }
        };
    }

    @Test
    void aClearTargetLeavesNoRoomInTheTargetMaskFinal() {
        // With a clear target there is no mask table M, yet M's final enters the final check (with
        // weight 2^-(n-1) when n >= 1): unless the verifier pins it to 0, a prover of a false
        // statement solves the final check for it after seeing every challenge.
        Fixture f = new Fixture(9);
        Masked wrong = Masked.clear(f.trueSum().add(Fp3.ONE));
        long[] mv = masks(9, f.shapes, wrong);
        ZkSumcheck.Proof lie = ZkSumcheck.prove(f.shapes, f.tables(), wrong, ZkMasks.of(MASKS, mv), coins("forge")).proof();
        List<Fp3> ch = new ArrayList<>();
        ZkSumcheck.verify(f.shapes, lie, wrong, ZkMasks.slotsOnly(MASKS), recording(transcript("forge"), ch));
        int n = lie.rounds().length - 1;
        Fp3 rho = ch.get(0);
        Fp3 running = wrong.revealed().add(rho.mul(lie.maskSum()));
        for (int j = 0; j <= n; j++) {
            running = Univariate.evaluateFromValues(values(lie.rounds()[j], running, null), ch.get(1 + j));
        }
        Fp3 rb = ch.get(n + 1);
        ZkSumcheck.Plan plan = new ZkSumcheck.Plan(f.shapes, wrong, ZkMasks.slotsOnly(MASKS));
        Fp3 at0 = plan.finalValue(lie.finals(), Fp3.ZERO, rb, rho, lie.maskEval());
        Fp3 slope = Fp3.ONE.sub(rb).mul(plan.targetCoef);
        ZkSumcheck.Proof forged = lie.withTargetMaskFinal(running.sub(at0).mul(slope.inv()));
        assertEquals(running, plan.finalValue(forged.finals(), forged.targetMaskFinal(), rb, rho, forged.maskEval()),
                "the forged value satisfies the final check");
        assertFalse(f.fullyAccepted(forged, wrong, mv, "forge"), "a false statement with a solved target mask final");
        // and the honest proof of a clear target sends 0 there
        Masked target = Masked.clear(f.trueSum());
        ZkSumcheck.Proof honest = ZkSumcheck.prove(f.shapes, f.tables(), target, ZkMasks.of(MASKS, masks(9, f.shapes, target)),
                coins("clear")).proof();
        assertEquals(Fp3.ZERO, honest.targetMaskFinal());
    }

    @Test
    void zeroVariableInstancesProveOverTheMaskVariableOnly() {
        // the root of a fraction tree: p0 q1 + p1 q0 = 0 on single values
        Expression e = Expression.builder(4).term(Fp3.ONE, 0, 3).term(Fp3.ONE, 1, 2).build();
        List<ZkSumcheck.Shape> shapes = List.of(new ZkSumcheck.Shape(0, e, new boolean[] {true, true, true, true}, Fp3.ONE));
        Fp3 p0 = Fp3.of(5), p1 = Fp3.of(Goldilocks.fromSigned(-10)), q0 = Fp3.of(3), q1 = Fp3.of(6);
        List<List<Mle>> tables = List.of(List.of(one(p0), one(p1), one(q0), one(q1)));
        Masked target = Masked.clear(Fp3.ZERO);
        long[] mv = masks(5, shapes, target);
        ZkSumcheck.Proof proof = ZkSumcheck.prove(shapes, tables, target, ZkMasks.of(MASKS, mv), coins("root")).proof();
        assertEquals(1, proof.rounds().length);
        assertTrue(ZkSumcheck.verify(shapes, proof, target, ZkMasks.slotsOnly(MASKS), coins("root")).verdict().isAccepted());
        List<List<Mle>> bad = List.of(List.of(one(p0), one(p0), one(q0), one(q1)));
        ZkSumcheck.Proof lie = ZkSumcheck.prove(shapes, bad, target, ZkMasks.of(MASKS, mv), coins("root")).proof();
        ZkSumcheck.Checked c = ZkSumcheck.verify(shapes, lie, target, ZkMasks.slotsOnly(MASKS), coins("root"));
        boolean discharged = c.verdict().isAccepted() && c.outcome().finals().get(0)[1].unmask(ZkMasks.of(MASKS, mv)).equals(p1);
        assertFalse(discharged, "p0 q1 + p1 q0 != 0 must not be provable with p1's true value");
    }

    private static Mle one(Fp3 v) {
        long[] t = new long[3];
        v.put(t, 0);
        return Mle.ext(t);
    }

    /**
     * The simulator of the interactive form: knowing only the statement (shapes, target, the
     * public tables' values) and the verifier's challenges in advance, it writes a transcript the
     * verifier accepts, without any witness or masks.
     */
    static ZkSumcheck.Proof simulate(List<ZkSumcheck.Shape> shapes, Masked target, List<Fp3> challenges, Fp3[][] publicFinals,
            SplittableRandom rnd) {
        int n = challenges.size() - 2;
        int deg = 1;
        for (ZkSumcheck.Shape s : shapes) {
            deg = Math.max(deg, s.expression().degree());
        }
        Fp3 rho = challenges.get(0);
        Fp3 h = Rand.ext(rnd);
        Fp3 running = target.revealed().add(rho.mul(h));
        Fp3[][] rounds = new Fp3[n + 1][];
        for (int j = 0; j < n; j++) {
            Fp3[] s = new Fp3[deg];
            for (int k = 0; k < deg; k++) {
                s[k] = Rand.ext(rnd);
            }
            rounds[j] = s;
            running = Univariate.evaluateFromValues(values(s, running, null), challenges.get(1 + j));
        }
        Fp3[][] finals = new Fp3[shapes.size()][];
        for (int i = 0; i < shapes.size(); i++) {
            finals[i] = new Fp3[shapes.get(i).expression().arity()];
            for (int j = 0; j < finals[i].length; j++) {
                finals[i][j] = shapes.get(i).hidden()[j] ? Rand.ext(rnd) : publicFinals[i][j];
            }
        }
        Fp3 mFinal = target.pairs().isEmpty() ? Fp3.ZERO : Rand.ext(rnd);
        Fp3 g = Rand.ext(rnd);
        Fp3 rb = challenges.get(n + 1);
        ZkMasks any = ZkMasks.slotsOnly(MASKS);
        ZkSumcheck.Plan plan = new ZkSumcheck.Plan(shapes, target, any);
        Fp3 want = plan.finalValue(finals, mFinal, rb, rho, g);
        // the b round: random values except the last, solved so that it ends at the final value
        Fp3[] s = new Fp3[deg + 1];
        for (int k = 0; k < deg; k++) {
            s[k] = Rand.ext(rnd);
        }
        s[deg] = Fp3.ZERO;
        Fp3 e0 = Univariate.evaluateFromValues(values(s, running, null), rb);
        s[deg] = Fp3.ONE;
        Fp3 e1 = Univariate.evaluateFromValues(values(s, running, null), rb).sub(e0);
        s[deg] = want.sub(e0).mul(e1.inv());
        rounds[n] = s;
        return new ZkSumcheck.Proof(h, rounds, finals, mFinal, g);
    }

    private static Fp3[] values(Fp3[] sent, Fp3 running, Object unused) {
        Fp3[] v = new Fp3[sent.length + 1];
        v[0] = sent[0];
        v[1] = running.sub(sent[0]);
        System.arraycopy(sent, 1, v, 2, sent.length - 1);
        return v;
    }

    @Test
    void simulatedTranscriptsAreAcceptedByTheInteractiveVerifier() {
        Fixture f = new Fixture(6);
        Masked target = Masked.clear(f.trueSum());
        SplittableRandom rnd = new SplittableRandom(60);
        for (int trial = 0; trial < 5; trial++) {
            List<Fp3> ch = new ArrayList<>();
            for (int k = 0; k < 6; k++) { // rho, 4 x rounds, b
                ch.add(Rand.ext(rnd));
            }
            Point pa = new Point(ch.subList(1, 5).toArray(new Fp3[0]));
            Fp3[][] pub = {{Mle.eq(f.u, pa), null, null}, {null, null}};
            ZkSumcheck.Proof sim = simulate(f.shapes, target, ch, pub, rnd);
            ZkSumcheck.Checked c = ZkSumcheck.verify(f.shapes, sim, target, ZkMasks.slotsOnly(MASKS), ZkSumcheck.Coins.fixed(ch));
            assertTrue(c.verdict().isAccepted(), c.verdict().toString());
            // and the verifier rejects a simulated transcript whose last round was not solved
            ZkSumcheck.Proof off = sim.withRound(4, 2, sim.rounds()[4][2].add(Fp3.ONE));
            assertFalse(ZkSumcheck.verify(f.shapes, off, target, ZkMasks.slotsOnly(MASKS), ZkSumcheck.Coins.fixed(ch)).verdict()
                    .isAccepted());
        }
    }

    /** Fraction of revealed values whose base coordinate lies in the upper half of the field. */
    static double upperHalf(List<Fp3> values) {
        long up = values.stream().filter(v -> Long.compareUnsigned(v.c0, Goldilocks.P >>> 1) > 0).count();
        return (double) up / values.size();
    }

    static List<Fp3> revealedOver(int proofs, long[] x, long[] y, boolean zeroMasks) {
        List<ZkSumcheck.Shape> shapes = List.of(new ZkSumcheck.Shape(4, Expression.product(2), new boolean[] {true, true}, Fp3.ONE));
        Fp3 sum = Fp3.ZERO;
        for (int i = 0; i < 16; i++) {
            sum = sum.add(Fp3.of(Goldilocks.mul(x[i], y[i])));
        }
        Masked target = Masked.clear(sum);
        List<Fp3> out = new ArrayList<>();
        for (int k = 0; k < proofs; k++) {
            long[] mv = masks(1000 + k, shapes, target);
            if (zeroMasks) {
                java.util.Arrays.fill(mv, 0);
            }
            ZkSumcheck.Proof p = ZkSumcheck.prove(shapes, List.of(List.of(Mle.base(x), Mle.base(y))), target, ZkMasks.of(MASKS, mv),
                    coins("stat" + k)).proof();
            List<Fp3> r = p.revealed();
            out.addAll(r.subList(1, r.size())); // everything but H (which is masked by G's sum alone)
        }
        return out;
    }

    @Test
    void revealedValuesAreUniformAndDoNotDependOnTheWitness() {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] x = Rand.small(rnd, 16, 3), y = Rand.small(rnd, 16, 3);
        // a second witness with the same public statement (the same sum): y' = y with two entries moved
        long[] x2 = x.clone(), y2 = y.clone();
        x2[0] = 1;
        y2[0] = Goldilocks.mul(x[0], y[0]);
        x2[1] = 1;
        y2[1] = Goldilocks.mul(x[1], y[1]);
        List<Fp3> a = revealedOver(150, x, y, false);
        List<Fp3> b = revealedOver(150, x2, y2, false);
        assertEquals(0.5, upperHalf(a), 0.04, "revealed values of one witness are uniform");
        assertEquals(0.5, upperHalf(b), 0.04, "and of another witness with the same statement");
        assertEquals(upperHalf(a), upperHalf(b), 0.06, "indistinguishable by the test");
        // negative twin: without masks, small tables show through the first round's values
        List<Fp3> leaky = revealedOver(150, x, y, true);
        List<Fp3> firstRound = new ArrayList<>();
        int per = leaky.size() / 150;
        for (int k = 0; k < 150; k++) {
            firstRound.add(leaky.get(k * per));
        }
        assertTrue(upperHalf(firstRound) < 0.1 || upperHalf(firstRound) > 0.9,
                "unmasked round values of small tables are small field elements: " + upperHalf(firstRound));
    }

    @Test
    void proofBytesRoundTripAndMalformedInputIsRejected() throws MalformedInputException {
        Fixture f = new Fixture(8);
        Masked target = Masked.clear(f.trueSum());
        long[] mv = masks(8, f.shapes, target);
        ZkSumcheck.Proof proof = ZkSumcheck.prove(f.shapes, f.tables(), target, ZkMasks.of(MASKS, mv), coins("rt")).proof();
        ByteSink s = new ByteSink();
        proof.write(s);
        byte[] bytes = s.toByteArray();
        ZkSumcheck.Proof back = ZkSumcheck.Proof.read(new ByteSource(bytes));
        assertTrue(f.fullyAccepted(back, target, mv, "rt"));
        assertThrows(MalformedInputException.class, () -> ZkSumcheck.Proof.read(new ByteSource(java.util.Arrays.copyOf(bytes, 40))));
        ZkSumcheck.Proof wrongShape = new ZkSumcheck.Proof(proof.maskSum(), java.util.Arrays.copyOf(proof.rounds(), 3), proof.finals(),
                proof.targetMaskFinal(), proof.maskEval());
        assertFalse(ZkSumcheck.verify(f.shapes, wrongShape, target, ZkMasks.slotsOnly(MASKS), coins("rt")).verdict().isAccepted());
    }
}
