package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.datasets.FixedPointSpecReference.Division;
import dev.zkspark.datasets.FixedPointSpecReference.Result;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FloatReference;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Self-tests of the slow reference implementation of docs/FIXED_POINT.md. */
class FixedPointSpecReferenceTest {
    private static final LlamaConfig SMALL = new LlamaConfig(32, 64, 2, 4, 2, 48, 16, 1e-5f, 10000f, true);
    private static final int[] TOKENS = {1, 17, 5, 42, 9, 30};

    @Test
    void integerLogitsTrackTheFloatModel() {
        Checkpoint ck = SyntheticModels.generate(SMALL, 7);
        Result r = FixedPointSpecReference.run(ck, QuantParams.DEFAULT, TOKENS);
        float[][] expected = new FloatReference(ck).logits(TOKENS);

        assertEquals(TOKENS.length, r.logits().length);
        assertEquals(SMALL.layers(), r.residualAfterLayer().size());
        for (long[][] x : r.residualAfterLayer()) {
            assertEquals(TOKENS.length, x.length);
            assertEquals(SMALL.dim(), x[0].length);
        }

        double scale = Math.scalb(1.0, QuantParams.DEFAULT.scaleBits());
        double maxErr = 0;
        int agree = 0;
        for (int i = 0; i < TOKENS.length; i++) {
            assertEquals(SMALL.vocab(), r.logits()[i].length);
            for (int v = 0; v < SMALL.vocab(); v++) {
                maxErr = Math.max(maxErr, Math.abs(r.logits()[i][v] / scale - expected[i][v]));
            }
            if (argmax(r.logits()[i]) == argmax(expected[i])) {
                agree++;
            }
        }
        assertTrue(maxErr < 0.05, "max |logit error| " + maxErr);
        assertTrue(agree >= 5, "argmax agrees at only " + agree + " of " + TOKENS.length + " positions");
    }

    @Test
    void untiedModelWithEightBitWeightsStaysClose() {
        LlamaConfig untied = new LlamaConfig(32, 64, 2, 4, 4, 48, 16, 1e-5f, 10000f, false);
        Checkpoint ck = SyntheticModels.generate(untied, 11);
        Result r = FixedPointSpecReference.run(ck, QuantParams.DEFAULT.withWeightBits(8), TOKENS);
        float[][] expected = new FloatReference(ck).logits(TOKENS);
        double scale = Math.scalb(1.0, QuantParams.DEFAULT.scaleBits());
        double maxErr = 0;
        for (int i = 0; i < TOKENS.length; i++) {
            for (int v = 0; v < untied.vocab(); v++) {
                maxErr = Math.max(maxErr, Math.abs(r.logits()[i][v] / scale - expected[i][v]));
            }
        }
        assertTrue(maxErr < 0.5, "8-bit weights: max |logit error| " + maxErr);
    }

    @Test
    void deterministic() {
        Checkpoint ck = SyntheticModels.generate(SMALL, 7);
        Result a = FixedPointSpecReference.run(ck, QuantParams.DEFAULT, TOKENS);
        Result b = FixedPointSpecReference.run(ck, QuantParams.DEFAULT, TOKENS);
        for (int i = 0; i < TOKENS.length; i++) {
            assertArrayEquals(a.logits()[i], b.logits()[i]);
        }
    }

    @Test
    void rescaleRoundsHalfUpWithFloorDivision() {
        assertDivision(-1, -2, FixedPointSpecReference.rescale(big(-6), 2)); // -1.5 -> -1
        assertDivision(2, -2, FixedPointSpecReference.rescale(big(6), 2)); // 1.5 -> 2
        assertDivision(-1, -1, FixedPointSpecReference.rescale(big(-5), 2)); // -1.25 -> -1
        assertDivision(-2, 1, FixedPointSpecReference.rescale(big(-7), 2)); // -1.75 -> -2
        assertDivision(-2, -4, FixedPointSpecReference.rescale(big(-20), 3)); // -2.5 -> -2
        assertDivision(-1, -2, FixedPointSpecReference.rescale(big(-10), 3)); // -1.25 -> -1
        assertDivision(7, 0, FixedPointSpecReference.rescale(big(7), 0)); // k = 0: identity
        assertDivision(-28, 0, FixedPointSpecReference.rescale(big(-7), -2)); // k < 0: exact multiply
    }

