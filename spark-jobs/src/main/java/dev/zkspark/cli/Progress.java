package dev.zkspark.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar with ETA on stderr, for every step that can take more than a few seconds.
 * On a terminal it redraws in place (at most 10 times a second); otherwise (pipes, CI, --json) it is
 * silent, so scripts see only results. Safe to advance from several threads.
 */
public final class Progress implements AutoCloseable {
    private static final int WIDTH = 28;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final AtomicLong total;
    private final LongSupplier clock;
    private final long start;
    private final AtomicLong done = new AtomicLong();
    private volatile long lastDraw;
    private volatile Runnable onClose = () -> { };

    Progress(PrintWriter err, boolean enabled, String label, long total, LongSupplier clock) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
        this.total = new AtomicLong(Math.max(0, total));
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastDraw = start - REDRAW_NANOS;
    }

    /** A bar on stderr, shown only when stderr is a terminal and ZKSPARK_PROGRESS is not "0". */
    public static Progress start(String label, long total) {
        boolean tty = System.console() != null && !"0".equals(System.getenv("ZKSPARK_PROGRESS"));
        return new Progress(new PrintWriter(System.err, true), tty, label, total, System::nanoTime);
    }

    public void advance(long n) {
        long d = done.addAndGet(n);
        long now = clock.getAsLong();
        if (enabled && (now - lastDraw >= REDRAW_NANOS || d >= total.get())) {
            lastDraw = now;
            draw(d, now);
        }
    }

    /** The current line (for tests): label, bar, percent, counts, elapsed and ETA. */
    String render(long d, long now) {
        long total = this.total.get();
        double frac = total == 0 ? 0 : Math.min(1.0, (double) d / total);
        int fill = (int) Math.round(frac * WIDTH);
        double elapsed = (now - start) / 1e9;
        String eta = d == 0 ? "--" : formatSeconds(elapsed / d * (total - Math.min(d, total)));
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %d/%d %s elapsed, ETA %s", label, "#".repeat(fill),
                " ".repeat(WIDTH - fill), Math.round(frac * 100), Math.min(d, total), total, formatSeconds(elapsed), eta);
    }

    /** Raises the total by {@code n} (work discovered as it runs, e.g. Spark stages). */
    public void grow(long n) {
        total.addAndGet(n);
    }

    /**
     * A bar over the tasks of every Spark stage submitted while it is open (the total grows as
     * stages are submitted, so the ETA is for the work known so far).
     */
    public static Progress forSpark(org.apache.spark.SparkContext sc, String label) {
        Progress bar = start(label, 0);
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted e) {
                bar.grow(e.stageInfo().numTasks());
            }

            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
                if (e.reason() instanceof org.apache.spark.Success$) {
                    bar.advance(1);
                }
            }
        };
        sc.addSparkListener(listener);
        bar.onClose = () -> sc.removeSparkListener(listener);
        return bar;
    }

    private synchronized void draw(long d, long now) {
        err.print("\r" + render(d, now) + "\u001b[K");
        err.flush();
    }

    static String formatSeconds(double s) {
        if (s < 60) {
            return String.format(Locale.ROOT, "%.0fs", s);
        }
        long m = (long) (s / 60);
        return m < 60 ? String.format(Locale.ROOT, "%dm%02ds", m, (long) s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", m / 60, m % 60);
    }

    @Override
    public void close() {
        onClose.run();
        if (enabled) {
            draw(done.get(), clock.getAsLong());
            err.println();
        }
    }
}
