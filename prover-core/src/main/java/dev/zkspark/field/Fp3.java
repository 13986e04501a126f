package dev.zkspark.field;

/**
 * The degree-3 extension F_p[X]/(X^3 - X - 1) of Goldilocks (DESIGN §2: about 192 bits, so logUp
 * and the commitment reach provable 100+ bit soundness at 7B scale).
 *
 * <p>X^3 - X - 1 is irreducible over F_p: it has no root, since gcd(X^p - X, X^3 - X - 1) = 1 (checked
 * by {@code Fp3Test}), and a cubic without a root is irreducible.
 *
 * <p>An element is c0 + c1 X + c2 X^2. Instances are immutable values for API-level use (challenges,
 * claims); hot loops use the static methods over interleaved {@code long[]} arrays where element i
 * occupies indices 3i, 3i+1, 3i+2.
 */
public final class Fp3 implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final Fp3 ZERO = new Fp3(0, 0, 0);
    public static final Fp3 ONE = new Fp3(1, 0, 0);
    /** Bits of |F_p^3| rounded down: log2(p^3) ~ 191.99. Used in soundness budgets. */
    public static final double LOG2_SIZE = 3 * 63.99999999966;

    public final long c0;
    public final long c1;
    public final long c2;

    /** Builds an element from canonical coefficients. */
    public Fp3(long c0, long c1, long c2) {
        this.c0 = c0;
        this.c1 = c1;
        this.c2 = c2;
    }

    public static Fp3 of(long base) {
        return new Fp3(base, 0, 0);
    }

    public static Fp3 ofSigned(long x) {
        return new Fp3(Goldilocks.fromSigned(x), 0, 0);
    }

    /** Reads element i of an interleaved array. */
    public static Fp3 get(long[] a, int i) {
        return new Fp3(a[3 * i], a[3 * i + 1], a[3 * i + 2]);
    }

    /** Writes this element as element i of an interleaved array. */
    public void put(long[] a, int i) {
        a[3 * i] = c0;
        a[3 * i + 1] = c1;
        a[3 * i + 2] = c2;
    }

    public boolean isZero() {
        return (c0 | c1 | c2) == 0;
    }

    public boolean isBase() {
        return (c1 | c2) == 0;
    }

    public Fp3 add(Fp3 o) {
        return new Fp3(Goldilocks.add(c0, o.c0), Goldilocks.add(c1, o.c1), Goldilocks.add(c2, o.c2));
    }

    public Fp3 sub(Fp3 o) {
        return new Fp3(Goldilocks.sub(c0, o.c0), Goldilocks.sub(c1, o.c1), Goldilocks.sub(c2, o.c2));
    }

    public Fp3 neg() {
        return new Fp3(Goldilocks.neg(c0), Goldilocks.neg(c1), Goldilocks.neg(c2));
    }

    public Fp3 mul(Fp3 o) {
        long[] r = new long[3];
        mulInto(c0, c1, c2, o.c0, o.c1, o.c2, r, 0);
        return new Fp3(r[0], r[1], r[2]);
    }

    public Fp3 mul(long base) {
        return new Fp3(Goldilocks.mul(c0, base), Goldilocks.mul(c1, base), Goldilocks.mul(c2, base));
    }

    public Fp3 square() {
        return mul(this);
    }

    public Fp3 pow(long e) {
        Fp3 r = ONE;
        Fp3 b = this;
        while (e != 0) {
            if ((e & 1) != 0) {
                r = r.mul(b);
            }
            b = b.square();
            e >>>= 1;
        }
        return r;
    }

    /**
     * Inverse by solving (multiplication-by-this matrix) * y = e0 with Cramer's rule.
     *
     * @throws ArithmeticException for zero
     */
    public Fp3 inv() {
        if (isZero()) {
            throw new ArithmeticException("inverse of zero in Fp3");
        }
        // Columns of M: this*1, this*X, this*X^2 (X^3 = X + 1).
        long m00 = c0, m10 = c1, m20 = c2;
        long m01 = c2, m11 = Goldilocks.add(c0, c2), m21 = c1;
        long m02 = c1, m12 = Goldilocks.add(c2, c1), m22 = Goldilocks.add(c0, c2);
        // Cofactors of the first column give M^{-1} e0 = (C00, C01, C02) / det (adjugate's first column).
        long a00 = Goldilocks.sub(Goldilocks.mul(m11, m22), Goldilocks.mul(m12, m21));
        long a10 = Goldilocks.sub(Goldilocks.mul(m12, m20), Goldilocks.mul(m10, m22));
        long a20 = Goldilocks.sub(Goldilocks.mul(m10, m21), Goldilocks.mul(m11, m20));
        long det = Goldilocks.add(Goldilocks.add(Goldilocks.mul(m00, a00), Goldilocks.mul(m01, a10)), Goldilocks.mul(m02, a20));
        long di = Goldilocks.inv(det);
        return new Fp3(Goldilocks.mul(a00, di), Goldilocks.mul(a10, di), Goldilocks.mul(a20, di));
    }

    /** Inverts every element of an interleaved array in place (Montgomery's trick). */
    public static void batchInverse(long[] a) {
        int n = a.length / 3;
        if (n == 0) {
            return;
        }
        long[] prefix = new long[3 * n];
        long[] acc = {1, 0, 0};
        for (int i = 0; i < n; i++) {
            if ((a[3 * i] | a[3 * i + 1] | a[3 * i + 2]) == 0) {
                throw new ArithmeticException("batch inverse: zero at index " + i);
            }
            System.arraycopy(acc, 0, prefix, 3 * i, 3);
            mulInto(acc[0], acc[1], acc[2], a[3 * i], a[3 * i + 1], a[3 * i + 2], acc, 0);
        }
        Fp3 inv = new Fp3(acc[0], acc[1], acc[2]).inv();
        long[] iv = {inv.c0, inv.c1, inv.c2};
        long[] tmp = new long[3];
        for (int i = n - 1; i >= 0; i--) {
            long x0 = a[3 * i], x1 = a[3 * i + 1], x2 = a[3 * i + 2];
            mulInto(iv[0], iv[1], iv[2], prefix[3 * i], prefix[3 * i + 1], prefix[3 * i + 2], a, 3 * i);
            mulInto(iv[0], iv[1], iv[2], x0, x1, x2, tmp, 0);
            System.arraycopy(tmp, 0, iv, 0, 3);
        }
    }

    /**
     * out[o..o+2] = (a0 + a1 X + a2 X^2)(b0 + b1 X + b2 X^2) mod X^3 - X - 1, schoolbook with one
     * reduction per output coefficient (canonical inputs, read before out is written).
     *
     * <p>With X^3 = X + 1 and X^4 = X^2 + X, the coefficients are c0 = a0b0 + t, c1 = a0b1 + a1b0 + t
     * + u and c2 = a0b2 + a1b1 + a2b0 + u, where t = a1b2 + a2b1 and u = a2b2: nine 128-bit products,
     * at most five per coefficient. Each product lo + 2^64 hi is split into 32-bit pieces, and a
     * coefficient's pieces are summed into A (low halves of lo), B (high halves of lo), C (low halves
     * of hi), D (high halves of hi): each below 5 x 2^32, so the sums never overflow and carry no
     * bookkeeping. {@link Goldilocks#fromSmallPieces} then reduces A + 2^32 B + 2^64 C + 2^96 D once. This takes
     * about 60% of the time of the three-term Karatsuba it replaced (six fully reduced base products
     * and twelve modular additions; {@code bench field}).
     */
    public static void mulInto(long a0, long a1, long a2, long b0, long b1, long b2, long[] out, int o) {
        long l = a1 * b2;
        long h = Goldilocks.mulHigh(a1, b2);
        long tA = l & LOW32, tB = l >>> 32, tC = h & LOW32, tD = h >>> 32;
        l = a2 * b1;
        h = Goldilocks.mulHigh(a2, b1);
        tA += l & LOW32;
        tB += l >>> 32;
        tC += h & LOW32;
        tD += h >>> 32;
        l = a2 * b2;
        h = Goldilocks.mulHigh(a2, b2);
        long uA = l & LOW32, uB = l >>> 32, uC = h & LOW32, uD = h >>> 32;

        l = a0 * b0;
        h = Goldilocks.mulHigh(a0, b0);
        long c0 = Goldilocks.fromSmallPieces(tA + (l & LOW32), tB + (l >>> 32), tC + (h & LOW32), tD + (h >>> 32));

        long sA = tA + uA, sB = tB + uB, sC = tC + uC, sD = tD + uD;
        l = a0 * b1;
        h = Goldilocks.mulHigh(a0, b1);
        sA += l & LOW32;
        sB += l >>> 32;
        sC += h & LOW32;
        sD += h >>> 32;
        l = a1 * b0;
        h = Goldilocks.mulHigh(a1, b0);
        sA += l & LOW32;
        sB += l >>> 32;
        sC += h & LOW32;
        sD += h >>> 32;
        long c1 = Goldilocks.fromSmallPieces(sA, sB, sC, sD);

        sA = uA;
        sB = uB;
        sC = uC;
        sD = uD;
        l = a0 * b2;
        h = Goldilocks.mulHigh(a0, b2);
        sA += l & LOW32;
        sB += l >>> 32;
        sC += h & LOW32;
        sD += h >>> 32;
        l = a1 * b1;
        h = Goldilocks.mulHigh(a1, b1);
        sA += l & LOW32;
        sB += l >>> 32;
        sC += h & LOW32;
        sD += h >>> 32;
        l = a2 * b0;
        h = Goldilocks.mulHigh(a2, b0);
        sA += l & LOW32;
        sB += l >>> 32;
        sC += h & LOW32;
        sD += h >>> 32;
        out[o] = c0;
        out[o + 1] = c1;
        out[o + 2] = Goldilocks.fromSmallPieces(sA, sB, sC, sD);
    }

    private static final long LOW32 = 0xFFFF_FFFFL;

    /** out[i] = a[i] * b[j] on interleaved arrays (out may alias a or b). */
    public static void mul(long[] a, int i, long[] b, int j, long[] out, int k) {
        mulInto(a[3 * i], a[3 * i + 1], a[3 * i + 2], b[3 * j], b[3 * j + 1], b[3 * j + 2], out, 3 * k);
    }

    /** Interleaved array of n copies of zero. */
    public static long[] zeros(int n) {
        return new long[3 * n];
    }

    /** Lifts a base-field array into an interleaved extension array. */
    public static long[] lift(long[] base, int n) {
        long[] out = new long[3 * n];
        for (int i = 0; i < n; i++) {
            out[3 * i] = base[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fp3 f && f.c0 == c0 && f.c1 == c1 && f.c2 == c2;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(c0) * 31 * 31 + Long.hashCode(c1) * 31 + Long.hashCode(c2);
    }

    @Override
    public String toString() {
        return "(" + Long.toUnsignedString(c0) + ", " + Long.toUnsignedString(c1) + ", "
                + Long.toUnsignedString(c2) + ")";
    }
}