    @Test
    void divRoundRoundsHalfUpWithFloorDivision() {
        assertDivision(-1, 1, FixedPointSpecReference.divRound(big(-2), big(3))); // -2/3 -> -1, R in [-1, 2)
        assertDivision(1, -2, FixedPointSpecReference.divRound(big(2), big(4))); // 0.5 -> 1
        assertDivision(0, -2, FixedPointSpecReference.divRound(big(-2), big(4))); // -0.5 -> 0
        assertDivision(1, 1, FixedPointSpecReference.divRound(big(4), big(3))); // 1.33 -> 1
        assertDivision(2, -1, FixedPointSpecReference.divRound(big(5), big(3))); // 1.67 -> 2
        assertDivision(-2, 0, FixedPointSpecReference.divRound(big(-6), big(3)));
    }

    @Test
    void roundHalfUpAndWeightFractionalBits() {
        assertEquals(big(3), FixedPointSpecReference.roundHalfUp(2.5));
        assertEquals(big(-2), FixedPointSpecReference.roundHalfUp(-2.5));
        assertEquals(big(-3), FixedPointSpecReference.roundHalfUp(-2.51));

        QuantParams wb4 = QuantParams.DEFAULT.withWeightBits(4); // |w_q| <= 7
        assertEquals(3, FixedPointSpecReference.fractionalBits(new float[] {0.75f, -0.3f}, wb4)); // 6 fits, 12 not
        assertEquals(16, FixedPointSpecReference.fractionalBits(new float[] {0f, 0f}, wb4)); // capped at s
        assertEquals(16, FixedPointSpecReference.fractionalBits(new float[] {0.75f}, QuantParams.DEFAULT));
        QuantParams wb2 = QuantParams.DEFAULT.withWeightBits(2); // |w_q| <= 1
        assertEquals(0, FixedPointSpecReference.fractionalBits(new float[] {1.0f}, wb2)); // 1 fits at f = 0, 2 at f = 1 does not
        // 1.5 rounds to 2 at f = 0 and would need f < 0, which the spec refuses
        assertThrows(IllegalStateException.class, () -> FixedPointSpecReference.fractionalBits(new float[] {1.5f}, wb2));
        assertThrows(IllegalStateException.class,
                () -> FixedPointSpecReference.fractionalBits(new float[] {Float.NaN}, wb2));
    }

    @Test
    void narrowActivationsOverflow() {
        // B = 17 holds reals in [-1, 1) at s = 16; a normalised row has entries beyond 1.
        QuantParams narrow = new QuantParams(16, 0, 17, 24, 8, 0, 12, 4, 512);
        Checkpoint ck = SyntheticModels.generate(SMALL, 7);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FixedPointSpecReference.run(ck, narrow, TOKENS));
        assertTrue(e.getMessage().contains("activation overflow"), e.getMessage());
    }

    @Test
    void unitRowSumToleranceFails() {
        // tol = 1 accepts only row sums 2^s - 1 and 2^s (the check is half-open, [-tol, tol)); with
        // seed 7 the first two-key row already sums to 2^s + 1.
        QuantParams unitTolerance = new QuantParams(16, 0, 28, 24, 8, 2, 12, 4, 1);
        Checkpoint ck = SyntheticModels.generate(SMALL, 7);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FixedPointSpecReference.run(ck, unitTolerance, TOKENS));
        assertTrue(e.getMessage().contains("softmax row sum"), e.getMessage());
    }

    private static void assertDivision(long quotient, long remainder, Division d) {
        assertEquals(big(quotient), d.quotient(), "quotient");
        assertEquals(big(remainder), d.remainder(), "remainder");
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static int argmax(long[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }
}
