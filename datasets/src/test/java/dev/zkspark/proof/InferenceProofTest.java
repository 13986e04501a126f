package dev.zkspark.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.Verdict;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole-inference proofs: honest proofs verify; a wrong prompt or output token, another model, a
 * cheating prover's corrupted witness entry in any op, and random damage to any section are rejected
 * with a reason, and the verifier never throws.
 */
class InferenceProofTest {
    static final LlamaConfig TINY = new LlamaConfig(32, 48, 2, 4, 2, 64, 16, 1e-5f, 10000f, true);
    static QuantizedModel tiny;
    static ModelCommitment.Made tinyCommit;
    static int[] prompt = {1, 7, 9};
    static int[] gen;
    static InferenceProver.Proved honest;

    @BeforeAll
    static void proveTiny() {
        tiny = QuantizedModel.quantize(SyntheticModels.generate(TINY, 5), QuantParams.DEFAULT).forProof();
        tinyCommit = ModelCommitment.commit(tiny, new byte[32]);
        int[] all = new FixedPointForward(tiny).generate(prompt, 5, -1);
        gen = java.util.Arrays.copyOfRange(all, prompt.length, all.length);
        honest = InferenceProver.prove(tinyCommit, tiny, prompt, gen, new byte[32]);
    }

    static Verdict verify(ModelCommitment mc, int[] p, int[] g, byte[] proof) {
        return InferenceVerifier.verify(mc, new Statement(mc.digest(), mc.params().digest(), p, g), proof);
    }

    @Test
    void honestProofVerifiesAndWrongStatementsAreRejected() {
        byte[] bytes = honest.proof().toBytes();
        assertTrue(honest.proof().zeroKnowledge(), "zero knowledge is the default");
        assertTrue(verify(tinyCommit.commitment(), prompt, gen, bytes).isAccepted());
        int[] wrongOut = gen.clone();
        wrongOut[gen.length - 1] = (wrongOut[gen.length - 1] + 1) % TINY.vocab();
        Verdict v = verify(tinyCommit.commitment(), prompt, wrongOut, bytes);
        assertFalse(v.isAccepted());
        assertTrue(v.reason().contains("another statement"), v.reason());
        int[] wrongPrompt = prompt.clone();
        wrongPrompt[1] = 8;
        assertFalse(verify(tinyCommit.commitment(), wrongPrompt, gen, bytes).isAccepted());
        // the same weights committed with another seed, and a different model: not the proof's model
        ModelCommitment other = ModelCommitment.commit(tiny, new byte[] {9}).commitment();
        assertFalse(verify(other, prompt, gen, bytes).isAccepted());
        QuantizedModel m2 = QuantizedModel.quantize(SyntheticModels.generate(TINY, 6), QuantParams.DEFAULT).forProof();
        assertFalse(verify(ModelCommitment.commit(m2, new byte[32]).commitment(), prompt, gen, bytes).isAccepted());
    }

    @Test
    void theBytesDoNotDependOnThreadsOrTheOrderPartsRunIn() {
        // the tasks and tables run largest first from one queue over Parallel.threads() runners
        int threads = dev.zkspark.core.Parallel.threads();
        try {
            for (int t : new int[] {1, 3}) {
                dev.zkspark.core.Parallel.setThreads(t);
                byte[] again = InferenceProver.prove(tinyCommit, tiny, prompt, gen, new byte[32]).proof().toBytes();
                assertTrue(java.util.Arrays.equals(honest.proof().toBytes(), again), t + " threads");
            }
            // negative twin: another prover seed gives other (still valid) bytes, so equality above is not vacuous
            byte[] seed = new byte[32];
            seed[0] = 1;
            byte[] other = InferenceProver.prove(tinyCommit, tiny, prompt, gen, seed).proof().toBytes();
            assertFalse(java.util.Arrays.equals(honest.proof().toBytes(), other));
            assertTrue(verify(tinyCommit.commitment(), prompt, gen, other).isAccepted());
        } finally {
            dev.zkspark.core.Parallel.setThreads(threads);
        }
    }

    /** The honest proof with its witness-commitment section replaced by {@code bytes}. */
    static byte[] withWitnessCommitment(byte[] bytes) {
        List<ProofFile.Section> sections = new ArrayList<>();
        for (ProofFile.Section s : honest.proof().sections()) {
            sections.add(s.name().equals("witness-commitment") ? new ProofFile.Section(s.name(), s.layer(), bytes) : s);
        }
        return new ProofFile(honest.proof().hash(), ProofFile.FLAG_ZK, honest.proof().statement(), sections).toBytes();
    }

