package dev.zkspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(code, o.toString(), e.toString());
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("bench"), r.out());
        assertTrue(r.out().contains("unusable input"), r.out());
    }

    /** A failed Spark job's message carries the driver's stack trace: the user sees its first line only. */
    @Test
    void anInternalErrorIsOneLine() {
        RuntimeException e = new IllegalStateException("Job aborted due to stage failure: Task 1 failed 4 times\n"
                + "Driver stacktrace:\n\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:1)");
        String line = Main.internalError(e);
        assertEquals("zkspark: internal error: java.lang.IllegalStateException: Job aborted due to stage failure: Task 1 failed 4 times",
                line);
        assertFalse(line.contains("\n"));
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        Run r = run("--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("zkspark: Unknown option"), r.err());
        assertTrue(r.err().lines().count() <= 2, r.err());
    }

    @Test
    void unknownBenchmarkIsBadInput() {
        Run r = run("bench", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown benchmark 'nope'"), r.err());
        assertTrue(r.err().lines().count() == 1, r.err());
    }

    @Test
    void inspectShowsSectionsAndRefusesGarbageOnOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("p.proof");
        java.nio.file.Files.write(f, new dev.zkspark.proof.ProofFile(dev.zkspark.transcript.Hash.SHA256, 0, new byte[] {1},
                java.util.List.of(new dev.zkspark.proof.ProofFile.Section("layer0/matmul", 0, new byte[40]))).toBytes());
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true));
        int code;
        int jsonCode;
        String text;
        try {
            code = run("inspect", f.toString()).code();
            text = buf.toString();
            buf.reset();
            jsonCode = run("inspect", "--json", f.toString()).code();
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        assertTrue(text.contains("zk: false") && text.contains("layer0/matmul") && text.contains("total layer 0"), text);
        assertEquals(0, jsonCode);
        assertTrue(buf.toString().startsWith("{\"format\": \"5.0\""), buf.toString());
        java.nio.file.Path garbage = dir.resolve("g.proof");
        java.nio.file.Files.writeString(garbage, "definitely not a proof");
        Run g = run("inspect", garbage.toString());
        assertEquals(2, g.code());
        assertTrue(g.err().contains("wrong magic") && g.err().lines().count() == 1, g.err());
        Run missing = run("inspect", dir.resolve("none.proof").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void accuracyEndsWithTheTwoHeadlineLines() {
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true));
        int code;
        try {
            code = run("accuracy", "--max-text-tokens", "300").code();
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString();
        assertEquals(0, code, out);
        java.util.List<String> lines = out.lines().toList();
        assertTrue(lines.get(lines.size() - 2).matches("top1 agreement: \\d+\\.\\d+%"), out);
        assertTrue(lines.get(lines.size() - 1).matches("perplexity delta: -?\\d+\\.\\d+%"), out);
        assertTrue(out.contains("12-bit weights") && out.contains("8-bit weights"), out);
    }

    @Test
    void accuracyRefusesAMissingModelOnOneLine() {
        Run r = run("accuracy", "--model", "/nonexistent/model.bin");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("/nonexistent/model.bin"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
