package dev.zkspark.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NttTest {
    static long[] rnd(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = Goldilocks.reduce(r.nextLong());
        }
        return a;
    }

    static long[] naiveDft(long[] c, long shift) {
        int n = c.length;
        long w = Goldilocks.rootOfUnity(Integer.numberOfTrailingZeros(n));
        long[] y = new long[n];
        for (int j = 0; j < n; j++) {
            long x = Goldilocks.mul(shift, Goldilocks.pow(w, j));
            long acc = 0;
            for (int i = n - 1; i >= 0; i--) {
                acc = Goldilocks.add(Goldilocks.mul(acc, x), c[i]);
            }
            y[j] = acc;
        }
        return y;
    }

    @Test
    void forwardAgreesWithNaiveDft() {
        for (int log = 0; log <= 8; log++) {
            long[] c = rnd(1 << log, log);
            long[] a = c.clone();
            Ntt.forward(a);
            assertArrayEquals(naiveDft(c, 1), a, "size 2^" + log);
        }
    }

    @Test
    void cosetForwardAgreesWithNaiveDft() {
        long[] c = rnd(64, 9);
        long[] a = c.clone();
        Ntt.cosetForward(a, Goldilocks.MULTIPLICATIVE_GENERATOR);
        assertArrayEquals(naiveDft(c, Goldilocks.MULTIPLICATIVE_GENERATOR), a);
        Ntt.cosetInverse(a, Goldilocks.MULTIPLICATIVE_GENERATOR);
        assertArrayEquals(c, a);
    }

    @Test
    void roundTripLarge() {
        long[] c = rnd(1 << 16, 5);
        long[] a = c.clone();
        Ntt.forward(a);
        assertNotEquals(c[1], a[1]);
        Ntt.inverse(a);
        assertArrayEquals(c, a);
    }

    @Test
    void largeTransformsAgreeWithHornerOnBothPaths() {
        // below Ntt.PARALLEL_SIZE the stages run on one thread, from it on split over threads
        for (int log : new int[] {12, 17}) {
            long[] c = rnd(1 << log, 40 + log);
            long[] a = c.clone();
            Ntt.forward(a);
            long w = Goldilocks.rootOfUnity(log);
            java.util.SplittableRandom r = new java.util.SplittableRandom(log);
            for (int s = 0; s < 16; s++) {
                int j = s < 2 ? s * ((1 << log) - 1) : r.nextInt(1 << log);
                long x = Goldilocks.pow(w, j);
                long y = 0;
                for (int i = c.length - 1; i >= 0; i--) {
                    y = Goldilocks.add(Goldilocks.mul(y, x), c[i]);
                }
                assertEquals(y, a[j], "size 2^" + log + " at " + j);
            }
        }
        assertEquals(1 << 17, Ntt.PARALLEL_SIZE);
    }

    @Test
    void rejectsNonPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> Ntt.forward(new long[6]));
    }
}
