package dev.zkspark.field;

import java.math.BigInteger;

/**
 * The Goldilocks prime field F_p, p = 2^64 - 2^32 + 1 (DESIGN §2).
 *
 * <p>Elements are {@code long}s holding the canonical representative in [0, p) read as an unsigned
 * 64-bit integer. Every method taking an element expects canonical input and returns canonical
 * output; {@link #reduce(long)} maps any 64-bit pattern into canonical form.
 *
 * <p>Reduction uses 2^64 = 2^32 - 1 (mod p) and 2^96 = -1 (mod p): a 128-bit product
 * {@code hi * 2^64 + lo} with {@code hi = hh * 2^32 + hl} is {@code lo - hh + hl * (2^32 - 1)}.
 */
public final class Goldilocks {
    /** The modulus 2^64 - 2^32 + 1 as an unsigned long. */
    public static final long P = 0xFFFF_FFFF_0000_0001L;
    /** 2^64 mod p = 2^32 - 1. */
    static final long EPSILON = 0xFFFF_FFFFL;
    /** A generator of the whole multiplicative group (order p - 1). */
    public static final long MULTIPLICATIVE_GENERATOR = 7;
    /** The multiplicative group has order 2^32 * 3 * 5 * 17 * 257 * 65537: two-adicity 32. */
    public static final int TWO_ADICITY = 32;
    /** 7^((p-1)/2^32): a primitive 2^32-th root of unity. */
    public static final long TWO_ADIC_ROOT = 1753635133440165772L;

    public static final BigInteger P_BIG = new BigInteger("18446744069414584321");

    private Goldilocks() {}

    /** Maps any 64-bit pattern (read unsigned) to its canonical residue. */
    public static long reduce(long x) {
        return Long.compareUnsigned(x, P) >= 0 ? x - P : x;
    }

    /** True iff x is a canonical element (unsigned x < p). */
    public static boolean isCanonical(long x) {
        return Long.compareUnsigned(x, P) < 0;
    }

    /** Embeds a signed integer: x mod p for any x in [-2^63, 2^63). */
    public static long fromSigned(long x) {
        return x >= 0 ? x : x + P; // x + p wraps to p - |x|, which is in (0, p) as |x| <= 2^63 < p
    }

    /** Centered lift: the integer in (-(p-1)/2, (p-1)/2] congruent to a. */
    public static long toSigned(long a) {
        return Long.compareUnsigned(a, (P - 1) >>> 1) <= 0 ? a : a - P;
    }

    /**
     * Reads 8 little-endian bytes as an unsigned integer and accepts it only if canonical.
     *
     * @throws IllegalArgumentException if the value is not below p (non-canonical encodings are
     *     refused so that every element has exactly one encoding)
     */
    public static long fromBytesLE(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        if (!isCanonical(v)) {
            throw new IllegalArgumentException("non-canonical field element encoding");
        }
        return v;
    }

