package dev.zkspark.bench;

import java.io.PrintStream;

/**
 * A benchmark runnable as {@code bin/zkspark bench NAME}: it prints a table, measured in one run,
 * with absolute figures next to the plain computation it is compared with, and ends with the ratio
 * lines its issue names. Benchmarks are never assertions.
 */
public interface Benchmark {
    /** The name after {@code bench} on the command line. */
    String name();

    /** One line for {@code bench --help}. */
    String description();

    /**
     * Runs and prints the table.
     *
     * @param quick a short run (CI smoke test): smaller sizes, fewer repetitions, same output lines
     */
    void run(PrintStream out, boolean quick);
}
