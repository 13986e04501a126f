package dev.zkspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** commit-model, prove, verify and inspect on files, as users run them, with their failure modes. */
class ProveVerifyCliTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        int code;
        try {
            code = Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        } finally {
            System.setOut(saved);
        }
        return new Run(code, buf + o.toString(), e.toString());
    }

    @Test
    void commitProveVerifyAndRejections(@TempDir Path dir) throws Exception {
        String commit = dir.resolve("m.commit").toString(), proof = dir.resolve("p.proof").toString();
        Run c = run("commit-model", "--out", commit);
        assertEquals(0, c.code(), c.err());
        assertTrue(Files.exists(dir.resolve("m.commit.key")));
        Run p = run("prove", "--commitment", commit, "--prompt", "LAWYER, n.", "--max-new-tokens", "4", "--out", proof,
                "--seed", "00112233445566778899aabbccddeeff");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("generated (4 tokens)") || p.out().contains("generated ("), p.out());
        Run v = run("verify", "--commitment", commit, "--proof", proof);
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().trim().endsWith("verdict: accepted"), v.out());
        Run i = run("inspect", proof);
        assertEquals(0, i.code());
        assertTrue(i.out().contains("task/layer3") && i.out().contains("opening/model"), i.out());

        // one flipped byte in the middle: rejected, exit 1, one line
        byte[] b = Files.readAllBytes(Path.of(proof));
        b[b.length / 2] ^= 4;
        Path bad = dir.resolve("bad.proof");
        Files.write(bad, b);
        Run r = run("verify", "--commitment", commit, "--proof", bad.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("zkspark: proof rejected:"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());

        // another commitment (same weights, other key): rejected
        String other = dir.resolve("other.commit").toString();
        assertEquals(0, run("commit-model", "--out", other).code());
        assertEquals(1, run("verify", "--commitment", other, "--proof", proof).code());

        // unusable inputs: exit 2, one line, nothing written
        Run missing = run("verify", "--commitment", commit, "--proof", dir.resolve("none.proof").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        Files.write(dir.resolve("garbage.commit"), new byte[] {1, 2, 3});
        assertEquals(2, run("verify", "--commitment", dir.resolve("garbage.commit").toString(), "--proof", proof).code());
        Path out2 = dir.resolve("never.proof");
        Run wrongKey = run("prove", "--commitment", commit, "--key", dir.resolve("other.commit.key").toString(), "--prompt", "A",
                "--max-new-tokens", "2", "--out", out2.toString());
        assertEquals(2, wrongKey.code(), wrongKey.err());
        assertTrue(wrongKey.err().contains("was not made from"), wrongKey.err());
        assertFalse(Files.exists(out2));
    }
}