    public static void toBytesLE(long a, byte[] out, int off) {
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (a >>> (8 * i));
        }
    }

    public static long add(long a, long b) {
        long s = a + b;
        // carry out of 2^64 (about half of random pairs, so branch-free): add 2^64 mod p; no second
        // carry since a + b < 2p
        long carry = ((a & b) | ((a | b) & ~s)) >>> 63;
        s += EPSILON & -carry;
        return s + ((s + Long.MIN_VALUE) >= (P + Long.MIN_VALUE) ? -P : 0);
    }

    public static long sub(long a, long b) {
        long d = a - b;
        // borrow (a < b as unsigned): d + 2^64 - (2^64 - p) = a - b + p
        long borrow = ((~a & b) | (~(a ^ b) & d)) >>> 63;
        return d - (EPSILON & -borrow);
    }

    public static long neg(long a) {
        return a == 0 ? 0 : P - a;
    }

    public static long mul(long a, long b) {
        return reduce128(mulHigh(a, b), a * b);
    }

    /**
     * A + 2^32 B + 2^64 C + 2^96 D mod p for A, B, C, D below 2^62: the sum of up to 2^30
     * products whose 32-bit pieces (low and high halves of each product's low and high words) were
     * added without carries (delayed reduction without carry bookkeeping). With 2^64 = 2^32 - 1
     * and 2^96 = -1 (mod p) the value is A - C - D + 2^32 (B + C). {@link #fromSmallPieces} is the
     * faster form for sums of at most eight products.
     */
    public static long fromPieces(long a, long b, long c, long d) {
        long x = add(reduce(a), mul(reduce(b + c), 1L << 32));
        return sub(sub(x, reduce(c)), reduce(d));
    }

    /**
     * {@link #fromPieces} for A, B, C, D below 2^35 (at most eight products), in canonical form. With
     * 2^64 = 2^32 - 1 and 2^96 = -1 (mod p) the value is A - C - D + 2^32 (B + C); writing
     * B + C = 2^32 k + m (k < 2^4, m < 2^32) turns 2^32 (B + C) into 2^32 m + k (2^32 - 1). So
     * s = 2^32 m + A + k (2^32 - 1), which may pass 2^64 once (then s wraps to below 2^37 and the lost
     * 2^64 is added back as 2^32 - 1); subtracting C + D (below 2^36) may borrow once (then the
     * wrapped value is at least 2^64 - 2^36 and the added 2^64 is taken back as 2^32 - 1); one
     * conditional subtraction of p ends it.
     */
    static long fromSmallPieces(long a, long b, long c, long d) {
        long bc = b + c;
        long x = bc << 32;
        long s = x + (a + (bc >>> 32) * 0xFFFF_FFFFL);
        s += Long.compareUnsigned(s, x) < 0 ? 0xFFFF_FFFFL : 0;
        long z = c + d;
        long r = s - z;
        r -= Long.compareUnsigned(s, z) < 0 ? 0xFFFF_FFFFL : 0;
        return r + ((r + Long.MIN_VALUE) >= (P + Long.MIN_VALUE) ? -P : 0);
    }

    /** The high 64 bits of the unsigned 128-bit product a * b (Java 17 has only the signed multiplyHigh). */
    public static long mulHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    public static long square(long a) {
        return mul(a, a);
    }

    /** Reduces hi * 2^64 + lo (unsigned 128-bit) to canonical form. */
    public static long reduce128(long hi, long lo) {
        long hh = hi >>> 32;
        long hl = hi & EPSILON;
        long t0 = lo - hh; // lo - hh * 2^96
        long borrow = ((~lo & hh) | (~(lo ^ hh) & t0)) >>> 63;
        t0 -= EPSILON & -borrow; // borrowed 2^64: subtract 2^64 mod p (cannot borrow again)
        long t1 = hl * EPSILON; // hl * 2^64 mod p, < 2^64
        long t2 = t0 + t1;
        long carry = ((t0 & t1) | ((t0 | t1) & ~t2)) >>> 63;
        t2 += EPSILON & -carry; // cannot carry again: t1 <= (2^32-1)^2
        return t2 + ((t2 + Long.MIN_VALUE) >= (P + Long.MIN_VALUE) ? -P : 0);
    }

    /** a^e for an exponent read as an unsigned 64-bit integer. */
    public static long pow(long a, long e) {
        long r = 1;
        long base = a;
        while (e != 0) {
            if ((e & 1) != 0) {
                r = mul(r, base);
            }
            base = mul(base, base);
            e >>>= 1;
        }
        return r;
    }

    /** Multiplicative inverse by Fermat (a^(p-2)). */
    public static long inv(long a) {
        if (a == 0) {
            throw new ArithmeticException("inverse of zero in Goldilocks");
        }
        return pow(a, P - 2);
    }

    /**
     * Inverts every element in place with Montgomery's trick (one inversion, 3(n-1) muls).
     *
     * @throws ArithmeticException if any element is zero (nothing is modified then)
     */
    public static void batchInverse(long[] a) {
        int n = a.length;
        if (n == 0) {
            return;
        }
        long[] prefix = new long[n];
        long acc = 1;
        for (int i = 0; i < n; i++) {
            if (a[i] == 0) {
                throw new ArithmeticException("batch inverse: zero at index " + i);
            }
            prefix[i] = acc;
            acc = mul(acc, a[i]);
        }
        long inv = inv(acc);
        for (int i = n - 1; i >= 0; i--) {
            long ai = a[i];
            a[i] = mul(inv, prefix[i]);
            inv = mul(inv, ai);
        }
    }

    /** A primitive 2^logN-th root of unity (the generator used by {@link Ntt}). */
    public static long rootOfUnity(int logN) {
        if (logN < 0 || logN > TWO_ADICITY) {
            throw new IllegalArgumentException("no 2^" + logN + "-th root of unity in Goldilocks");
        }
        long w = TWO_ADIC_ROOT;
        for (int i = logN; i < TWO_ADICITY; i++) {
            w = mul(w, w);
        }
        return w;
    }

    // ---- vectorised helpers over long[] ----

    /**
     * Sum of a[i] * b[i] over [0, n) with delayed reduction: the 128-bit products are added into a
     * 192-bit accumulator (lo, hi, top) and reduced once at the end, using 2^128 = (2^32 - 1)^2 =
     * 2^64 - 2^33 + 1 (mod p). Canonical inputs make each product below 2^128, so top counts
     * overflows and cannot itself overflow for n below 2^63.
     */
    public static long innerProduct(long[] a, long[] b, int n) {
        long lo = 0;
        long hi = 0;
        long top = 0;
        for (int i = 0; i < n; i++) {
            long x = a[i];
            long y = b[i];
            long pl = x * y;
            long ph = mulHigh(x, y);
            long nlo = lo + pl;
            long c0 = ((lo & pl) | ((lo | pl) & ~nlo)) >>> 63;
            lo = nlo;
            long t = ph + c0; // ph <= 2^64 - 2, so no carry here
            long nhi = hi + t;
            top += ((hi & t) | ((hi | t) & ~nhi)) >>> 63;
            hi = nhi;
        }
        return add(reduce128(hi, lo), mul(reduce(top), TWO_128));
    }

    /** 2^128 mod p. */
    private static final long TWO_128 = 0xFFFF_FFFE_0000_0001L;

    /** y[i] += alpha * x[i] for i in [0, n). */
    public static void axpy(long alpha, long[] x, long[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = add(y[i], mul(alpha, x[i]));
        }
    }

    public static long sum(long[] a, int n) {
        long acc = 0;
        for (int i = 0; i < n; i++) {
            acc = add(acc, a[i]);
        }
        return acc;
    }

    /**
     * Binds the lowest variable of a base-field multilinear table to r (base field): out[i] =
     * a[2i] + r * (a[2i+1] - a[2i]) for i in [0, n/2).
     */
    public static void fold(long[] a, int n, long r, long[] out) {
        int half = n >>> 1;
        for (int i = 0; i < half; i++) {
            long lo = a[2 * i];
            out[i] = add(lo, mul(r, sub(a[2 * i + 1], lo)));
        }
    }

    public static BigInteger toBig(long a) {
        return new BigInteger(Long.toUnsignedString(a));
    }

    public static long fromBig(BigInteger x) {
        return x.mod(P_BIG).longValue();
    }
}
