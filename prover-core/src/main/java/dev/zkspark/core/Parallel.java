package dev.zkspark.core;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntFunction;

/**
 * Data parallelism for hot loops over index ranges. The thread count is
 * {@code -Dzkspark.prover.threads=N} (default: all cores); Spark executors set it to 1 because
 * their task slots already use the cores. Results never depend on the thread count: callers only
 * split work whose combination is exact (field additions, disjoint writes).
 */
public final class Parallel {
    private static volatile int threads = Math.max(1, Integer.getInteger("zkspark.prover.threads",
            Runtime.getRuntime().availableProcessors()));
    /** Ranges smaller than this many iterations run on the calling thread. */
    public static final int MIN_GRAIN = 1 << 12;

    private Parallel() {}

    public static int threads() {
        return threads;
    }

    /** Sets the thread count (benchmarks compare 1 thread with all cores). */
    public static void setThreads(int n) {
        threads = Math.max(1, n);
    }

    /** A range [from, to) of loop indices. */
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Runs body over [0, n) split into at most threads() contiguous ranges. */
    public static void forRange(int n, RangeBody body) {
        forRangeIndexed(n, parts(n), (p, from, to) -> body.run(from, to));
    }

    /**
     * Maps each of at most threads() contiguous ranges of [0, n) to a partial result; returns the
     * partials in range order (the caller combines them).
     */
    public static <T> T[] mapRanges(int n, IntFunction<T[]> newArray, RangeFunction<T> f) {
        int parts = Math.max(1, parts(n));
        T[] out = newArray.apply(parts);
        forRangeIndexed(n, parts, (p, from, to) -> out[p] = f.apply(from, to));
        return out;
    }

    /** A function of a range [from, to). */
    public interface RangeFunction<T> {
        T apply(int from, int to);
    }

    private interface IndexedBody {
        void run(int part, int from, int to);
    }

    private static void forRangeIndexed(int n, int parts, IndexedBody body) {
        if (parts <= 1) {
            body.run(0, 0, n);
            return;
        }
        RecursiveAction[] tasks = new RecursiveAction[parts];
        for (int p = 0; p < parts; p++) {
            int part = p;
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            tasks[p] = new RecursiveAction() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void compute() {
                    body.run(part, from, to);
                }
            };
        }
        ForkJoinPool.commonPool().invoke(new RecursiveAction() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void compute() {
                invokeAll(tasks);
            }
        });
    }

    private static int parts(int n) {
        return (int) Math.min(threads, Math.max(1, n / MIN_GRAIN));
    }
}
