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
        if (n < PARALLEL_SIZE) {
            blockStages(a, 0, n, tw);
            return;
        }
        // stages whose butterfly blocks fit in BLOCK entries: block by block, each block in cache and
        // on one thread; then the wider stages, each split into ranges of butterflies over the threads
        int blocks = n / BLOCK;
        dev.zkspark.core.Parallel.forRange(blocks, (from, to) -> {
            for (int b = from; b < to; b++) {
                blockStages(a, b * BLOCK, BLOCK, tw);
            }
        });
        for (int h = BLOCK; h < n; h <<= 1) {
            int half = h;
            dev.zkspark.core.Parallel.forRange(n >>> 1, (from, to) -> stageRange(a, tw, half, from, to));
        }
    }

    /**
     * Transforms below this size run on the calling thread: codewords are encoded many rows at a
     * time, each row on one thread, so splitting a small row would only add hand-offs.
     */
    public static final int PARALLEL_SIZE = 1 << 17;

    /** Entries (8 bytes each) of the blocks a large transform's first stages run in: 32 KiB, in L1/L2. */
    private static final int BLOCK = 1 << 12;

    /**
     * The stages h = 1 .. size/2 of the block [off, off + size) (size a power of two, off a multiple of
     * it): in a decimation-in-time transform a block of 2h entries aligned at 2h depends on nothing
     * outside it until stage 2h, and its twiddles depend only on the offset within the block.
     */
    private static void blockStages(long[] a, int off, int size, long[] tw) {
        int end = off + size;
        for (int j = off; j < end; j += 2) {
            long u = a[j];
            long v = a[j + 1];
            a[j] = Goldilocks.add(u, v);
            a[j + 1] = Goldilocks.sub(u, v);
        }
        for (int h = 2; h < size; h <<= 1) {
            int t0 = h - 1;
            for (int s = off; s < end; s += 2 * h) {
                long u0 = a[s];
                long v0 = a[s + h];
                a[s] = Goldilocks.add(u0, v0);
                a[s + h] = Goldilocks.sub(u0, v0);
                for (int k = 1; k < h; k++) {
                    int j = s + k;
                    long u = a[j];
                    long v = Goldilocks.mul(a[j + h], tw[t0 + k]);
                    a[j] = Goldilocks.add(u, v);
                    a[j + h] = Goldilocks.sub(u, v);
                }
            }
        }
    }

    /** Butterflies [from, to) of stage h (butterfly i: block i / h, offset k = i mod h), as nested loops. */
    private static void stageRange(long[] a, long[] tw, int h, int from, int to) {
        int i = from;
        while (i < to) {
            int k = i & (h - 1);
            int s = (i - k) << 1; // block start: (i / h) * 2h
            int stop = Math.min(h, k + (to - i));
            i += stop - k;
            for (; k < stop; k++) {
                int j = s + k;
                long u = a[j];
                long v = Goldilocks.mul(a[j + h], tw[h - 1 + k]);
                a[j] = Goldilocks.add(u, v);
                a[j + h] = Goldilocks.sub(u, v);
            }
        }
    }
}
