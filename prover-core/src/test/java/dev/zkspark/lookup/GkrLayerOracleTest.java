package dev.zkspark.lookup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.zkspark.core.ByteSink;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast GKR-layer prover sends exactly the generic prover's bytes for the same layer. */
class GkrLayerOracleTest {
    static long[] ext(SplittableRandom r, int n) {
        long[] a = new long[3 * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = Goldilocks.reduce(r.nextLong());
        }
        return a;
    }

    static byte[] bytes(SumcheckProver.Result res) {
        ByteSink s = new ByteSink();
        res.proof().write(s);
        return s.toByteArray();
    }

    @Test
    void identicalToTheGenericProver() {
        SplittableRandom rnd = new SplittableRandom(3);
        Expression layer = Expression.builder(6).term(Fp3.ONE, 0, 1, 4).term(Fp3.ONE, 0, 2, 3).term(Fp3.ONE, 5, 3, 4).build();
        for (int m = 1; m <= 7; m++) {
            int n = 1 << m;
            long[] p0 = ext(rnd, n), p1 = ext(rnd, n), q0 = ext(rnd, n), q1 = ext(rnd, n);
            Fp3[] rc = new Fp3[m];
            for (int i = 0; i < m; i++) {
                rc[i] = Fp3.get(ext(rnd, 1), 0);
            }
            Point r = new Point(rc);
            Fp3 lambda = Fp3.get(ext(rnd, 1), 0);
            List<Mle> tables = List.of(Mle.eqTable(r), Mle.ext(p0), Mle.ext(p1), Mle.ext(q0), Mle.ext(q1),
                    Mle.ext(Mle.eqTableScaled(r, lambda)));
            SumcheckInstance generic = SumcheckInstance.computing(layer, tables);
            byte[] a = bytes(SumcheckProver.prove(generic, Transcript.create(Hash.SHA256, "t", new byte[0])));
            byte[] b = bytes(SumcheckProver.prove(List.of(new SumcheckClaim(m, layer, generic.claimedSum())),
                    new GkrLayerOracle(r, lambda, generic.claimedSum(), p0, p1, q0, q1),
                    Transcript.create(Hash.SHA256, "t", new byte[0])));
            assertArrayEquals(a, b, "m = " + m);
        }
    }

    /** Tables whose entries from {@code live} on all equal one random entry (a padded lookup's layer). */
    static long[] withTail(long[] t, int live, long[] c) {
        for (int i = live; i < t.length / 3; i++) {
            System.arraycopy(c, 0, t, 3 * i, 3);
        }
        return t;
    }

    @Test
    void aConstantTailIsProvedWithTheSameBytes() {
        SplittableRandom rnd = new SplittableRandom(4);
        Expression layer = Expression.builder(6).term(Fp3.ONE, 0, 1, 4).term(Fp3.ONE, 0, 2, 3).term(Fp3.ONE, 5, 3, 4).build();
        int m = 6;
        int n = 1 << m;
        for (int live : new int[] {0, 1, 2, 7, 33, n - 1, n}) {
            long[] p0 = withTail(ext(rnd, n), live, ext(rnd, 1)), p1 = withTail(ext(rnd, n), live, ext(rnd, 1));
            long[] q0 = withTail(ext(rnd, n), live, ext(rnd, 1)), q1 = withTail(ext(rnd, n), live, ext(rnd, 1));
            Fp3[] rc = new Fp3[m];
            for (int i = 0; i < m; i++) {
                rc[i] = Fp3.get(ext(rnd, 1), 0);
            }
            Point r = new Point(rc);
            Fp3 lambda = Fp3.get(ext(rnd, 1), 0);
            List<Mle> tables = List.of(Mle.eqTable(r), Mle.ext(p0.clone()), Mle.ext(p1.clone()), Mle.ext(q0.clone()),
                    Mle.ext(q1.clone()), Mle.ext(Mle.eqTableScaled(r, lambda)));
            SumcheckInstance generic = SumcheckInstance.computing(layer, tables);
            byte[] a = bytes(SumcheckProver.prove(generic, Transcript.create(Hash.SHA256, "t", new byte[0])));
            byte[] b = bytes(SumcheckProver.prove(List.of(new SumcheckClaim(m, layer, generic.claimedSum())),
                    new GkrLayerOracle(r, lambda, generic.claimedSum(), p0.clone(), p1.clone(), q0.clone(), q1.clone(), live),
                    Transcript.create(Hash.SHA256, "t", new byte[0])));
            assertArrayEquals(a, b, "live = " + live);
            if (live >= 2 && live < n - 1) {
                // the tail is taken on trust: an oracle told the tail starts earlier than it does proves
                // a different layer, so the tail path is the one being compared above
                byte[] c = bytes(SumcheckProver.prove(List.of(new SumcheckClaim(m, layer, generic.claimedSum())),
                        new GkrLayerOracle(r, lambda, generic.claimedSum(), p0.clone(), p1.clone(), q0.clone(), q1.clone(), live - 2),
                        Transcript.create(Hash.SHA256, "t", new byte[0])));
                assertFalse(java.util.Arrays.equals(a, c), "live = " + live + " told as " + (live - 2));
            }
        }
    }
}
