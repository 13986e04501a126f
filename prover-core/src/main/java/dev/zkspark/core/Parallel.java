package dev.zkspark.core;

import java.util.concurrent.ForkJoinTask;
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
     * As {@link #forRange(int, RangeBody)} for heavy iterations (a row's encoding, say): ranges
     * of at least {@code grain} iterations instead of {@link #MIN_GRAIN}, so even a few rows are
     * spread over the threads.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        forRangeIndexed(n, (int) Math.min(threads, Math.max(1, n / Math.max(1, grain))), (p, from, to) -> body.run(from, to));
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

    /**
     * Set on a thread while it runs one range of a split loop. A loop started inside such a range
     * (a row's transform inside the loop over rows) runs its ranges on that thread: the outer loop
     * already keeps every thread busy, and a nested fork-join from a thread outside the pool (the
     * caller, which runs ranges too) can leave it waiting for a range a busy worker took.
     */
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    private static void forRangeIndexed(int n, int parts, IndexedBody body) {
        if (parts <= 1) {
            body.run(0, 0, n);
            return;
        }
        if (INSIDE.get()[0]) {
            for (int p = 0; p < parts; p++) {
                body.run(p, (int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
            }
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
                    boolean[] inside = INSIDE.get();
                    boolean was = inside[0];
                    inside[0] = true;
                    try {
                        body.run(part, from, to);
                    } finally {
                        inside[0] = was;
                    }
                }
            };
        }
        // invoked on the calling thread, which runs the first range and helps with the others: a
        // task submitted to the pool instead (ForkJoinPool.invoke) could be taken by the one idle
        // worker of a 2-core machine before the caller unpushed it, and then the worker forked the
        // ranges into its own queue, which a caller outside the pool does not steal from, and ran
        // them all while the caller waited (a whole witness commitment on one core, at random)
        ForkJoinTask.invokeAll(tasks);
    }

    private static int parts(int n) {
        return (int) Math.min(threads, Math.max(1, n / MIN_GRAIN));
    }
}
