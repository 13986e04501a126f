package dev.zkspark.poly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MleTest {
    static Fp3 rnd(SplittableRandom r) {
        return new Fp3(Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()));
    }

    static Point rndPoint(SplittableRandom r, int n) {
        Fp3[] c = new Fp3[n];
        for (int i = 0; i < n; i++) {
            c[i] = rnd(r);
        }
        return new Point(c);
    }

    /** The definition: sum_x t[x] * eq(r, x), with variable i = bit i of x. */
    static Fp3 naive(long[] t, Point r) {
        Fp3 acc = Fp3.ZERO;
        for (int x = 0; x < t.length; x++) {
            Fp3 w = Fp3.ONE;
            for (int i = 0; i < r.size(); i++) {
                w = w.mul(((x >> i) & 1) == 1 ? r.get(i) : Fp3.ONE.sub(r.get(i)));
            }
            acc = acc.add(w.mul(t[x]));
        }
        return acc;
    }

    @Test
    void evaluateMatchesNaiveSum() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n = 0; n <= 8; n++) {
            long[] t = new long[1 << n];
            for (int i = 0; i < t.length; i++) {
                t[i] = Goldilocks.reduce(r.nextLong());
            }
            Point p = rndPoint(r, n);
            Fp3 want = naive(t, p);
            assertEquals(want, Mle.base(t).evaluate(p));
            assertEquals(want, Mle.ext(Fp3.lift(t, t.length)).evaluate(p));
        }
    }

    @Test
    void evaluationOnHypercubeIsTheEntryLittleEndian() {
        long[] t = {10, 11, 12, 13, 14, 15, 16, 17};
        // x = 6 = 0b110: variable 0 is 0, variables 1 and 2 are 1
        assertEquals(Fp3.of(16), Mle.base(t).evaluate(Point.ofBase(0, 1, 1)));
        assertEquals(Fp3.of(11), Mle.base(t).evaluate(Point.ofBase(1, 0, 0)));
        assertNotEquals(Fp3.of(11), Mle.base(t).evaluate(Point.ofBase(0, 0, 1)));
    }

    @Test
    void eqTableMatchesEqAndSumsToOne() {
        SplittableRandom r = new SplittableRandom(2);
        Point p = rndPoint(r, 5);
        Mle eq = Mle.eqTable(p);
        Fp3 sum = Fp3.ZERO;
        for (int x = 0; x < 32; x++) {
            assertEquals(Mle.eqAt(p, x), eq.get(x));
            Fp3[] bits = new Fp3[5];
            for (int i = 0; i < 5; i++) {
                bits[i] = Fp3.of((x >> i) & 1);
            }
            assertEquals(Mle.eq(p, new Point(bits)), eq.get(x));
            sum = sum.add(eq.get(x));
        }
        assertEquals(Fp3.ONE, sum);
    }

    @Test
    void partialEvaluationThenRestEqualsFullEvaluation() {
        SplittableRandom r = new SplittableRandom(3);
        long[] t = new long[64];
        for (int i = 0; i < 64; i++) {
            t[i] = Goldilocks.reduce(r.nextLong());
        }
        Point p = rndPoint(r, 6);
        Mle part = Mle.base(t).partialEvaluate(p.slice(0, 2));
        assertEquals(4, part.numVars());
        assertEquals(Mle.base(t).evaluate(p), part.evaluate(p.slice(2, 6)));
        assertThrows(IllegalArgumentException.class, () -> Mle.base(t).evaluate(p.slice(0, 5)));
        assertThrows(IllegalArgumentException.class, () -> Mle.base(new long[6]));
    }

    @Test
    void univariateInterpolation() {
        SplittableRandom r = new SplittableRandom(4);
        Fp3[] coeffs = {rnd(r), rnd(r), rnd(r), rnd(r)};
        Fp3[] values = new Fp3[4];
        for (int i = 0; i < 4; i++) {
            values[i] = Univariate.evaluate(coeffs, Fp3.of(i));
        }
        Fp3 x = rnd(r);
        assertEquals(Univariate.evaluate(coeffs, x), Univariate.evaluateFromValues(values, x));
        Fp3[] back = Univariate.interpolate(values);
        for (int i = 0; i < 4; i++) {
            assertEquals(coeffs[i], back[i]);
        }
        values[2] = values[2].add(Fp3.ONE);
        assertNotEquals(Univariate.evaluate(coeffs, x), Univariate.evaluateFromValues(values, x));
    }
}
