package dev.zkspark.datasets;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.model.Accuracy;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.FloatReference;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data behind {@code bin/zkspark accuracy}: the prompt set (each prompt followed by the float
 * model's greedy continuation, so the positions that matter for generation are scored) and a
 * held-out text cut into windows of the trainer's context length (scored as the trainer scored it). The float
 * logits are computed once and every quantization setting is compared with them.
 */
public final class AccuracyEvaluation {
    /** One line of the report. */
    public record Row(String setting, QuantParams params, Accuracy.Stats prompts, Accuracy.Stats heldOut,
            int identicalGenerations, int generations) {
        public Accuracy.Stats all() {
            return prompts.plus(heldOut);
        }
    }

    private final Checkpoint checkpoint;
    private final List<int[]> promptSeqs = new ArrayList<>();
    private final List<int[]> promptOnly = new ArrayList<>();
    private final List<int[]> floatGenerations = new ArrayList<>();
    private final List<int[]> textSeqs;
    private final float[][][] promptLogits;
    private final float[][][] textLogits;
    private final int stop;

    public AccuracyEvaluation(Checkpoint ck, Tokenizer tok, List<Bundled.PromptSpec> prompts, String heldOut, int window) {
        this.checkpoint = ck;
        this.stop = tok.eosId();
        FloatReference ref = new FloatReference(ck);
        int maxSeq = ck.config().maxSeq();
        for (Bundled.PromptSpec p : prompts) {
            int[] ids = tok.encode(p.prompt(), true);
            if (ids.length >= maxSeq) {
                ids = Arrays.copyOf(ids, maxSeq - 1);
            }
            int[] full = ref.generate(ids, p.maxNewTokens(), stop);
            promptOnly.add(ids);
            floatGenerations.add(full);
            promptSeqs.add(full);
        }
        if (window < 1 || window >= maxSeq) {
            throw ZksparkException.badInput("the held-out window must be in 1.." + (maxSeq - 1) + " tokens");
        }
        this.textSeqs = windows(tok.encode(heldOut, false), window);
        this.promptLogits = Accuracy.floatLogits(ref, promptSeqs);
        this.textLogits = Accuracy.floatLogits(ref, textSeqs);
    }

    /**
     * Non-overlapping windows of the held-out tokens as the trainer scores them: window w holds
     * tokens [wT, wT + T] and its T first positions predict the next token (no BOS: training used
     * random windows of the same length, so this perplexity is comparable with the trainer's).
     */
    static List<int[]> windows(int[] text, int window) {
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from + window + 1 < text.length; from += window) {
            out.add(Arrays.copyOfRange(text, from, from + window + 1));
        }
        return out;
    }

    public int promptPositions() {
        return promptSeqs.stream().mapToInt(s -> s.length - 1).sum();
    }

    public int textTokens() {
        return textSeqs.stream().mapToInt(s -> s.length - 1).sum();
    }

    /** Quantizes the checkpoint under {@code params} and scores it against the float model. */
    public Row evaluate(String setting, QuantParams params) {
        FixedPointForward fx = new FixedPointForward(QuantizedModel.quantize(checkpoint, params));
        Accuracy.Stats prompts = Accuracy.measure(fx, promptSeqs, promptLogits);
        Accuracy.Stats text = Accuracy.measure(fx, textSeqs, textLogits);
        int same = 0;
        for (int i = 0; i < promptOnly.size(); i++) {
            int[] gen = fx.generate(promptOnly.get(i), floatGenerations.get(i).length - promptOnly.get(i).length, stop);
            if (Arrays.equals(gen, floatGenerations.get(i))) {
                same++;
            }
        }
        return new Row(setting, params, prompts, text, same, promptOnly.size());
    }

    /** Held-out window length when none is given: the bundled model's training context. */
    public static final int DEFAULT_WINDOW = 128;

    /** The default setting and the 12- and 8-bit weight trade-offs the report shows. */
    public static List<String[]> standardSettings() {
        return List.of(new String[] {"default", "0"}, new String[] {"12-bit weights", "12"}, new String[] {"8-bit weights", "8"});
    }
}
