package dev.zkspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
