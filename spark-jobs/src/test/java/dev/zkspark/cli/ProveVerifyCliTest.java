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
        String key = dir.resolve("alice").toString();
        assertEquals(0, run("keygen", "--out", key).code());
        assertEquals(2, run("keygen", "--out", key).code(), "keygen refuses to overwrite");
        String signed = dir.resolve("p.signed").toString();
        Run p = run("prove", "--commitment", commit, "--prompt", "LAWYER, n.", "--max-new-tokens", "4", "--out", signed,
                "--seed", "00112233445566778899aabbccddeeff", "--sign-key", key + ".sk", "--json");
        assertEquals(0, p.code(), p.err());
        com.fasterxml.jackson.databind.JsonNode pj = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.out());
        assertEquals(Files.size(Path.of(signed)), pj.get("proof_bytes").asLong());
        assertTrue(pj.get("signed").asBoolean());
        assertTrue(pj.get("generated_ids").size() >= 1 && pj.get("generated_ids").size() <= 4, p.out());
        assertTrue(pj.get("timings_ms").has("witness commitment"), p.out());
        dev.zkspark.proof.Envelope env = dev.zkspark.proof.Envelope.parse(Files.readAllBytes(Path.of(signed)));
        Files.write(Path.of(proof), env.proof());
        // signed envelope: accepted with the signer's key, rejected with another key, a bare proof
        // rejected when a key is required, a damaged signature rejected
        assertEquals(0, run("verify", "--commitment", commit, "--proof", signed, "--trusted-key", key + ".pub").code());
        String bob = dir.resolve("bob").toString();
        assertEquals(0, run("keygen", "--out", bob).code());
        Run wrongSigner = run("verify", "--commitment", commit, "--proof", signed, "--trusted-key", bob + ".pub");
        assertEquals(1, wrongSigner.code());
        assertTrue(wrongSigner.err().contains("not by the trusted key"), wrongSigner.err());
        assertEquals(1, run("verify", "--commitment", commit, "--proof", proof, "--trusted-key", key + ".pub").code());
        byte[] sb = Files.readAllBytes(Path.of(signed));
        sb[sb.length - 3] ^= 1;
        Files.write(dir.resolve("badsig"), sb);
        Run badSig = run("verify", "--commitment", commit, "--proof", dir.resolve("badsig").toString());
        assertEquals(1, badSig.code());
        assertTrue(badSig.err().contains("signature is invalid"), badSig.err());
        Run js = run("verify", "--commitment", commit, "--proof", signed, "--json");
        assertEquals(0, js.code(), js.err());
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(js.out().trim());
        assertEquals("accepted", node.get("verdict").asText());
        assertEquals(env.proof().length, node.get("proof_bytes").asInt());
        assertEquals(java.util.HexFormat.of().formatHex(env.publicKey()), node.get("signed_by").asText());
        // prove --json replaced its text output with one object (checked above); the statement it names verifies
        assertEquals(pj.get("generated_ids").size(), node.get("generated_tokens").asInt(), js.out());
        Run v = run("verify", "--commitment", commit, "--proof", proof);
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().trim().endsWith("verdict: accepted"), v.out());
        Run i = run("inspect", proof);
        assertEquals(0, i.code());
        assertTrue(i.out().contains("zk: true") && i.out().contains("task/layer3") && i.out().contains("batch-mask-commitment"), i.out());

        // --no-zk: a plain proof, recorded as such, that verifies too
        String plain = dir.resolve("plain.proof").toString();
        assertEquals(0, run("prove", "--commitment", commit, "--prompt", "LAWYER, n.", "--max-new-tokens", "2", "--out", plain,
                "--no-zk").code());
        assertEquals(0, run("verify", "--commitment", commit, "--proof", plain).code());
        Run ip = run("inspect", plain);
        assertTrue(ip.out().contains("zk: false") && ip.out().contains("opening/model"), ip.out());

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
