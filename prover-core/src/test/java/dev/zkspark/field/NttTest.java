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
    void rejectsNonPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> Ntt.forward(new long[6]));
    }
}
