package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.datasets.tokenizer.Llama2cTokenizer;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FloatReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bundled model, its tokenizer and the Java float forward pass reproduce what the trainer
 * recorded in reference.json (ids of the probe text, logits, greedy continuation).
 */
class BundledModelTest {
    static String reference() {
        return new String(Bundled.bytes("reference.json"), StandardCharsets.UTF_8);
    }

    static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": \\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), key);
        String[] parts = m.group(1).replaceAll("\\s", "").split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    static int[] ints(String json, String key) {
        double[] d = numbers(json, key);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) d[i];
        }
        return out;
    }

    @Test
    void tokenizerAndForwardPassReproduceTheTrainer() {
        String ref = reference();
        Checkpoint ck = Bundled.model();
        assertEquals(512, ck.config().vocab());
        assertEquals(2, ck.config().kvHeads());
        Llama2cTokenizer tok = Bundled.tokenizer();
        int[] ids = tok.encode("POLITICS, n. A strife of interests masquerading", true);
        assertArrayEquals(ints(ref, "ids"), ids);
        float[][] logits = new FloatReference(ck).logits(ids);
        double[] want = numbers(ref, "last_logits");
        double maxErr = 0;
        for (int v = 0; v < want.length; v++) {
            maxErr = Math.max(maxErr, Math.abs(want[v] - logits[ids.length - 1][v]));
        }
        assertTrue(maxErr < 2e-3, "max logit difference to PyTorch " + maxErr);
        int[] greedy = new FloatReference(ck).generate(ids, ints(ref, "greedy_ids").length - ids.length, -1);
        assertArrayEquals(ints(ref, "greedy_ids"), greedy);
    }

    @Test
    void tokenizerRoundTripsPromptsAndFallsBackToBytes() {
        Llama2cTokenizer tok = Bundled.tokenizer();
        List<Bundled.PromptSpec> prompts = Bundled.prompts();
        assertEquals(12, prompts.size());
        for (Bundled.PromptSpec p : prompts) {
            int[] ids = tok.encode(p.prompt(), true);
            assertEquals(1, ids[0]);
            assertTrue(ids.length < p.prompt().length(), "merges shorten " + p.prompt());
            assertEquals(p.prompt(), tok.decode(ids));
        }
        String exotic = "caf\u00e9 \u2603";
        int[] ids = tok.encode(exotic, false);
        assertEquals(exotic, tok.decode(ids));
        assertFalse(Bundled.heldOutText().isEmpty());
    }
}
