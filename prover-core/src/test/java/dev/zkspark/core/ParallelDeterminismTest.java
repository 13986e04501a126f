package dev.zkspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.field.Ntt;
import dev.zkspark.poly.Mle;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The thread count never changes a result: proofs and transforms are byte-identical for 1 and 3 threads. */
class ParallelDeterminismTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    static long[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = Goldilocks.reduce(r.nextLong());
        }
        return a;
    }

    static byte[] proofBytes() {
        int n = 1 << 15; // large enough that kernels and folds split into ranges
        Expression g = Expression.builder(3).term(Fp3.ONE, 0, 1, 2).term(Fp3.of(9), 0, 1).build();
        SumcheckInstance in = SumcheckInstance.computing(g,
                List.of(Mle.base(random(n, 1)), Mle.base(random(n, 2)), Mle.base(random(n, 3))));
        ByteSink s = new ByteSink();
        SumcheckProver.prove(in, Transcript.create(Hash.SHA256, "det", new byte[0])).proof().write(s);
        return s.toByteArray();
    }

    @Test
    void sumcheckProofIndependentOfThreads() {
        Parallel.setThreads(1);
        byte[] one = proofBytes();
        Parallel.setThreads(3);
        byte[] three = proofBytes();
        assertArrayEquals(one, three);
        assertFalse(one.length == 0);
    }

    @Test
    void nttIndependentOfThreads() {
        long[] a = random(1 << 16, 5);
        long[] b = a.clone();
        Parallel.setThreads(1);
        Ntt.forward(a);
        Parallel.setThreads(3);
        Ntt.forward(b);
        assertArrayEquals(a, b);
    }

    @Test
    void heavyItemsSplitAndNestedLoopsGiveTheSameResults() {
        Parallel.setThreads(3);
        // a loop of 4 heavy items takes ranges of one item: more than one range for 3 threads
        java.util.Set<String> ranges = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Parallel.forRange(4, 1, (from, to) -> ranges.add(from + ".." + to));
        assertEquals(3, ranges.size(), ranges.toString());
        // transforms nested in such a loop (run on their range's thread) equal transforms on their own
        long[][] rows = new long[4][];
        long[][] alone = new long[4][];
        for (int i = 0; i < 4; i++) {
            rows[i] = random(Ntt.PARALLEL_SIZE, 20 + i);
            alone[i] = rows[i].clone();
            Ntt.forward(alone[i]);
        }
        Parallel.forRange(4, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                Ntt.forward(rows[i]);
            }
        });
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(alone[i], rows[i], "row " + i);
        }
        // a nested mapRanges keeps its split (the partial results come in the same ranges)
        long[] data = random(1 << 16, 9);
        Long[] direct = Parallel.mapRanges(data.length, Long[]::new, (from, to) -> Goldilocks.sum(java.util.Arrays.copyOfRange(data, from, to), to - from));
        Long[][] nested = new Long[2][];
        Parallel.forRange(2, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                nested[i] = Parallel.mapRanges(data.length, Long[]::new,
                        (lo, hi) -> Goldilocks.sum(java.util.Arrays.copyOfRange(data, lo, hi), hi - lo));
            }
        });
        assertArrayEquals(direct, nested[0]);
        assertArrayEquals(direct, nested[1]);
    }
}
