package dev.zkspark.proof;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.Verdict;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import org.junit.jupiter.api.Test;

class InferenceProofTest {
    static final LlamaConfig TINY = new LlamaConfig(32, 48, 1, 4, 2, 64, 16, 1e-5f, 10000f, true);

    @Test
    void tinyModelProvesAndVerifies() {
        QuantizedModel qm = QuantizedModel.quantize(SyntheticModels.generate(TINY, 5), QuantParams.DEFAULT).forProof();
        ModelCommitment.Made made = ModelCommitment.commit(qm, new byte[32]);
        int[] prompt = {1, 7, 9};
        int[] all = new FixedPointForward(qm).generate(prompt, 4, -1);
        int[] gen = java.util.Arrays.copyOfRange(all, prompt.length, all.length);
        InferenceProver.Proved p = InferenceProver.prove(made, qm, prompt, gen, new byte[32]);
        byte[] bytes = p.proof().toBytes();
        System.out.println("proof bytes " + bytes.length + " timings " + p.timings());
        Verdict v = InferenceVerifier.verify(made.commitment(), p.statement(), bytes);
        assertTrue(v.isAccepted(), v.reason());
        int[] other = gen.clone();
        other[0] = (other[0] + 1) % 64;
        Verdict w = InferenceVerifier.verify(made.commitment(), new Statement(p.statement().modelDigest(),
                p.statement().quantDigest(), prompt, other), bytes);
        assertFalse(w.isAccepted());
    }
}
