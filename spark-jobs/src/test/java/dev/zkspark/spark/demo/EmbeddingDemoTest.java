package dev.zkspark.spark.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.cli.MainTestAccess;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.pcs.TensorCodePcs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingDemoTest {
    static final byte[] SEED = "demo-test-seed-demo-test-seed-00".getBytes();

    @Test
    void proofsVerifyAndEveryTamperingIsRejected() {
        Checkpoint ck = Bundled.model();
        TensorCodePcs.Committed mc = TensorCodePcs.commit(
                List.of(new TensorCodePcs.Tensor("model.embed_tokens", EmbeddingDemo.quantizedEmbedding(ck))), SEED);
        byte[] digest = mc.commitment().digest();
        List<EmbeddingDemo.RequestProof> reqs = new ArrayList<>(List.of(
                EmbeddingDemo.proveRequest("a", "MONEY, n. A blessing", 2, digest, SEED),
                EmbeddingDemo.proveRequest("b", "WAR, n. A by-product", 2, digest, SEED)));
        byte[] open = EmbeddingDemo.openModel(mc, reqs);
        int vocab = ck.config().vocab();
        int dim = ck.config().dim();
        assertTrue(EmbeddingDemo.verify(mc.commitment(), vocab, dim, reqs, open).isAccepted());

        // another prompt token (the statement) is rejected
        EmbeddingDemo.RequestProof a = reqs.get(0);
        int[] otherPrompt = a.prompt().clone();
        otherPrompt[2] = (otherPrompt[2] + 1) % vocab;
        List<EmbeddingDemo.RequestProof> changed = new ArrayList<>(reqs);
        changed.set(0, new EmbeddingDemo.RequestProof(a.id(), otherPrompt, a.generated(), a.text(), a.witnessCommitment(),
                a.selection(), a.onX0Point(), a.witnessOpening(), a.onEmbedding(), a.proveMs()));
        assertFalse(EmbeddingDemo.verify(mc.commitment(), vocab, dim, changed, open).isAccepted(), "changed prompt token");

        // a flipped byte anywhere in the model opening is rejected
        for (int i = 0; i < open.length; i += Math.max(1, open.length / 50)) {
            byte[] bad = open.clone();
            bad[i] ^= 0x10;
            assertFalse(EmbeddingDemo.verify(mc.commitment(), vocab, dim, reqs, bad).isAccepted(), "byte " + i);
        }
        // swapped witness commitments (a witness that is not the request's) are rejected
        EmbeddingDemo.RequestProof b = reqs.get(1);
        List<EmbeddingDemo.RequestProof> swapped = List.of(
                new EmbeddingDemo.RequestProof(a.id(), a.prompt(), a.generated(), a.text(), b.witnessCommitment(), a.selection(),
                        a.onX0Point(), a.witnessOpening(), a.onEmbedding(), a.proveMs()), b);
        assertFalse(EmbeddingDemo.verify(mc.commitment(), vocab, dim, swapped, open).isAccepted(), "swapped witness");
        // another model's commitment is rejected
        TensorCodePcs.Committed other = TensorCodePcs.commit(
                List.of(new TensorCodePcs.Tensor("model.embed_tokens", EmbeddingDemo.quantizedEmbedding(ck))), "another-seed-another-seed-000000".getBytes());
        assertFalse(EmbeddingDemo.verify(other.commitment(), vocab, dim, reqs, open).isAccepted(), "other commitment");
    }

    @Test
    void demoCommandRunsOnSparkLocalMode(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo");
        int code = MainTestAccess.run("demo", "--out", out.toString(), "--prompts", "2", "--max-new-tokens", "2", "--master", "local[2]");
        assertEquals(0, code);
        dev.zkspark.proof.ProofFile pf = dev.zkspark.proof.ProofFile.parse(Files.readAllBytes(out.resolve("demo.proof")));
        assertEquals(2 * 5 + 1, pf.sections().size());
        assertTrue(pf.section("model-opening").size() > 1000);
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"verdict\": \"accepted\""));
        // a second run replaces the output atomically
        assertEquals(0, MainTestAccess.run("demo", "--out", out.toString(), "--prompts", "1", "--max-new-tokens", "1", "--master", "local[2]"));
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"verdict\": \"accepted\""));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("demo"), s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