    @Test
    void theWitnessCommitmentIsItsRootAndParametersLaidOutByTheVerifier() throws Exception {
        // format 5.0: the section is the root and the parameters; the verifier lays out the regions
        ProofFile.Section s = honest.proof().section("witness-commitment");
        dev.zkspark.pcs.Commitment.Header h = dev.zkspark.pcs.Commitment.readHeader(new dev.zkspark.core.ByteSource(s.bytes()));
        dev.zkspark.core.ByteSink header = new dev.zkspark.core.ByteSink();
        h.write(header);
        assertTrue(java.util.Arrays.equals(header.toByteArray(), s.bytes()), "nothing but root and parameters");
        assertTrue(verify(tinyCommit.commitment(), prompt, gen, withWitnessCommitment(s.bytes())).isAccepted());
        // parameters holding too few entries for the circuit's witness: rejected with a reason
        dev.zkspark.pcs.PcsParams p = h.params();
        dev.zkspark.pcs.PcsParams small = new dev.zkspark.pcs.PcsParams(p.numVars() - 1, p.rowVars() - 1, p.colVars(), p.codeVars(),
                p.queries());
        dev.zkspark.core.ByteSink bad = new dev.zkspark.core.ByteSink();
        new dev.zkspark.pcs.Commitment.Header(h.root(), small).write(bad);
        Verdict v = verify(tinyCommit.commitment(), prompt, gen, withWitnessCommitment(bad.toByteArray()));
        assertFalse(v.isAccepted());
        assertTrue(v.reason().contains("fewer than the circuit's witness tensors need"), v.reason());
        // a region table appended as format 4.x wrote it is trailing bytes, not a layout the prover picks
        byte[] old = new byte[s.bytes().length + 4];
        System.arraycopy(s.bytes(), 0, old, 0, s.bytes().length);
        Verdict trailing = verify(tinyCommit.commitment(), prompt, gen, withWitnessCommitment(old));
        assertFalse(trailing.isAccepted());
        // another root: the transcript and the opening no longer match
        byte[] root = s.bytes().clone();
        root[0] ^= 1;
        assertFalse(verify(tinyCommit.commitment(), prompt, gen, withWitnessCommitment(root)).isAccepted());
    }

    @Test
    void aOneTokenPromptWithOneGeneratedTokenIsProvedOverTwoPositions() {
        int[] p1 = {5};
        int[] g1 = java.util.Arrays.copyOfRange(new FixedPointForward(tiny).generate(p1, 1, -1), 1, 2);
        byte[] bytes = InferenceProver.prove(tinyCommit, tiny, p1, g1, new byte[32]).proof().toBytes();
        assertTrue(verify(tinyCommit.commitment(), p1, g1, bytes).isAccepted());
        int[] wrong = {(g1[0] + 1) % TINY.vocab()};
        assertFalse(verify(tinyCommit.commitment(), p1, wrong, bytes).isAccepted());
    }

    @Test
    void aProverCannotClaimATokenTheModelDoesNotPick() {
        int[] wrongOut = gen.clone();
        wrongOut[0] = (wrongOut[0] + 1) % TINY.vocab();
        // the honest prover refuses; a cheating one that fakes the argmax gap is caught by the range check
        assertEquals(dev.zkspark.core.ZksparkException.Code.BAD_INPUT, org.junit.jupiter.api.Assertions.assertThrows(
                dev.zkspark.core.ZksparkException.class, () -> InferenceProver.prove(tinyCommit, tiny, prompt, wrongOut, new byte[32])).code());
    }

    /** Tensor -> index of the entry the cheating prover changes (inside the real sequence). */
    static final String[] CORRUPTED = {
        "embed.x", "layer0.attn_norm.rsqrt", "layer0.attn_norm.ms", "layer0.attn_norm.n.rem", "layer0.q.rem", "layer0.q",
        "layer0.q_rope", "layer0.k_rope", "layer0.scores0", "layer0.scores", "layer0.shift", "layer0.delta",
        "layer0.exp.digit0", "layer0.exp.digit2", "layer0.exp.factor1", "layer0.exp.prod0", "layer0.attn",
        "layer0.softmax.rowdev", "layer0.ctx", "layer1.o.rem", "layer1.resid_attn", "layer1.ffn_norm.sandwich.lo",
        "layer1.gate", "layer1.sig_in", "layer1.sig_idx", "layer1.sig", "layer1.clamp.plus", "layer1.silu", "layer1.mlp.rem",
        "layer1.down", "layer1.resid_ffn", "head.x", "final_norm.rsqrt", "final_norm.out", "logits", "logits.rem", "argmax.picked", "argmax.gap",
        "logits.limb0", "layer1.resid_ffn.limb1",
    };

