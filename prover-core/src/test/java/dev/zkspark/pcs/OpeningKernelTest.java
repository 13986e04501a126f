package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.Parallel;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The batching kernel's slices (built in sub-blocks over the threads) against the whole table
 * built region by region, for any thread count and any aligned slice; its dot product against a
 * serial sum; a region reaching past the committed entries is refused.
 */
class OpeningKernelTest {
    private static final SplittableRandom RND = new SplittableRandom(11);

    private static Fp3 rnd() {
        return new Fp3(Goldilocks.reduce(RND.nextLong()), Goldilocks.reduce(RND.nextLong()), Goldilocks.reduce(RND.nextLong()));
    }

    private static Point point(int m) {
        Fp3[] c = new Fp3[m];
        for (int i = 0; i < m; i++) {
            c[i] = rnd();
        }
        return new Point(c);
    }

    /** Regions of 2^19, 2^17 (twice), 2^12 and 2^3 packed from 0 (2^19 + 2^18 + 2^12 + 2^3 entries). */
    private static final Region[] REGIONS = {new Region("a", 19, 0), new Region("b", 17, 1 << 19), new Region("c", 17, (1 << 19) + (1 << 17)),
        new Region("d", 12, (1 << 19) + (1 << 18)), new Region("e", 3, (1 << 19) + (1 << 18) + (1 << 12))};
    private static final int LEN = (1 << 19) + (1 << 18) + (1 << 12) + 8;

    private record Case(OpeningKernel kernel, long[] whole) {}

    /** Two eval claims on every region and a slots claim, and the table they define built directly. */
    private static Case kernel(Region[] regions, int len) {
        List<LinearClaim> claims = new ArrayList<>();
        List<ZkBatchOpening.Located[]> loc = new ArrayList<>();
        Fp3 alpha = rnd();
        long[] whole = new long[3 * len];
        Fp3 coef = Fp3.ONE;
        for (int rep = 0; rep < 2; rep++) {
            for (Region r : regions) {
                Point pt = point(r.numVars());
                Fp3 c = rnd();
                claims.add(new LinearClaim(List.of(new LinearClaim.Eval(r.name(), pt, c)), Fp3.ZERO));
                loc.add(new ZkBatchOpening.Located[] {new ZkBatchOpening.Located(0, r)});
                long[] eq = Mle.eqTableScaled(pt, coef.mul(c));
                for (int x = 0; x < eq.length; x++) {
                    int at = (int) (3 * r.offset() + x);
                    whole[at] = Goldilocks.add(whole[at], eq[x]);
                }
                coef = coef.mul(alpha);
            }
        }
        int[] slots = {0, 5, (1 << 17) + 3};
        Fp3[] weights = {rnd(), rnd(), rnd()};
        claims.add(new LinearClaim(List.of(new LinearClaim.Slots("b", slots, weights)), Fp3.ZERO));
        loc.add(new ZkBatchOpening.Located[] {new ZkBatchOpening.Located(0, regions[1])});
        for (int i = 0; i < slots.length; i++) {
            Fp3 w = coef.mul(weights[i]);
            int at = (int) (3 * (regions[1].offset() + slots[i]));
            whole[at] = Goldilocks.add(whole[at], w.c0);
            whole[at + 1] = Goldilocks.add(whole[at + 1], w.c1);
            whole[at + 2] = Goldilocks.add(whole[at + 2], w.c2);
        }
        return new Case(OpeningKernel.of(claims, loc, alpha, 0), whole);
    }

    @Test
    void slicesAreTheWholeTableForAnyThreadsAndSplit() {
        Case k = kernel(REGIONS, LEN);
        int threads = Parallel.threads();
        try {
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                assertArrayEquals(k.whole(), k.kernel().slice(0, 20, LEN), t + " threads");
                // aligned slices of 2^18 and 2^16 (as row bands take them)
                for (int vars : new int[] {18, 16}) {
                    for (long lo = 0; lo < LEN; lo += 1L << vars) {
                        int len = (int) Math.min(1L << vars, LEN - lo);
                        long[] part = k.kernel().slice(lo, vars, len);
                        long[] want = java.util.Arrays.copyOfRange(k.whole(), (int) (3 * lo), (int) (3 * (lo + len)));
                        assertArrayEquals(want, part, "slice at " + lo + " of 2^" + vars);
                    }
                }
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void dotIsTheSerialSum() {
        long[] w = kernel(REGIONS, LEN).whole();
        long[] p = new long[LEN];
        for (int i = 0; i < LEN; i++) {
            p[i] = i % 7 == 0 ? 0 : Goldilocks.reduce(RND.nextLong());
        }
        Fp3 want = Fp3.ZERO;
        for (int i = 0; i < LEN; i++) {
            want = want.add(new Fp3(w[3 * i], w[3 * i + 1], w[3 * i + 2]).mul(p[i]));
        }
        int threads = Parallel.threads();
        try {
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                assertEquals(want, OpeningKernel.dot(p, w), t + " threads");
            }
        } finally {
            Parallel.setThreads(threads);
        }
        p[1] = Goldilocks.add(p[1], 1);
        assertTrue(!want.equals(OpeningKernel.dot(p, w)), "one changed entry changes the sum");
    }

    @Test
    void aRegionPastTheCommittedEntriesIsRefused() {
        Case k = kernel(REGIONS, LEN);
        // the 2^3 region ends at LEN: one entry fewer cuts it, as does a slice ending inside region a
        assertThrows(IllegalArgumentException.class, () -> k.kernel().slice(0, 20, LEN - 1));
        assertThrows(IllegalArgumentException.class, () -> k.kernel().slice(0, 19, (1 << 19) - (1 << 16)));
        assertThrows(IllegalArgumentException.class, () -> k.kernel().slice(3, 20, 8));
    }
}
