package dev.zkspark.bench;

/** Wall-clock measurement helpers for the bench tables: warm up, then take the best of n runs. */
public final class Timer {
    private Timer() {}

    /** Best (minimum) nanoseconds of {@code reps} runs after {@code warmup} unmeasured runs. */
    public static long bestNanos(int warmup, int reps, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best;
    }

    /** Keeps a value alive so the JIT cannot drop the computation that produced it. */
    public static volatile long sink;

    public static void consume(long v) {
        sink ^= v;
    }
}