    @Test
    void everyOpRejectsOneCorruptedWitnessEntry() {
        rejectsCorruptedEntries(true);
    }

    @Test
    void everyOpRejectsOneCorruptedWitnessEntryInPlainProofs() {
        rejectsCorruptedEntries(false);
    }

    static void rejectsCorruptedEntries(boolean zk) {
        List<String> accepted = new ArrayList<>();
        for (String tensor : CORRUPTED) {
            Consumer<Map<String, long[]>> cheat = values -> {
                long[] v = values.get(tensor);
                if (v == null) {
                    throw new AssertionError("no witness tensor " + tensor);
                }
                int idx = v.length > 8 ? 5 : 1;
                v[idx] = Goldilocks.add(v[idx], 1);
            };
            InferenceProver.Proved p = InferenceProver.prove(tinyCommit, tiny, prompt, gen, new byte[32], zk, cheat);
            assertEquals(zk, p.proof().zeroKnowledge());
            Verdict v = verify(tinyCommit.commitment(), prompt, gen, p.proof().toBytes());
            if (v.isAccepted()) {
                accepted.add(tensor);
            }
        }
        assertEquals(List.of(), accepted, "corrupted tensors that were accepted (zk " + zk + ")");
    }

    @Test
    void randomDamageToAnySectionIsRejectedWithoutThrowing() {
        damageIsRejected(honest.proof());
    }

    /** A section's layer index is not absorbed, so the verifier checks it: any other index is refused. */
    @Test
    void aSectionCarryingAnotherLayerIndexIsRejected() {
        ProofFile pf = honest.proof();
        assertTrue(verify(tinyCommit.commitment(), prompt, gen, pf.toBytes()).isAccepted());
        for (String name : List.of("batch-mask-commitment", "task/layer1", "opening")) {
            List<ProofFile.Section> secs = new ArrayList<>(pf.sections());
            int i = secs.indexOf(pf.section(name));
            ProofFile.Section s = secs.get(i);
            secs.set(i, new ProofFile.Section(s.name(), s.layer() == -1 ? Integer.MAX_VALUE : 0, s.bytes()));
            ProofFile moved = new ProofFile(pf.hash(), pf.zeroKnowledge() ? ProofFile.FLAG_ZK : 0, pf.statement(), secs);
            Verdict v = verify(tinyCommit.commitment(), prompt, gen, moved.toBytes());
            assertFalse(v.isAccepted(), name);
            assertTrue(v.reason().contains("carries layer"), v.reason());
        }
    }

    @Test
    void randomDamageToAPlainProofIsRejectedWithoutThrowing() {
        InferenceProver.Proved plain = InferenceProver.prove(tinyCommit, tiny, prompt, gen, new byte[32], false, InferenceProver.Steps.NONE);
        assertFalse(plain.proof().zeroKnowledge());
        assertTrue(verify(tinyCommit.commitment(), prompt, gen, plain.proof().toBytes()).isAccepted());
        damageIsRejected(plain.proof());
    }

