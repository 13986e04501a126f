package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.model.Accuracy;
import dev.zkspark.model.QuantParams;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fidelity targets of the bundled trained model at the default quantization (issue 5). */
class AccuracyEvaluationTest {
    @Test
    void bundledModelMeetsTheFidelityTargets() {
        AccuracyEvaluation ev = new AccuracyEvaluation(Bundled.model(), Bundled.tokenizer(), Bundled.prompts(),
                Bundled.heldOutText(), AccuracyEvaluation.DEFAULT_WINDOW);
        AccuracyEvaluation.Row row = ev.evaluate("default", QuantParams.DEFAULT);
        Accuracy.Stats all = row.all();
        assertTrue(all.top1Percent() >= 99.0, "top-1 agreement " + all.top1Percent());
        assertTrue(Math.abs(row.heldOut().perplexityDeltaPercent()) <= 1.0, "perplexity delta " + row.heldOut().perplexityDeltaPercent());
        // the float perplexity reproduces the trainer's figure (reference.json: 29.58), so the windows match training
        assertEquals(29.58, row.heldOut().perplexityFloat(), 0.01);
        assertEquals(row.generations(), row.identicalGenerations(), "fixed-point greedy generations equal the float ones");
        assertEquals(ev.textTokens(), row.heldOut().positions());
    }

    @Test
    void windowsAreNonOverlappingAndCoverWhatTheTrainerScored() {
        int[] text = new int[10];
        for (int i = 0; i < text.length; i++) {
            text[i] = i;
        }
        List<int[]> w = AccuracyEvaluation.windows(text, 4);
        assertEquals(2, w.size());
        assertEquals(List.of(0, 1, 2, 3, 4), java.util.Arrays.stream(w.get(0)).boxed().toList());
        assertEquals(List.of(4, 5, 6, 7, 8), java.util.Arrays.stream(w.get(1)).boxed().toList());
    }
}
