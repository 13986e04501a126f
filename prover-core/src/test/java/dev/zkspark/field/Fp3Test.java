package dev.zkspark.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Fp3Test {
    static final BigInteger P = Goldilocks.P_BIG;

    static Fp3 rnd(SplittableRandom r) {
        return new Fp3(Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()));
    }

    /** Schoolbook product in BigInteger, reduced with X^3 = X + 1. */
    static BigInteger[] naiveMul(Fp3 a, Fp3 b) {
        BigInteger[] x = {Goldilocks.toBig(a.c0), Goldilocks.toBig(a.c1), Goldilocks.toBig(a.c2)};
        BigInteger[] y = {Goldilocks.toBig(b.c0), Goldilocks.toBig(b.c1), Goldilocks.toBig(b.c2)};
        BigInteger[] c = new BigInteger[5];
        java.util.Arrays.fill(c, BigInteger.ZERO);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i + j] = c[i + j].add(x[i].multiply(y[j]));
            }
        }
        // X^4 = X^2 + X, X^3 = X + 1
        c[2] = c[2].add(c[4]);
        c[1] = c[1].add(c[4]);
        c[1] = c[1].add(c[3]);
        c[0] = c[0].add(c[3]);
        return new BigInteger[] {c[0].mod(P), c[1].mod(P), c[2].mod(P)};
    }

    @Test
    void mulMatchesSchoolbookReduction() {
        SplittableRandom r = new SplittableRandom(1);
        // coefficients that maximise the products' 32-bit pieces (p - 1, 2^64 - 2^33 + 1 = p - 2^32,
        // 2^32 - 1) and those at the carries of the one-reduction multiplication, on both sides
        long[] edge = {0, 1, Goldilocks.P - 1, 1L << 63, 1L << 32, 0xFFFF_FFFFL, Goldilocks.P - 0x1_0000_0000L, (1L << 63) - 1};
        int cubes = edge.length * edge.length * edge.length;
        for (int i = 0; i < 3000 + 4 * cubes; i++) {
            Fp3 a;
            Fp3 b;
            if (i < 4 * cubes) {
                int k = i % cubes;
                Fp3 e = new Fp3(edge[k % edge.length], edge[(k / edge.length) % edge.length], edge[k / (edge.length * edge.length)]);
                Fp3 f = new Fp3(edge[(i / cubes + k) % edge.length], edge[(k / 3) % edge.length], edge[(7 * k + 1) % edge.length]);
                a = i / cubes % 2 == 0 ? e : rnd(r);
                b = i / cubes < 2 ? e : f;
            } else {
                a = rnd(r);
                b = rnd(r);
            }
            Fp3 c = a.mul(b);
            BigInteger[] want = naiveMul(a, b);
            assertEquals(want[0], Goldilocks.toBig(c.c0));
            assertEquals(want[1], Goldilocks.toBig(c.c1));
            assertEquals(want[2], Goldilocks.toBig(c.c2));
        }
    }

    @Test
    void fieldAxiomsAndInverse() {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            Fp3 a = rnd(r), b = rnd(r), c = rnd(r);
            assertEquals(a.mul(b), b.mul(a));
            assertEquals(a.mul(b.add(c)), a.mul(b).add(a.mul(c)));
            assertEquals(a.mul(b).mul(c), a.mul(b.mul(c)));
            assertEquals(a, a.add(b).sub(b));
            assertEquals(Fp3.ZERO, a.add(a.neg()));
            assertEquals(Fp3.ONE, a.mul(a.inv()));
            assertEquals(a.mul(Goldilocks.reduce(77)), a.mul(Fp3.of(77)));
        }
        assertThrows(ArithmeticException.class, () -> Fp3.ZERO.inv());
    }

    @Test
    void modulusIsIrreducible() {
        // X^3 - X - 1 has no root in F_p iff gcd(X^p - X, X^3 - X - 1) = 1. X^p mod f via Fp3.pow.
        Fp3 x = new Fp3(0, 1, 0);
        Fp3 xp = x.pow(Goldilocks.P);
        Fp3 g = xp.sub(x);
        assertNotEquals(Fp3.ZERO, g);
        // gcd with the cubic f: g has degree <= 2; run Euclid on coefficient lists over F_p.
        long[] f = {Goldilocks.P - 1, Goldilocks.P - 1, 0, 1};
        long[] h = {g.c0, g.c1, g.c2};
        assertEquals(0, degree(gcd(f, h)), "X^3 - X - 1 has a root: reducible");
        // Frobenius has order 3 on the extension: X^(p^3) = X
        assertEquals(x, xp.pow(Goldilocks.P).pow(Goldilocks.P));
    }

    @Test
    void batchInverseInterleaved() {
        SplittableRandom r = new SplittableRandom(3);
        long[] a = new long[3 * 40];
        Fp3[] orig = new Fp3[40];
        for (int i = 0; i < 40; i++) {
            orig[i] = rnd(r);
            orig[i].put(a, i);
        }
        Fp3.batchInverse(a);
        for (int i = 0; i < 40; i++) {
            assertEquals(Fp3.ONE, orig[i].mul(Fp3.get(a, i)));
        }
        long[] z = new long[6];
        z[0] = 1;
        assertThrows(ArithmeticException.class, () -> Fp3.batchInverse(z));
    }

    static int degree(long[] a) {
        for (int i = a.length - 1; i >= 0; i--) {
            if (a[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    static long[] gcd(long[] a, long[] b) {
        while (degree(b) >= 0) {
            long[] r = polyMod(a, b);
            a = b;
            b = r;
        }
        return a;
    }

    static long[] polyMod(long[] a, long[] b) {
        long[] r = a.clone();
        int db = degree(b);
        long lead = Goldilocks.inv(b[db]);
        for (int d = degree(r); d >= db && d >= 0; d = degree(r)) {
            long c = Goldilocks.mul(r[d], lead);
            for (int i = 0; i <= db; i++) {
                r[d - db + i] = Goldilocks.sub(r[d - db + i], Goldilocks.mul(c, b[i]));
            }
        }
        return r;
    }
}
