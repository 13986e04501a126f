package dev.zkspark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The benchmarks of prover-core, by name. Spark benchmarks are registered by spark-jobs. */
public final class Benchmarks {
    private Benchmarks() {}

    public static List<Benchmark> all() {
        List<Benchmark> list = new ArrayList<>();
        list.add(new FieldBench());
        list.add(new OpsBench());
        list.add(new PcsBench());
        // benchmarks that need models (datasets module) register through META-INF/services
        for (Benchmark b : java.util.ServiceLoader.load(Benchmark.class)) {
            list.add(b);
        }
        return list;
    }

    public static Optional<Benchmark> byName(String name) {
        return all().stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
