package dev.zkspark.model;

import java.util.List;

/**
 * Fidelity of the fixed-point model against the float reference on token sequences (teacher
 * forcing): top-1 agreement of next-token predictions, absolute logit errors (in real units, the
 * integer logits divided by 2^s) and the perplexity each model assigns to the sequences.
 */
public final class Accuracy {
    private Accuracy() {}

    /** Totals over all evaluated positions; combine with {@link #plus}. */
    public record Stats(long positions, long agree, double maxAbsErr, double sumAbsErr, long logits,
            double nllFloat, double nllFixed) {
        public static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0, 0);

        public Stats plus(Stats o) {
            return new Stats(positions + o.positions, agree + o.agree, Math.max(maxAbsErr, o.maxAbsErr),
                    sumAbsErr + o.sumAbsErr, logits + o.logits, nllFloat + o.nllFloat, nllFixed + o.nllFixed);
        }

        public double top1Percent() {
            return positions == 0 ? Double.NaN : 100.0 * agree / positions;
        }

        public double meanAbsErr() {
            return logits == 0 ? Double.NaN : sumAbsErr / logits;
        }

        /** exp(mean negative log-likelihood of the next token), over positions with a next token. */
        public double perplexityFloat() {
            return Math.exp(nllFloat / Math.max(1, positions));
        }

        public double perplexityFixed() {
            return Math.exp(nllFixed / Math.max(1, positions));
        }

        /** (ppl fixed - ppl float) / ppl float, in percent. */
        public double perplexityDeltaPercent() {
            return 100.0 * (perplexityFixed() - perplexityFloat()) / perplexityFloat();
        }
    }

    /** Float logits of each sequence, computed once and reused for every quantization setting. */
    public static float[][][] floatLogits(FloatReference ref, List<int[]> sequences) {
        float[][][] out = new float[sequences.size()][][];
        // each sequence is independent and lands in its own slot: the result does not depend on threads
        java.util.stream.IntStream.range(0, out.length).parallel().forEach(i -> out[i] = ref.logits(sequences.get(i)));
        return out;
    }

    /**
     * Compares the fixed-point model with precomputed float logits. Every position but the last of
     * each sequence predicts the next token: those positions count for agreement and perplexity;
     * logit errors count at every position.
     */
    public static Stats measure(FixedPointForward fixed, List<int[]> sequences, float[][][] floatLogits) {
        double scale = Math.scalb(1.0, fixed.model().params().scaleBits());
        Stats total = Stats.EMPTY;
        for (int sq = 0; sq < sequences.size(); sq++) {
            int[] tokens = sequences.get(sq);
            long[][] fx = fixed.logits(tokens);
            float[][] fl = floatLogits[sq];
            long positions = 0, agree = 0, count = 0;
            double maxErr = 0, sumErr = 0, nllFloat = 0, nllFixed = 0;
            for (int i = 0; i < tokens.length; i++) {
                double[] fxReal = new double[fx[i].length];
                int bestFloat = 0;
                for (int v = 0; v < fxReal.length; v++) {
                    fxReal[v] = fx[i][v] / scale;
                    double err = Math.abs(fxReal[v] - fl[i][v]);
                    maxErr = Math.max(maxErr, err);
                    sumErr += err;
                    count++;
                    if (fl[i][v] > fl[i][bestFloat]) {
                        bestFloat = v;
                    }
                }
                if (i + 1 < tokens.length) {
                    positions++;
                    if (FixedPointForward.argmax(fx[i]) == bestFloat) {
                        agree++;
                    }
                    nllFixed += nll(fxReal, tokens[i + 1]);
                    double[] flD = new double[fl[i].length];
                    for (int v = 0; v < flD.length; v++) {
                        flD[v] = fl[i][v];
                    }
                    nllFloat += nll(flD, tokens[i + 1]);
                }
            }
            total = total.plus(new Stats(positions, agree, maxErr, sumErr, count, nllFloat, nllFixed));
        }
        return total;
    }

    /** -log softmax(logits)[target], computed stably. */
    static double nll(double[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logits) {
            sum += Math.exp(v - max);
        }
        return -(logits[target] - max - Math.log(sum));
    }
}
