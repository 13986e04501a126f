package dev.zkspark.sumcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Tables nonzero on a prefix only (truncated commitments): the same rounds as the full tables. */
class SumcheckChunkPrefixTest {
    @Test
    void prefixTablesGiveTheRoundsOfTheirZeroPaddedTables() {
        SplittableRandom r = new SplittableRandom(4);
        Expression product = Expression.product(2);
        for (int live : new int[] {1, 2, 37, 38, 63, 64}) {
            int n = 6;
            long[] p = new long[live + (live & 1)];
            long[] w = new long[3 * (live + (live & 1))];
            for (int i = 0; i < live; i++) {
                p[i] = Goldilocks.reduce(r.nextLong());
                w[3 * i] = Goldilocks.reduce(r.nextLong());
                w[3 * i + 1] = Goldilocks.reduce(r.nextLong());
                w[3 * i + 2] = Goldilocks.reduce(r.nextLong());
            }
            SumcheckChunk full = SumcheckChunk.whole(List.of(new SumcheckInstance(product,
                    List.of(Mle.base(Arrays.copyOf(p, 1 << n)), Mle.ext(Arrays.copyOf(w, 3 << n))), Fp3.ZERO)));
            SumcheckChunk prefix = SumcheckChunk.ofPrefixes(new Expression[] {product}, new long[][][] {{p, w}},
                    new boolean[][] {{false, true}}, new int[] {n}, new int[] {live});
            assertArrayEquals(full.sums(), prefix.sums(), "live " + live);
            boolean[] on = {true};
            for (int round = 0; round < n; round++) {
                assertArrayEquals(full.roundValues(on, 2)[0], prefix.roundValues(on, 2)[0], "live " + live + " round " + round);
                Fp3 x = new Fp3(Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()));
                full = full.fold(on, x);
                prefix = prefix.fold(on, x);
            }
            assertArrayEquals(full.values(0), prefix.values(0), "live " + live);
        }
    }

    @Test
    void tablesShorterThanTheirLiveEntriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SumcheckChunk.ofPrefixes(new Expression[] {Expression.product(1)},
                new long[][][] {{new long[4]}}, new boolean[][] {{false}}, new int[] {3}, new int[] {9}));
        assertThrows(IllegalArgumentException.class, () -> SumcheckChunk.ofPrefixes(new Expression[] {Expression.product(1)},
                new long[][][] {{new long[3]}}, new boolean[][] {{false}}, new int[] {3}, new int[] {5}));
    }
}
