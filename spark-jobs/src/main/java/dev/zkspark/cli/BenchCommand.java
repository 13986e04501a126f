package dev.zkspark.cli;

import dev.zkspark.bench.Benchmark;
import dev.zkspark.bench.Benchmarks;
import dev.zkspark.core.ZksparkException;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/zkspark bench NAME}: runs one benchmark table (see {@link Benchmark}). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark and print its table (names: see --list).")
final class BenchCommand implements Runnable {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "benchmark name")
    String name;

    @Option(names = "--quick", description = "small sizes and few repetitions (smoke test; figures not meaningful)")
    boolean quick;

    @Option(names = "--list", description = "list the benchmarks")
    boolean list;

    @Override
    public void run() {
        List<Benchmark> all = Benchmarks.all();
        PrintStream out = System.out;
        if (list || name == null) {
            for (Benchmark b : all) {
                out.printf("%-8s %s%n", b.name(), b.description());
            }
            return;
        }
        Benchmark b = Benchmarks.byName(name).orElseThrow(() -> ZksparkException.badInput("unknown benchmark '" + name
                + "' (known: " + all.stream().map(Benchmark::name).collect(Collectors.joining(", ")) + ")"));
        out.println("# zkspark bench " + b.name() + (quick ? " (quick)" : "") + " on " + MachineInfo.describe());
        b.run(out, quick);
    }
}
