package dev.zkspark.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GoldilocksTest {
    static final BigInteger P = Goldilocks.P_BIG;
    static final long[] EDGES = {0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 1L << 32, (1L << 32) - 1,
        (1L << 32) + 1, 1L << 63, (1L << 63) - 1, Goldilocks.EPSILON, Goldilocks.P - Goldilocks.EPSILON};

    static BigInteger big(long a) {
        return Goldilocks.toBig(a);
    }

    static long[] samples() {
        SplittableRandom r = new SplittableRandom(42);
        long[] s = new long[2000 + EDGES.length];
        System.arraycopy(EDGES, 0, s, 0, EDGES.length);
        for (int i = EDGES.length; i < s.length; i++) {
            s[i] = Goldilocks.reduce(r.nextLong());
        }
        return s;
    }

    @Test
    void modulusIsTheGoldilocksPrime() {
        assertEquals(BigInteger.TWO.pow(64).subtract(BigInteger.TWO.pow(32)).add(BigInteger.ONE), big(Goldilocks.P));
        assertTrue(P.isProbablePrime(64));
    }

    @Test
    void arithmeticMatchesBigInteger() {
        long[] s = samples();
        for (int i = 0; i < s.length; i++) {
            long a = s[i];
            long b = s[(i * 7 + 3) % s.length];
            assertEquals(big(a).add(big(b)).mod(P), big(Goldilocks.add(a, b)), "add");
            assertEquals(big(a).subtract(big(b)).mod(P), big(Goldilocks.sub(a, b)), "sub");
            assertEquals(big(a).multiply(big(b)).mod(P), big(Goldilocks.mul(a, b)), "mul " + a + " " + b);
            assertEquals(big(a).negate().mod(P), big(Goldilocks.neg(a)), "neg");
            assertEquals(big(a).pow(2).mod(P), big(Goldilocks.square(a)), "square");
            assertEquals(big(a).modPow(BigInteger.valueOf(12345), P), big(Goldilocks.pow(a, 12345)), "pow");
            if (a != 0) {
                assertEquals(big(a).modInverse(P), big(Goldilocks.inv(a)), "inv");
            }
            assertTrue(Goldilocks.isCanonical(Goldilocks.mul(a, b)));
        }
    }

    @Test
    void edgeProductsAllPairs() {
        for (long a : EDGES) {
            for (long b : EDGES) {
                assertEquals(big(a).multiply(big(b)).mod(P), big(Goldilocks.mul(a, b)));
                assertEquals(big(a).add(big(b)).mod(P), big(Goldilocks.add(a, b)));
                assertEquals(big(a).subtract(big(b)).mod(P), big(Goldilocks.sub(a, b)));
            }
        }
    }

    @Test
    void reduce128MatchesBigIntegerOnArbitraryWords() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            long hi = i < 4 ? -1L >>> i : r.nextLong();
            long lo = i < 4 ? -1L : r.nextLong();
            BigInteger v = new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
            assertEquals(v.mod(P), big(Goldilocks.reduce128(hi, lo)));
        }
    }

    @Test
    void valuesAtOrAboveModulusAreReducedOrRejected() {
        assertEquals(0, Goldilocks.reduce(Goldilocks.P));
        assertEquals(Goldilocks.EPSILON - 1, Goldilocks.reduce(-1L)); // 2^64 - 1 - p
        assertFalse(Goldilocks.isCanonical(Goldilocks.P));
        byte[] b = new byte[8];
        Goldilocks.toBytesLE(Goldilocks.P, b, 0);
        assertThrows(IllegalArgumentException.class, () -> Goldilocks.fromBytesLE(b, 0));
        Goldilocks.toBytesLE(Goldilocks.P - 1, b, 0);
        assertEquals(Goldilocks.P - 1, Goldilocks.fromBytesLE(b, 0));
    }

    @Test
    void signedEmbeddingRoundTrips() {
        long[] xs = {0, 1, -1, 123456789, -123456789, 1L << 62, -(1L << 62), Long.MIN_VALUE, Long.MAX_VALUE};
        for (long x : xs) {
            long e = Goldilocks.fromSigned(x);
            assertTrue(Goldilocks.isCanonical(e));
            assertEquals(BigInteger.valueOf(x).mod(P), big(e));
            if (Math.abs((double) x) < Math.pow(2, 62)) {
                assertEquals(x, Goldilocks.toSigned(e));
            }
        }
    }

    @Test
    void inverseOfZeroThrowsAndBatchInverseMatches() {
        assertThrows(ArithmeticException.class, () -> Goldilocks.inv(0));
        long[] s = samples();
        long[] xs = new long[100];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = s[i + 1] == 0 ? 5 : s[i + 1];
        }
        long[] inv = xs.clone();
        Goldilocks.batchInverse(inv);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(1, Goldilocks.mul(xs[i], inv[i]));
        }
        long[] withZero = {3, 0, 5};
        assertThrows(ArithmeticException.class, () -> Goldilocks.batchInverse(withZero));
        assertArrayEquals(new long[] {3, 0, 5}, withZero, "untouched on failure");
    }

    @Test
    void twoAdicRootHasExactOrder() {
        long w = Goldilocks.TWO_ADIC_ROOT;
        assertEquals(1, Goldilocks.pow(w, 1L << 32));
        assertNotEquals(1, Goldilocks.pow(w, 1L << 31));
        assertEquals(Goldilocks.P - 1, Goldilocks.pow(Goldilocks.rootOfUnity(1), 1));
        assertThrows(IllegalArgumentException.class, () -> Goldilocks.rootOfUnity(33));
    }

    @Test
    void piecesReduceToTheirValue() {
        SplittableRandom r = new SplittableRandom(11);
        BigInteger two32 = BigInteger.ONE.shiftLeft(32);
        long max = (1L << 62) - 1;
        long[][] cases = {{0, 0, 0, 0}, {max, max, max, max}, {max, 0, 0, 0}, {0, max, 0, 0}, {0, 0, max, 0}, {0, 0, 0, max},
            {0, 0, max, max}, {1, 0, 0, 1}, {0, 0xFFFF_FFFFL, 1, 0}};
        for (int i = 0; i < 2000 + cases.length; i++) {
            long[] x = i < cases.length ? cases[i] : new long[] {r.nextLong(max), r.nextLong(max), r.nextLong(max), r.nextLong(max)};
            BigInteger want = BigInteger.valueOf(x[0]).add(BigInteger.valueOf(x[1]).multiply(two32))
                    .add(BigInteger.valueOf(x[2]).multiply(two32.pow(2))).add(BigInteger.valueOf(x[3]).multiply(two32.pow(3))).mod(P);
            assertEquals(want, big(Goldilocks.fromPieces(x[0], x[1], x[2], x[3])), "pieces " + java.util.Arrays.toString(x));
            // the fast form for at most eight products: the same value below its bound of 2^35
            long[] small = {x[0] >>> 27, x[1] >>> 27, x[2] >>> 27, x[3] >>> 27};
            BigInteger wantSmall = BigInteger.valueOf(small[0]).add(BigInteger.valueOf(small[1]).multiply(two32))
                    .add(BigInteger.valueOf(small[2]).multiply(two32.pow(2))).add(BigInteger.valueOf(small[3]).multiply(two32.pow(3))).mod(P);
            assertEquals(wantSmall, big(Goldilocks.fromSmallPieces(small[0], small[1], small[2], small[3])),
                    "small pieces " + java.util.Arrays.toString(small));
        }
        // a long sum of the largest products, split into pieces as callers do
        long a = 0, b = 0, c = 0, d = 0;
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < 100_000; i++) {
            long u = i % 3 == 0 ? Goldilocks.P - 1 : r.nextLong() >>> 1;
            long v = i % 5 == 0 ? Goldilocks.P - 1 : Goldilocks.reduce(r.nextLong());
            long lo = u * v;
            long hi = Goldilocks.mulHigh(u, v);
            a += lo & 0xFFFF_FFFFL;
            b += lo >>> 32;
            c += hi & 0xFFFF_FFFFL;
            d += hi >>> 32;
            sum = sum.add(big(u).multiply(big(v)));
        }
        assertEquals(sum.mod(P), big(Goldilocks.fromPieces(a, b, c, d)));
    }

    @Test
    void vectorHelpersMatchScalarDefinitions() {
        long[] s = samples();
        long[] a = java.util.Arrays.copyOfRange(s, 0, 64);
        long[] b = java.util.Arrays.copyOfRange(s, 64, 128);
        BigInteger ip = BigInteger.ZERO;
        for (int i = 0; i < 64; i++) {
            ip = ip.add(big(a[i]).multiply(big(b[i])));
        }
        assertEquals(ip.mod(P), big(Goldilocks.innerProduct(a, b, 64)));
        long[] y = b.clone();
        Goldilocks.axpy(a[3], a, y, 64);
        for (int i = 0; i < 64; i++) {
            assertEquals(Goldilocks.add(b[i], Goldilocks.mul(a[3], a[i])), y[i]);
        }
        long[] f = new long[32];
        Goldilocks.fold(a, 64, 9, f);
        for (int i = 0; i < 32; i++) {
            assertEquals(big(a[2 * i]).add(BigInteger.valueOf(9).multiply(big(a[2 * i + 1]).subtract(big(a[2 * i])))).mod(P), big(f[i]));
        }
    }
}
