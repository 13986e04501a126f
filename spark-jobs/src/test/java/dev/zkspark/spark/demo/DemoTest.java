package dev.zkspark.spark.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkspark.cli.MainTestAccess;
import dev.zkspark.core.Verdict;
import dev.zkspark.proof.InferenceVerifier;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.ProofFile;
import dev.zkspark.proof.Statement;
import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.RequestSpec;
import dev.zkspark.spark.jobs.InferenceRequestProver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end on Spark local mode: whole-inference proofs, checked from the files it writes. */
class DemoTest {
    static final String SEED = "00112233445566778899aabbccddeeff";
    static final List<String> FILES = List.of("model.commit", "p01-politics.proof", "p02-lawyer.proof", "summary.json");

    static int demo(Path out) {
        return MainTestAccess.run("demo", "--out", out.toString(), "--prompts", "2", "--max-new-tokens", "3",
                "--master", "local[2]", "--seed", SEED);
    }

    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    static int[] ids(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    @Test
    void demoProvesWholeInferencesThatVerifyFromBytesAndRerunsIdentically(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        assertEquals(0, demo(out));
        Map<String, byte[]> first = files(out);
        assertEquals(FILES, new ArrayList<>(first.keySet()));

        JsonNode summary = new ObjectMapper().readTree(first.get("summary.json"));
        assertEquals("accepted", summary.get("verdict").asText());
        assertEquals(2, summary.get("totals").get("requests").asInt());
        ModelCommitment mc = ModelCommitment.parse(first.get("model.commit"));
        assertEquals(summary.get("model_digest").asText(), java.util.HexFormat.of().formatHex(mc.digest()));

        // the verifier's view: the published commitment, the claimed tokens and the proof bytes
        for (JsonNode r : summary.get("requests")) {
            int[] prompt = ids(r.get("prompt_ids"));
            int[] generated = ids(r.get("generated_ids"));
            assertEquals(1, prompt[0], "prompts are tokenized with BOS");
            assertTrue(generated.length >= 1 && generated.length <= 3, r.toString());
            byte[] proof = first.get(r.get("proof_file").asText());
            assertEquals(proof.length, r.get("proof_bytes").asLong());
            Statement st = new Statement(mc.digest(), mc.params().digest(), prompt, generated);
            assertArrayEquals(st.toBytes(), ProofFile.parse(proof).statement());
            Verdict ok = InferenceVerifier.verify(mc, st, proof);
            assertTrue(ok.isAccepted(), r.get("id") + ": " + ok.reason());

            // one flipped byte in the statement, a task's section or the openings is rejected (the
            // header's minor-version, flag and section-layer fields are not bound to the proof today)
            for (int at : new int[] {20, proof.length / 3, proof.length / 2, proof.length - 5}) {
                byte[] bad = proof.clone();
                bad[at] ^= 0x01;
                assertFalse(InferenceVerifier.verify(mc, st, bad).isAccepted(), r.get("id") + " byte " + at);
            }
            // and so is the same proof for another output
            int[] other = generated.clone();
            other[other.length - 1] = (other[other.length - 1] + 1) % mc.logical().vocab();
            assertFalse(InferenceVerifier.verify(mc, new Statement(mc.digest(), mc.params().digest(), prompt, other), proof)
                    .isAccepted(), r.get("id") + " other output");
        }

        // the same seed gives the same bytes (so Spark may retry a task); the output is replaced atomically
        assertEquals(0, demo(out));
        Map<String, byte[]> second = files(out);
        assertEquals(first.keySet(), second.keySet());
        for (String f : FILES) {
            if (!f.equals("summary.json")) {
                assertArrayEquals(first.get(f), second.get(f), f);
            }
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of("demo"), s.map(p -> p.getFileName().toString()).toList(), "no staging directory left");
        }
    }

    @Test
    void theProverRefusesAnotherModelKeyOrUnusableRequestsWithoutThrowing(@TempDir Path dir) {
        byte[] seed = java.util.HexFormat.of().parseHex(SEED);
        ModelCommitment mc = DemoJob.commit(seed);
        // the same weights from a path commit to the same bytes
        Path model = dev.zkspark.datasets.Bundled.extractTo(dir);
        assertArrayEquals(mc.toBytes(), InferenceRequestProver.commitModel(model.toString(), dir.resolve("tokenizer.bin").toString(),
                mc.params(), DemoJob.commitmentKey(seed)).toBytes());

        RequestSpec hello = new RequestSpec("r1", "MONEY, n.", null, 1);
        ProofRecord otherKey = new InferenceRequestProver(mc.toBytes(), DemoJob.commitmentKey(new byte[16]), DemoJob.proverSeed(seed))
                .prove(hello);
        assertFalse(otherKey.isProved());
        assertTrue(otherKey.error().contains("not made from the bundled model with this commitment key"), otherKey.error());

        InferenceRequestProver prover = new InferenceRequestProver(mc.toBytes(), DemoJob.commitmentKey(seed), DemoJob.proverSeed(seed));
        ProofRecord badToken = prover.prove(new RequestSpec("r2", null, new int[] {1, 1 << 20}, 1));
        assertFalse(badToken.isProved());
        assertTrue(badToken.error().contains("not in the model's vocabulary"), badToken.error());
        ProofRecord tooLong = prover.prove(new RequestSpec("r3", null, new int[4096], 1));
        assertFalse(tooLong.isProved());
        assertTrue(tooLong.error().contains("the model takes 1 to"), tooLong.error());
    }

    @Test
    void badOptionsAreRefusedBeforeAnyWork(@TempDir Path dir) {
        Path out = dir.resolve("demo");
        assertEquals(2, MainTestAccess.run("demo", "--out", out.toString(), "--prompts", "0"));
        assertEquals(2, MainTestAccess.run("demo", "--out", out.toString(), "--prompts", "13"));
        assertEquals(2, MainTestAccess.run("demo", "--out", out.toString(), "--max-new-tokens", "0"));
        assertEquals(2, MainTestAccess.run("demo", "--out", out.toString(), "--seed", "abc"));
        assertFalse(Files.exists(out));
    }
}
