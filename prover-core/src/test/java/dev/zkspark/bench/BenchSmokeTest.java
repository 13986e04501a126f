package dev.zkspark.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every registered benchmark runs in quick mode and prints its table (no timing is asserted). */
class BenchSmokeTest {
    static String run(Benchmark b) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        b.run(new PrintStream(buf, true, StandardCharsets.UTF_8), true);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fieldBenchEndsWithTheRatioLine() {
        String out = run(Benchmarks.byName("field").orElseThrow());
        String[] lines = out.strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("ratio sumcheck-deg2/plain-mac: [0-9.]+"), out);
        assertTrue(out.contains("ntt 2^20"), out);
    }

    @Test
    void opsBenchEndsWithMatmulRatioAndLookupCost() {
        String out = run(Benchmarks.byName("ops").orElseThrow());
        String[] lines = out.strip().split("\n");
        assertTrue(lines[lines.length - 2].matches("ratio matmul-prove/matmul: [0-9.]+"), out);
        assertTrue(lines[lines.length - 1].matches("ns per lookup: [0-9.]+"), out);
    }

    @Test
    void pcsBenchEndsWithProofBytesAndSoundness() {
        String out = run(Benchmarks.byName("pcs").orElseThrow());
        String[] lines = out.strip().split("\n");
        assertTrue(lines[lines.length - 2].matches("proof bytes at 2\\^20: [0-9]+"), out);
        assertTrue(lines[lines.length - 1].matches("soundness bits: [0-9.]+"), out);
    }

    @Test
    void benchmarkNamesAreUnique() {
        Set<String> names = new HashSet<>();
        for (Benchmark b : Benchmarks.all()) {
            assertTrue(names.add(b.name()), "duplicate " + b.name());
        }
        assertFalse(names.isEmpty());
    }
}
