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

    /**
     * Twiddles of every stage, contiguous: for half-size h (a power of two) the h factors
     * w_{2h}^k, k &lt; h, sit at [h - 1, 2h - 1). Computed once per size and direction.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Integer, long[]> TWIDDLES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static long[] twiddles(int logN, boolean invert) {
        return TWIDDLES.computeIfAbsent(invert ? -logN - 1 : logN, key -> {
            int n = 1 << logN;
            long[] t = new long[Math.max(1, n - 1)];
            for (int h = 1, lg = 1; h < n; h <<= 1, lg++) {
                long w = Goldilocks.rootOfUnity(lg);
                if (invert) {
                    w = Goldilocks.inv(w);
                }
                long x = 1;
                for (int k = 0; k < h; k++) {
                    t[h - 1 + k] = x;
                    x = Goldilocks.mul(x, w);
                }
            }
            return t;
        });
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
        if (n == 1) {
            return;
        }
        int shift = 32 - logN;
        for (int i = 0; i < n; i++) {
            int j = Integer.reverse(i) >>> shift;
            if (i < j) {
                long t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
        long[] tw = twiddles(logN, invert);
        for (int h = 1, lgh = 0; h < n; h <<= 1, lgh++) {
            final int half = h;
            final int lg = lgh;
            // butterfly i in [0, n/2): block i >> lg, offset k = i & (h - 1)
            dev.zkspark.core.Parallel.forRange(n >>> 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    int k = i & (half - 1);
                    int j = ((i >>> lg) << (lg + 1)) + k;
                    long u = a[j];
                    long v = k == 0 ? a[j + half] : Goldilocks.mul(a[j + half], tw[half - 1 + k]);
                    a[j] = Goldilocks.add(u, v);
                    a[j + half] = Goldilocks.sub(u, v);
                }
            });
        }
    }
}
