package dev.zkspark.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.spark.Sessions;
import dev.zkspark.spark.io.ProofRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipeline bookkeeping with a stand-in prover (the real prover is tested in its own issue): the
 * anti-join, the atomic run directory, kill-and-resume and malformed rows.
 */
class PipelineTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Sessions.create("zkspark-pipeline-test", "local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Deterministic stand-in: the "proof" is the request id's bytes. */
    static final RequestProver ECHO = r -> new ProofRecord(r.id(), ProofRecord.PROVED, null, new int[] {1}, new int[] {2},
            "text", new byte[] {1}, r.id().getBytes(StandardCharsets.UTF_8), 0.1, 0.2);

    /** An Error, not an exception: what a dying executor or JVM looks like to the job (rows catch exceptions). */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash");
        }
    }

    /** Fails hard (a crash, not a user error) on one id, like an executor dying mid-run. */
    static final RequestProver CRASH_ON_B2 = r -> {
        if (r.id().equals("b2")) {
            throw new SimulatedCrash();
        }
        return ECHO.prove(r);
    };

    static void day(Path input, String date, String... lines) throws Exception {
        Path d = input.resolve("date=" + date);
        Files.createDirectories(d);
        Files.writeString(d.resolve("part-0.jsonl"), String.join("\n", lines) + "\n");
    }

    static String req(String id) {
        return "{\"id\": \"" + id + "\", \"prompt\": \"hello\", \"max_new_tokens\": 2}";
    }

    static Pipeline.Options opts(Path in, Path out, String run) {
        return new Pipeline.Options(in.toString(), out.toString(), run, List.of(), 2, false);
    }

    static List<String> runDirs(Path out) throws Exception {
        try (var s = Files.list(out.resolve("runs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void rerunProvesNothingTwiceAndNewDaysAreProved(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        day(in, "2026-11-23", req("a1"), req("a2"), "{\"id\": \"bad\", \"max_new_tokens\": 2}");
        Pipeline.Manifest m1 = Pipeline.run(spark, opts(in, out, "r1"), ECHO);
        assertEquals(3, m1.inputRows());
        assertEquals(2, m1.proved());
        assertEquals(1, m1.failed());
        assertEquals("bad", m1.failures().get(0)[0]);
        assertTrue(m1.failures().get(0)[1].contains("missing prompt"));
        assertTrue(Files.exists(out.resolve("runs/r1/files/a1.proof")));
        String manifest = Files.readString(out.resolve("runs/r1/manifest.json"));
        assertTrue(manifest.contains("\"proved\": 2") && manifest.contains("\"failed\": 1"), manifest);

        Pipeline.Manifest m2 = Pipeline.run(spark, opts(in, out, "r2"), ECHO);
        assertEquals(0, m2.proved() + m2.failed(), "nothing proved twice");
        assertEquals(3, m2.alreadyDone());

        day(in, "2026-11-24", req("c1"));
        Pipeline.Manifest m3 = Pipeline.run(spark, opts(in, out, "r3"), ECHO);
        assertEquals(1, m3.proved());
        assertTrue(Files.exists(out.resolve("runs/r3/files/c1.proof")));
        assertFalse(Files.exists(out.resolve("runs/r3/files/a1.proof")));

        Pipeline.Manifest retry = Pipeline.run(spark, new Pipeline.Options(in.toString(), out.toString(), "r4", List.of(), 2, true), ECHO);
        assertEquals(1, retry.failed(), "retrying failed rows tries the malformed row again (and it fails again)");
    }

    @Test
    void killedRunLeavesNoOutputAndTheNextRunCompletesTheRest(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        day(in, "2026-11-24", req("b1"), req("b2"), req("b3"));
        assertThrows(RuntimeException.class, () -> Pipeline.run(spark, opts(in, out, "crashed"), CRASH_ON_B2));
        assertFalse(Files.exists(out.resolve("runs/crashed")), "no partial run directory");
        // a process killed with -9 cannot clean up: leave a staging directory like it would
        Files.createDirectories(out.resolve("runs/.killed.staging-1234/proofs"));
        Pipeline.Manifest m = Pipeline.run(spark, opts(in, out, "resumed"), ECHO);
        assertEquals(3, m.proved());
        // visible run directories are complete runs only; the killed run's staging was removed
        // (a straggler task of the crashed job, still alive in this JVM, may recreate its own hidden staging)
        assertEquals(List.of("resumed"), runDirs(out).stream().filter(d -> !d.startsWith(".")).collect(Collectors.toList()));
        assertFalse(Files.exists(out.resolve("runs/.killed.staging-1234")), "stale staging removed");
    }

    @Test
    void aProverBugOnOneRequestFailsThatRowNotTheRun(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        day(in, "2026-11-25", req("e1"), req("e2"));
        RequestProver buggy = r -> {
            if (r.id().equals("e2")) {
                throw new IllegalStateException("index out of range in a circuit");
            }
            return ECHO.prove(r);
        };
        Pipeline.Manifest m = Pipeline.run(spark, opts(in, out, "bug"), buggy);
        assertEquals(1, m.proved());
        assertEquals(1, m.failed());
        assertEquals("e2", m.failures().get(0)[0]);
        assertTrue(m.failures().get(0)[1].startsWith("internal error: index out of range"), m.failures().get(0)[1]);
    }

    @Test
    void dateFilterAndBadRunIds(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        day(in, "2026-11-22", req("d1"));
        day(in, "2026-11-23", req("d2"));
        Pipeline.Manifest m = Pipeline.run(spark, new Pipeline.Options(in.toString(), out.toString(), "only23", List.of("2026-11-23"), 1, false), ECHO);
        assertEquals(1, m.inputRows());
        assertTrue(Files.exists(out.resolve("runs/only23/files/d2.proof")));
        assertThrows(dev.zkspark.core.ZksparkException.class, () -> Pipeline.run(spark, opts(in, out, "../escape"), ECHO));
        assertThrows(dev.zkspark.core.ZksparkException.class, () -> Pipeline.run(spark, opts(in, out, "only23"), ECHO), "existing run id refused");
    }
}