    static void damageIsRejected(ProofFile proof) {
        byte[] bytes = proof.toBytes();
        SplittableRandom rnd = new SplittableRandom(42);
        int trials = 240, rejected = 0;
        for (int i = 0; i < trials; i++) {
            byte[] b;
            if (i % 8 == 7) {
                b = java.util.Arrays.copyOf(bytes, rnd.nextInt(bytes.length));
            } else {
                b = bytes.clone();
                int pos = rnd.nextInt(b.length);
                b[pos] ^= (byte) (1 << rnd.nextInt(8));
            }
            Verdict v = verify(tinyCommit.commitment(), prompt, gen, b);
            if (!v.isAccepted()) {
                rejected++;
                assertFalse(v.reason().isBlank());
            }
        }
        assertEquals(trials, rejected);
        // and inside every section: flips and truncations of that section's own bytes
        ProofFile pf = proof;
        int perSection = 0;
        for (int si = 0; si < pf.sections().size(); si++) {
            for (int k = 0; k < 6; k++) {
                List<ProofFile.Section> secs = new ArrayList<>(pf.sections());
                ProofFile.Section s = secs.get(si);
                byte[] sb = s.bytes();
                if (k == 5) {
                    sb = java.util.Arrays.copyOf(sb, rnd.nextInt(sb.length));
                } else {
                    sb[rnd.nextInt(sb.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                secs.set(si, new ProofFile.Section(s.name(), s.layer(), sb));
                byte[] damaged = new ProofFile(pf.hash(), pf.zeroKnowledge() ? ProofFile.FLAG_ZK : 0, pf.statement(), secs).toBytes();
                Verdict v = verify(tinyCommit.commitment(), prompt, gen, damaged);
                assertFalse(v.isAccepted(), "damage in section " + s.name() + " was accepted");
                perSection++;
            }
        }
        assertTrue(perSection >= 6 * 14, "sections: " + pf.sections().size());
    }

    @Test
    void bundledModelProvesItsOwnGenerations() {
        QuantizedModel qm = QuantizedModel.quantize(Bundled.model(), QuantParams.DEFAULT).forProof();
        ModelCommitment.Made made = ModelCommitment.commit(qm, new byte[32]);
        FixedPointForward fx = new FixedPointForward(qm);
        for (String text : new String[] {"CYNIC, n. A blackguard", "LAWYER, n. One skilled"}) {
            int[] p = Bundled.tokenizer().encode(text, true);
            int[] all = fx.generate(p, 8, Bundled.tokenizer().eosId());
            int[] g = java.util.Arrays.copyOfRange(all, p.length, all.length);
            InferenceProver.Proved pr = InferenceProver.prove(made, qm, p, g, new byte[] {1, 2, 3});
            Verdict v = verify(made.commitment(), p, g, pr.proof().toBytes());
            assertTrue(v.isAccepted(), text + ": " + v.reason());
        }
    }

    @Test
    void paddedShapesComputeTheSameAndProve() throws Exception {
        // nothing a power of two: dim 48, 6 query heads in 2 KV groups of 3, head dim 8 (halves of 4
        // padded to... 4), hidden 40, vocabulary 50, and dim 24 with 3 heads (head dim 8)
        LlamaConfig[] shapes = {
            new LlamaConfig(48, 40, 1, 6, 2, 50, 12, 1e-5f, 10000f, true),
            new LlamaConfig(24, 40, 2, 3, 3, 50, 12, 1e-5f, 10000f, false),
        };
        for (LlamaConfig c : shapes) {
            QuantizedModel real = QuantizedModel.quantize(SyntheticModels.generate(c, 3), QuantParams.DEFAULT);
            QuantizedModel padded = real.forProof();
            int[] tokens = {1, 5, 9, 2, 33, 49, 7};
            long[][] a = new FixedPointForward(real).logits(tokens);
            long[][] b = new FixedPointForward(padded).logits(tokens);
            for (int i = 0; i < tokens.length; i++) {
                assertEquals(java.util.Arrays.toString(a[i]), java.util.Arrays.toString(java.util.Arrays.copyOf(b[i], c.vocab())),
                        "position " + i + " of " + c);
            }
            ModelCommitment.Made made = ModelCommitment.commit(padded, new byte[32]);
            // only the real weights are committed (the padding zeros are implied by the pieces)
            long committed = 0;
            for (dev.zkspark.pcs.Region r : made.commitment().commitment().regions()) {
                committed += 1L << r.numVars();
            }
            long weights = 0;
            for (QuantizedModel.QTensor q : real.tensors()) {
                weights += q.values().length;
            }
            assertEquals(weights + InferenceProver.BLIND_SIZE, committed, c.toString());
            assertTrue(made.commitment().commitment().regions().stream().anyMatch(dev.zkspark.pcs.Region::isPiece));
            ModelCommitment reread = ModelCommitment.parse(made.commitment().toBytes());
            // a prover told why a published commitment is not this one: another key, or another layout
            byte[] otherKey = new byte[32];
            otherKey[0] = 1;
            assertEquals("", made.commitment().layoutNote(ModelCommitment.commit(padded, otherKey).commitment()));
            assertTrue(made.commitment().layoutNote(ModelCommitment.commit(padded, new byte[32], 12).commitment()).contains("layout"));
            int[] p = {1, 5, 9};
            int[] all = new FixedPointForward(padded).generate(p, 4, -1);
            assertArrayEqualsPrefix(new FixedPointForward(real).generate(p, 4, -1), all);
            int[] g = java.util.Arrays.copyOfRange(all, p.length, all.length);
            for (boolean zk : new boolean[] {true, false}) {
                InferenceProver.Proved pr = InferenceProver.prove(made, padded, p, g, new byte[32], zk, InferenceProver.Steps.NONE);
                Verdict v = verify(reread, p, g, pr.proof().toBytes());
                assertTrue(v.isAccepted(), c + " zk " + zk + ": " + v.reason());
                int[] wrong = g.clone();
                wrong[1] = (wrong[1] + 1) % c.vocab();
                assertFalse(verify(reread, p, wrong, pr.proof().toBytes()).isAccepted());
            }
        }
    }

    static void assertArrayEqualsPrefix(int[] expected, int[] actual) {
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
    }
}
