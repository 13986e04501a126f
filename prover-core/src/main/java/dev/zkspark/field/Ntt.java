package dev.zkspark.field;

/**
 * Radix-2 number-theoretic transform over Goldilocks' 2^32 two-adic subgroup.
 *
 * <p>The transform of size 2^k uses omega_k = {@link Goldilocks#rootOfUnity}(k), i.e.
 * 7^((p-1)/2^32) squared 32-k times. {@link #forward} maps coefficients c to evaluations
 * y_j = sum_i c_i omega^(ij) in natural order; {@link #inverse} undoes it; {@link #cosetForward}
 * evaluates on shift * &lt;omega&gt;. Iterative, in place, bit-reversal then Cooley-Tukey butterflies.
 */
public final class Ntt {
    private Ntt() {}

    public static void forward(long[] a) {
        transform(a, false);
    }

    public static void inverse(long[] a) {
        transform(a, true);
        long nInv = Goldilocks.inv(a.length);
        for (int i = 0; i < a.length; i++) {
            a[i] = Goldilocks.mul(a[i], nInv);
        }
    }

    /** Evaluates the polynomial with coefficients a on the coset shift * &lt;omega_n&gt;, in place. */
    public static void cosetForward(long[] a, long shift) {
        long s = 1;
        for (int i = 0; i < a.length; i++) {
            a[i] = Goldilocks.mul(a[i], s);
            s = Goldilocks.mul(s, shift);
        }
        forward(a);
    }

    /** Inverse of {@link #cosetForward}: evaluations on shift * &lt;omega_n&gt; to coefficients. */
    public static void cosetInverse(long[] a, long shift) {
        inverse(a);
        long si = Goldilocks.inv(shift);
        long s = 1;
        for (int i = 0; i < a.length; i++) {
            a[i] = Goldilocks.mul(a[i], s);
            s = Goldilocks.mul(s, si);
        }
    }

    private static void transform(long[] a, boolean invert) {
        int n = a.length;
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("NTT size must be a power of two, got " + n);
        }
        int logN = Integer.numberOfTrailingZeros(n);
        if (logN > Goldilocks.TWO_ADICITY) {
            throw new IllegalArgumentException("NTT size 2^" + logN + " exceeds the 2^32 subgroup");
        }
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >>> 1;
            for (; (j & bit) != 0; bit >>>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                long t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
        long[] tw = new long[Math.max(1, n / 2)];
        for (int len = 2, lg = 1; len <= n; len <<= 1, lg++) {
            long w = Goldilocks.rootOfUnity(lg);
            if (invert) {
                w = Goldilocks.inv(w);
            }
            int half = len >>> 1;
            tw[0] = 1;
            for (int k = 1; k < half; k++) {
                tw[k] = Goldilocks.mul(tw[k - 1], w);
            }
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    long u = a[start + k];
                    long v = Goldilocks.mul(a[start + k + half], tw[k]);
                    a[start + k] = Goldilocks.add(u, v);
                    a[start + k + half] = Goldilocks.sub(u, v);
                }
            }
        }
    }
}
