package dev.zkspark.spark.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.bench.Benchmarks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Smoke run of {@code bench spark --quick}: it runs, the proofs of every run agree (split too), and it ends with the line. */
class SparkBenchTest {
    @Test
    void quickRunPrintsTheTableAndTheProjectionLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Benchmarks.byName("spark").orElseThrow().run(new PrintStream(buf, true, StandardCharsets.UTF_8), true);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("identical for both"), out);
        assertTrue(out.contains("ms of Spark orchestration per round"), out);
        // the split run reached the same bytes (measure throws otherwise) and split something
        assertTrue(out.matches("(?s).*split over 2 partitions .*\\n  [1-9]\\d* layer tasks in [1-9]\\d* jobs.*"), out);
        assertTrue(out.matches("(?s).*\\d+ witness commitment in [1-9]\\d* jobs, 1 opening in [1-9]\\d* jobs.*"), out);
        assertTrue(out.matches("(?s).*\\ntask-parallel 7B seconds on 32x16 cores: \\d+\\n.*"), out);
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("projected 7B seconds on 32x16 cores: \\d+"), last);
        assertTrue(Long.parseLong(last.substring(last.lastIndexOf(' ') + 1)) > 0, last);
    }
}
