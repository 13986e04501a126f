package dev.zkspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.proof.ProofFile;
import dev.zkspark.transcript.Hash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix of the file commands: each case gets a one-line error, its documented exit
 * code (2 unusable input, 1 rejected) and leaves no output behind.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static String commit;

    @BeforeAll
    static void commitBundled() {
        commit = dir.resolve("m.commit").toString();
        assertEquals(0, ProveVerifyCliTest.run("commit-model", "--out", commit).code());
    }

    static void expect(int code, String fragment, Path mustNotExist, String... args) {
        ProveVerifyCliTest.Run r = ProveVerifyCliTest.run(args);
        assertEquals(code, r.code(), String.join(" ", args) + "\n" + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("zkspark: "), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        if (mustNotExist != null) {
            assertFalse(Files.exists(mustNotExist), mustNotExist + " was left behind");
        }
    }

    @Test
    void proofFilesThatAreNotProofs() throws Exception {
        Path wrongMagic = dir.resolve("magic.proof");
        Files.write(wrongMagic, "NOTAPROOF and then some bytes".getBytes());
        expect(2, "wrong magic", null, "verify", "--commitment", commit, "--proof", wrongMagic.toString());
        byte[] next = new ProofFile(Hash.SHA256, 0, new byte[] {1}, List.of()).toBytes();
        next[8] = (byte) (ProofFile.MAJOR + 1); // the next major version
        Path newer = dir.resolve("newer.proof");
        Files.write(newer, next);
        expect(2, "newer", null, "verify", "--commitment", commit, "--proof", newer.toString());
        byte[] previous = new ProofFile(Hash.SHA256, 0, new byte[] {1}, List.of()).toBytes();
        previous[8] = (byte) (ProofFile.MAJOR - 1); // 4.x: 16 bits of grinding, inner openings at 128 bits
        Path older = dir.resolve("older.proof");
        Files.write(older, previous);
        expect(2, "older", null, "verify", "--commitment", commit, "--proof", older.toString());
        Path empty = dir.resolve("empty.proof");
        Files.write(empty, new byte[0]);
        expect(2, "empty.proof", null, "verify", "--commitment", commit, "--proof", empty.toString());
        expect(2, "no such file", null, "verify", "--commitment", commit, "--proof", dir.resolve("absent.proof").toString());
        expect(2, "no such file", null, "verify", "--commitment", dir.resolve("absent.commit").toString(), "--proof",
                empty.toString());
    }

    @Test
    void proveRefusesUnusableRequestsAndWritesNothing() throws Exception {
        Path out = dir.resolve("never.proof");
        expect(2, "--prompt is empty", out, "prove", "--commitment", commit, "--prompt", "", "--max-new-tokens", "2", "--out",
                out.toString());
        expect(2, "--max-new-tokens", out, "prove", "--commitment", commit, "--prompt", "A", "--max-new-tokens", "0", "--out",
                out.toString());
        String tooLong = "word ".repeat(400);
        expect(2, "the model takes at most", out, "prove", "--commitment", commit, "--prompt", tooLong, "--max-new-tokens", "2",
                "--out", out.toString());
        Path file = dir.resolve("a-file");
        Files.write(file, new byte[] {1});
        Path unwritable = file.resolve("p.proof");
        expect(2, "cannot write", unwritable, "prove", "--commitment", commit, "--prompt", "A", "--max-new-tokens", "1", "--out",
                unwritable.toString());
    }

    @Test
    void brokenCheckpointsAndKeys() throws Exception {
        Path ck = dir.resolve("broken.bin");
        byte[] model = Files.readAllBytes(Path.of(dev.zkspark.datasets.Bundled.extractTo(dir.resolve("bundled")).toString()));
        Files.write(ck, java.util.Arrays.copyOf(model, model.length / 3));
        Path out = dir.resolve("broken.commit");
        expect(2, "broken.bin", out, "commit-model", "--model", ck.toString(), "--out", out.toString());
        expect(2, "no such file", out, "commit-model", "--model", dir.resolve("absent.bin").toString(), "--out", out.toString());
        Path badKey = dir.resolve("bad.key");
        Files.writeString(badKey, "not hex");
        expect(2, "not a hexadecimal", dir.resolve("k.proof"), "prove", "--commitment", commit, "--key", badKey.toString(),
                "--prompt", "A", "--max-new-tokens", "1", "--out", dir.resolve("k.proof").toString());
    }

    @Test
    void truncatedProofsMisShapedCheckpointsAndUnusableJobInputs() throws Exception {
        byte[] container = new ProofFile(Hash.SHA256, 0, new byte[] {1, 2, 3},
                List.of(new ProofFile.Section("task/embedding", -1, new byte[64]))).toBytes();
        Path truncated = dir.resolve("truncated.proof");
        Files.write(truncated, java.util.Arrays.copyOf(container, container.length - 10));
        expect(2, "truncated.proof", null, "verify", "--commitment", commit, "--proof", truncated.toString());
        expect(2, "truncated.proof", null, "inspect", truncated.toString());

        // a safetensors checkpoint whose config.json disagrees with its tensors' shapes
        Path st = dir.resolve("misshaped");
        dev.zkspark.datasets.format.SafetensorsFormat.write(dev.zkspark.datasets.SyntheticModels.generate(
                new dev.zkspark.model.LlamaConfig(32, 64, 2, 4, 2, 64, 16, 1e-5f, 10000f, true), 3), st, "F32", 1);
        String cfg = Files.readString(st.resolve("config.json"));
        Files.writeString(st.resolve("config.json"), cfg.replace("\"intermediate_size\" : 64", "\"intermediate_size\" : 96"));
        Path out = dir.resolve("misshaped.commit");
        expect(2, "has shape", out, "commit-model", "--model", st.toString(), "--out", out.toString());

        // Spark jobs: a missing requests table and an output under a regular file, refused before proving
        Path requests = dir.resolve("requests.jsonl");
        Files.writeString(requests, "{\"id\": \"a\", \"prompt\": \"A\", \"max_new_tokens\": 1}\n");
        Path proofs = dir.resolve("proofs");
        expect(2, "no such file", proofs, "prove-job", "--master", "local[1]", "--commitment", commit, "--requests",
                dir.resolve("absent.jsonl").toString(), "--out", proofs.toString());
        Path file = dir.resolve("plain-file");
        Files.write(file, new byte[] {1});
        expect(2, "not writable", file.resolve("proofs"), "prove-job", "--master", "local[1]", "--commitment", commit, "--requests",
                requests.toString(), "--out", file.resolve("proofs").toString());
        expect(2, "no such proofs table", dir.resolve("verdicts"), "verify-job", "--master", "local[1]", "--commitment", commit,
                "--proofs", dir.resolve("absent").toString(), "--out", dir.resolve("verdicts").toString());
    }
}
