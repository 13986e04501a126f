package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.model.Witness;
import org.junit.jupiter.api.Test;

/**
 * The fast fixed-point pass equals the independent BigInteger implementation written from
 * docs/FIXED_POINT.md alone ({@link FixedPointSpecReference}), logits and every layer's residual
 * stream, bit for bit, on random models of several shapes and quantizations.
 */
class FixedPointCrossCheckTest {
    @Test
    void fastPassEqualsTheSpecReference() {
        LlamaConfig[] configs = {
            new LlamaConfig(32, 64, 2, 4, 2, 48, 16, 1e-5f, 10000f, true),
            new LlamaConfig(40, 72, 1, 2, 1, 50, 16, 1e-6f, 500000f, false),
            new LlamaConfig(24, 40, 2, 3, 3, 30, 12, 1e-5f, 10000f, true),
        };
        QuantParams[] params = {QuantParams.DEFAULT, QuantParams.DEFAULT.withWeightBits(8),
            new QuantParams(12, 12, 26, 20, 6, 2, 10, 3, 128)};
        int cases = 0;
        for (int ci = 0; ci < configs.length; ci++) {
            for (QuantParams p : params) {
                Checkpoint ck = SyntheticModels.generate(configs[ci], 100 + ci);
                int[] tokens = FixedPointForwardTest.tokens(configs[ci].maxSeq() - 2, configs[ci].vocab(), ci);
                Witness w = new FixedPointForward(QuantizedModel.quantize(ck, p)).witness(tokens);
                FixedPointSpecReference.Result ref = FixedPointSpecReference.run(ck, p, tokens);
                long[][] fast = w.logits();
                for (int i = 0; i < tokens.length; i++) {
                    assertArrayEquals(ref.logits()[i], fast[i], "logits at " + i + " for config " + ci + " " + p.describe());
                }
                for (int l = 0; l < configs[ci].layers(); l++) {
                    Witness.Tensor x = w.tensor("layer" + l + ".resid_ffn");
                    for (int i = 0; i < tokens.length; i++) {
                        for (int j = 0; j < configs[ci].dim(); j++) {
                            assertEquals(ref.residualAfterLayer().get(l)[i][j], x.at(i, j), "layer " + l);
                        }
                    }
                }
                cases++;
            }
        }
        assertEquals(9, cases);
    }

    @Test
    void bundledModelAgreesWithTheSpecReference() {
        int[] tokens = Bundled.tokenizer().encode("CYNIC, n. A blackguard whose faulty vision", true);
        Checkpoint ck = Bundled.model();
        long[][] fast = new FixedPointForward(QuantizedModel.quantize(ck, QuantParams.DEFAULT)).logits(tokens);
        long[][] ref = FixedPointSpecReference.run(ck, QuantParams.DEFAULT, tokens).logits();
        for (int i = 0; i < tokens.length; i++) {
            assertArrayEquals(ref[i], fast[i], "position " + i);
        }
    }
}
