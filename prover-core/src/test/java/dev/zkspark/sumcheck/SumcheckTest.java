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
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SumcheckTest {
    static final byte[] STATEMENT = {1, 2, 3};

    static Transcript transcript(byte[] statement) {
        return Transcript.create(Hash.SHA256, "sumcheck-test", statement);
    }

    static Mle randomTable(SplittableRandom r, int n, boolean ext) {
        if (ext) {
            long[] t = new long[3 << n];
            for (int i = 0; i < t.length; i++) {
                t[i] = Goldilocks.reduce(r.nextLong());
            }
            return Mle.ext(t);
        }
        long[] t = new long[1 << n];
        for (int i = 0; i < t.length; i++) {
            t[i] = Goldilocks.reduce(r.nextLong());
        }
        return Mle.base(t);
    }

    static SumcheckInstance instance(SplittableRandom r, Expression g, int n, boolean mixExt) {
        List<Mle> ts = new ArrayList<>();
        for (int j = 0; j < g.arity(); j++) {
            ts.add(randomTable(r, n, mixExt && j % 2 == 1));
        }
        return SumcheckInstance.computing(g, ts);
    }

    static SumcheckProof roundTrip(SumcheckProof p) throws MalformedInputException {
        ByteSink s = new ByteSink();
        p.write(s);
        ByteSource src = new ByteSource(s.toByteArray());
        SumcheckProof q = SumcheckProof.read(src);
        src.expectEnd("sumcheck proof");
        return q;
    }

    static List<SumcheckClaim> claims(List<SumcheckInstance> ins) {
        List<SumcheckClaim> c = new ArrayList<>();
        for (SumcheckInstance i : ins) {
            c.add(i.claim());
        }
        return c;
    }

    static SumcheckVerifier.Result verify(List<SumcheckClaim> claims, SumcheckProof p, byte[] statement) {
        return SumcheckVerifier.verify(claims, p, transcript(statement));
    }

    static void assertSubclaimsTrue(List<SumcheckInstance> ins, List<Subclaim> subs) {
        for (int i = 0; i < ins.size(); i++) {
            for (int j = 0; j < ins.get(i).arity(); j++) {
                assertEquals(ins.get(i).table(j).evaluate(subs.get(i).point()), subs.get(i).value(j), "subclaim " + i + "/" + j);
            }
        }
    }

    static Expression mixed() {
        // f0*f1*f2 + 5*f1 + 7*f0*f0 (a sum of products, degree 3)
        return Expression.builder(3).term(Fp3.ONE, 0, 1, 2).term(Fp3.of(5), 1).term(Fp3.of(7), 0, 0).build();
    }

    @Test
    void completenessDegreesOneToFour() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        for (int deg = 1; deg <= 4; deg++) {
            for (int n : new int[] {0, 1, 3, 6}) {
                for (boolean ext : new boolean[] {false, true}) {
                    SumcheckInstance in = instance(r, Expression.product(deg), n, ext);
                    SumcheckProver.Result res = SumcheckProver.prove(in, transcript(STATEMENT));
                    SumcheckVerifier.Result v = verify(List.of(in.claim()), roundTrip(res.proof()), STATEMENT);
                    assertTrue(v.verdict().isAccepted(), "deg " + deg + " n " + n + ": " + v.verdict());
                    assertSubclaimsTrue(List.of(in), v.subclaims());
                    assertEquals(res.subclaims().get(0).point(), v.subclaims().get(0).point());
                }
            }
        }
    }

    @Test
    void completenessSumOfProductsAndBatchesOfDifferentSizes() throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        List<SumcheckInstance> ins = List.of(
                instance(r, mixed(), 5, true),
                instance(r, Expression.product(2), 3, false),
                instance(r, Expression.product(1), 0, false),
                instance(r, Expression.product(4), 5, true));
        SumcheckProver.Result res = SumcheckProver.prove(ins, transcript(STATEMENT));
        SumcheckVerifier.Result v = verify(claims(ins), roundTrip(res.proof()), STATEMENT);
        assertTrue(v.verdict().isAccepted(), v.verdict().toString());
        assertSubclaimsTrue(ins, v.subclaims());
        assertEquals(3, v.subclaims().get(1).point().size());
    }

    @Test
    void eqWeightedProductReducesToTheDefinition() {
        SplittableRandom r = new SplittableRandom(3);
        Mle a = randomTable(r, 4, false);
        Mle b = randomTable(r, 4, false);
        Point u = MleTestPoint.rnd(r, 4);
        // sum_x eq(u,x) a(x) b(x) = (a*b)~(u) where a*b is the Hadamard product
        long[] prod = new long[16];
        for (int i = 0; i < 16; i++) {
            prod[i] = Goldilocks.mul(a.data()[i], b.data()[i]);
        }
        Fp3 claim = Mle.base(prod).evaluate(u);
        SumcheckInstance in = new SumcheckInstance(Expression.product(3), List.of(Mle.eqTable(u), a, b), claim);
        SumcheckProver.Result res = SumcheckProver.prove(in, transcript(STATEMENT));
        SumcheckVerifier.Result v = verify(List.of(in.claim()), res.proof(), STATEMENT);
        assertTrue(v.verdict().isAccepted());
        assertEquals(Mle.eq(u, v.subclaims().get(0).point()), v.subclaims().get(0).value(0));
    }

    @Test
    void rejectsChangedRoundMessage() {
        SplittableRandom r = new SplittableRandom(4);
        SumcheckInstance in = instance(r, mixed(), 5, true);
        SumcheckProof p = SumcheckProver.prove(in, transcript(STATEMENT)).proof();
        for (int round = 0; round < p.numRounds(); round++) {
            for (int j = 0; j < p.round(round).length; j++) {
                SumcheckProof bad = p.withRoundValue(round, j, p.round(round)[j].add(Fp3.ONE));
                assertFalse(verify(List.of(in.claim()), bad, STATEMENT).verdict().isAccepted(), "round " + round);
            }
        }
    }

    @Test
    void rejectsWrongClaimedSum() {
        SplittableRandom r = new SplittableRandom(5);
        SumcheckInstance in = instance(r, Expression.product(2), 6, false);
        SumcheckProof p = SumcheckProver.prove(in, transcript(STATEMENT)).proof();
        SumcheckClaim wrong = new SumcheckClaim(6, in.expression(), in.claimedSum().add(Fp3.ONE));
        assertFalse(verify(List.of(wrong), p, STATEMENT).verdict().isAccepted());
        // an honest prover on a false claim (wrong sum given to the prover) is rejected too
        SumcheckInstance lying = new SumcheckInstance(in.expression(), List.of(in.table(0), in.table(1)), in.claimedSum().add(Fp3.ONE));
        SumcheckProof p2 = SumcheckProver.prove(lying, transcript(STATEMENT)).proof();
        assertFalse(verify(List.of(lying.claim()), p2, STATEMENT).verdict().isAccepted());
    }

    @Test
    void rejectsWrongFinalEvaluation() {
        SplittableRandom r = new SplittableRandom(6);
        List<SumcheckInstance> ins = List.of(instance(r, mixed(), 4, true), instance(r, Expression.product(2), 4, false));
        SumcheckProof p = SumcheckProver.prove(ins, transcript(STATEMENT)).proof();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < ins.get(i).arity(); j++) {
                SumcheckProof bad = p.withFinalEval(i, j, p.finalEvals(i)[j].add(Fp3.ONE));
                assertFalse(verify(claims(ins), bad, STATEMENT).verdict().isAccepted());
            }
        }
    }

    @Test
    void rejectsFalseInstanceHiddenInABatch() {
        SplittableRandom r = new SplittableRandom(7);
        SumcheckInstance good = instance(r, Expression.product(2), 4, false);
        SumcheckInstance bad0 = instance(r, Expression.product(2), 4, false);
        SumcheckInstance bad = new SumcheckInstance(bad0.expression(), List.of(bad0.table(0), bad0.table(1)), bad0.claimedSum().add(Fp3.ONE));
        List<SumcheckInstance> ins = List.of(good, bad);
        SumcheckProof p = SumcheckProver.prove(ins, transcript(STATEMENT)).proof();
        assertFalse(verify(claims(ins), p, STATEMENT).verdict().isAccepted());
    }

    @Test
    void rejectsReplayUnderAnotherStatement() {
        SplittableRandom r = new SplittableRandom(8);
        SumcheckInstance in = instance(r, Expression.product(3), 5, false);
        SumcheckProof p = SumcheckProver.prove(in, transcript(STATEMENT)).proof();
        assertTrue(verify(List.of(in.claim()), p, STATEMENT).verdict().isAccepted());
        assertFalse(verify(List.of(in.claim()), p, new byte[] {1, 2, 4}).verdict().isAccepted());
    }

    @Test
    void rejectsMalformedShapesWithoutThrowing() {
        SplittableRandom r = new SplittableRandom(9);
        SumcheckInstance in = instance(r, Expression.product(2), 3, false);
        SumcheckProof p = SumcheckProver.prove(in, transcript(STATEMENT)).proof();
        SumcheckClaim moreVars = new SumcheckClaim(4, in.expression(), in.claimedSum());
        assertFalse(verify(List.of(moreVars), p, STATEMENT).verdict().isAccepted());
        SumcheckClaim higherDeg = new SumcheckClaim(3, Expression.product(3), in.claimedSum());
        assertFalse(verify(List.of(higherDeg), p, STATEMENT).verdict().isAccepted());
        assertFalse(verify(List.of(in.claim(), in.claim()), p, STATEMENT).verdict().isAccepted());
    }

    @Test
    void truncatedOrNonCanonicalProofBytesAreRefused() {
        SplittableRandom r = new SplittableRandom(10);
        SumcheckInstance in = instance(r, Expression.product(2), 3, false);
        ByteSink s = new ByteSink();
        SumcheckProver.prove(in, transcript(STATEMENT)).proof().write(s);
        byte[] b = s.toByteArray();
        for (int cut = 0; cut < b.length; cut += 7) {
            byte[] t = java.util.Arrays.copyOf(b, cut);
            assertThrows(MalformedInputException.class, () -> SumcheckProof.read(new ByteSource(t)));
        }
        byte[] huge = b.clone();
        huge[0] = (byte) 0xFF;
        huge[1] = (byte) 0xFF;
        assertThrows(MalformedInputException.class, () -> SumcheckProof.read(new ByteSource(huge)));
        byte[] nonCanon = b.clone();
        for (int i = 8; i < 16; i++) {
            nonCanon[i] = (byte) 0xFF; // first element of round 0 becomes 2^64 - 1 >= p
        }
        assertThrows(MalformedInputException.class, () -> SumcheckProof.read(new ByteSource(nonCanon)));
    }

    /** Points for tests in this package. */
    static final class MleTestPoint {
        static Point rnd(SplittableRandom r, int n) {
            Fp3[] c = new Fp3[n];
            for (int i = 0; i < n; i++) {
                c[i] = new Fp3(Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()));
            }
            return new Point(c);
        }
    }
}
