package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.Parallel;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.model.BoundAnalysis;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.FloatReference;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.model.Witness;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fixed-point forward pass: determinism, the constraints its witness must satisfy (exactly the
 * relations docs/FIXED_POINT.md states, which the proof checks), closeness to the float model and
 * loud failures.
 */
class FixedPointForwardTest {
    static final LlamaConfig GQA = new LlamaConfig(48, 96, 2, 4, 2, 64, 24, 1e-5f, 10000f, true);
    static final LlamaConfig UNTIED = new LlamaConfig(40, 72, 1, 2, 1, 50, 16, 1e-6f, 500000f, false);

    static int[] tokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    static FixedPointForward forward(LlamaConfig c, long seed, QuantParams p) {
        return new FixedPointForward(QuantizedModel.quantize(SyntheticModels.generate(c, seed), p));
    }

    @Test
    void deterministicAndIndependentOfThreads() {
        FixedPointForward fx = forward(GQA, 3, QuantParams.DEFAULT);
        int[] tok = tokens(20, GQA.vocab(), 5);
        int saved = Parallel.threads();
        Witness a, b;
        try {
            Parallel.setThreads(1);
            a = fx.witness(tok);
            Parallel.setThreads(4);
            b = fx.witness(tok);
        } finally {
            Parallel.setThreads(saved);
        }
        assertEquals(a.names(), b.names());
        for (String n : a.names()) {
            assertArrayEquals(a.tensor(n).values(), b.tensor(n).values(), n);
        }
        assertArrayEquals(a.tensor("logits").values(), forward(GQA, 3, QuantParams.DEFAULT).witness(tok).tensor("logits").values());
        long[][] only = fx.logits(tok);
        for (int i = 0; i < tok.length; i++) {
            assertArrayEquals(a.logits()[i], only[i]);
        }
    }

    @Test
    void witnessSatisfiesEveryRelationTheProofChecks() {
        for (LlamaConfig c : new LlamaConfig[] {GQA, UNTIED}) {
            for (QuantParams p : new QuantParams[] {QuantParams.DEFAULT, QuantParams.DEFAULT.withWeightBits(8)}) {
                Checkpoint ck = SyntheticModels.generate(c, 11);
                QuantizedModel qm = QuantizedModel.quantize(ck, p);
                Witness w = new FixedPointForward(qm).witness(tokens(c.maxSeq() - 3, c.vocab(), 2));
                checkRelations(qm, w);
            }
        }
    }

    /** Re-derives each recorded tensor from its inputs by the relations of docs/FIXED_POINT.md. */
    static void checkRelations(QuantizedModel qm, Witness w) {
        LlamaConfig c = qm.config();
        QuantParams p = qm.params();
        int s = p.scaleBits(), t = w.tokens().length, d = c.dim(), hd = c.headDim(), heads = c.heads();
        long lim = 1L << (p.activationBits() - 1);
        for (String name : w.names()) {
            if (name.endsWith(".rem")) {
                continue;
            }
            for (long v : w.tensor(name).values()) {
                assertTrue(v >= -lim && v < lim || name.endsWith(".ss") || name.endsWith(".ms") || name.endsWith(".delta"),
                        name + " outside the activation range");
            }
        }
        // embedding rows
        QuantizedModel.QTensor emb = qm.tensor("model.embed_tokens.weight");
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                assertEquals(emb.values()[w.tokens()[i] * d + j] << (s - emb.fracBits()), w.tensor("embed.x").at(i, j));
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            String pre = "layer" + l + ".";
            String x = l == 0 ? "embed.x" : "layer" + (l - 1) + ".resid_ffn";
            checkNorm(qm, w, pre + "attn_norm", x, Checkpoint.layer(l, "input_layernorm.weight"));
            checkMatmul(w, pre + "attn_norm.out", qm.tensor(Checkpoint.layer(l, "self_attn.q_proj.weight")), pre + "q");
            // residual
            for (int i = 0; i < t * d; i++) {
                assertEquals(w.tensor(x).values()[i] + w.tensor(pre + "o").values()[i], w.tensor(pre + "resid_attn").values()[i]);
            }
            // softmax: digits recombine to delta = shift - z on the causal part, factors are table entries,
            // the product chain holds, rows sum to 2^s within the tolerance and masked weights are 0
            long[][] tables = FixedPointForward.expTables(p);
            int lowDigits = p.expLowDigits(), b = p.expDigitBits();
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < t; i++) {
                    long rowSum = 0;
                    for (int j = 0; j < t; j++) {
                        long delta = w.tensor(pre + "delta").at(h, i, j);
                        long recombined = 0;
                        for (int k = 0; k <= lowDigits; k++) {
                            long dg = w.tensor(pre + "exp.digit" + k).at(h, i, j);
                            assertTrue(dg >= 0 && dg < tables[k].length);
                            assertEquals(tables[k][(int) dg], w.tensor(pre + "exp.factor" + k).at(h, i, j));
                            recombined += dg << (k * b);
                        }
                        assertEquals(delta, recombined);
                        long prod = w.tensor(pre + "exp.factor" + lowDigits).at(h, i, j);
                        for (int k = lowDigits - 1; k >= 0; k--) {
                            long next = w.tensor(pre + "exp.prod" + k).at(h, i, j);
                            assertEquals(prod * w.tensor(pre + "exp.factor" + k).at(h, i, j),
                                    (next << s) + w.tensor(pre + "exp.prod" + k + ".rem").at(h, i, j));
                            prod = next;
                        }
                        long a = w.tensor(pre + "attn").at(h, i, j);
                        if (j <= i) {
                            assertEquals(w.tensor(pre + "shift").at(h, i) - w.tensor(pre + "scores").at(h, i, j), delta);
                            assertEquals(prod, a);
                            rowSum += a;
                        } else {
                            assertEquals(0, delta);
                            assertEquals(0, a);
                        }
                    }
                    assertTrue(rowSum - (1L << s) >= -p.rowSumTolerance() && rowSum - (1L << s) < p.rowSumTolerance(), "row sum " + rowSum);
                }
            }
            // SwiGLU clamp and table
            long[] sig = FixedPointForward.sigmoidTable(p);
            long lo = -(1L << (p.sigmoidIntBits() + p.sigmoidFracBits()));
            long[] in = w.tensor(pre + "sig_in").values(), idx = w.tensor(pre + "sig_idx").values();
            for (int i = 0; i < in.length; i++) {
                assertEquals(Math.max(lo, Math.min(-lo - 1, in[i])), idx[i]);
                assertEquals(sig[(int) (idx[i] - lo)], w.tensor(pre + "sig").values()[i]);
            }
        }
        checkNorm(qm, w, "final_norm", "layer" + (c.layers() - 1) + ".resid_ffn", "model.norm.weight");
        checkMatmul(w, "final_norm.out", qm.classifier(), "logits");
    }

    static void checkNorm(QuantizedModel qm, Witness w, String name, String input, String weight) {
        QuantParams p = qm.params();
        int s = p.scaleBits(), sm = p.normScaleBits(), d = qm.config().dim();
        long big = 1L << (2 * s + sm);
        long divisor = (long) d << (2 * s - sm);
        long eps = BoundAnalysis.normEpsilon(qm.config(), p);
        int t = w.tokens().length;
        for (int i = 0; i < t; i++) {
            long ss = 0;
            for (int j = 0; j < d; j++) {
                ss += w.tensor(input).at(i, j) * w.tensor(input).at(i, j);
            }
            assertEquals(ss, w.tensor(name + ".ss").at(i));
            long ms = w.tensor(name + ".ms").at(i), rem = w.tensor(name + ".ms.rem").at(i);
            assertEquals(ss, ms * divisor + rem);
            assertTrue(rem >= -divisor / 2 && rem < divisor - divisor / 2);
            long r = w.tensor(name + ".rsqrt").at(i), m = ms + eps;
            java.math.BigInteger bm = java.math.BigInteger.valueOf(m), bb = java.math.BigInteger.valueOf(big);
            assertTrue(java.math.BigInteger.valueOf(r).pow(2).multiply(bm).compareTo(bb) <= 0, name + " sandwich low");
            assertTrue(java.math.BigInteger.valueOf(r + 1).pow(2).multiply(bm).compareTo(bb) > 0, name + " sandwich high");
            for (int j = 0; j < d; j++) {
                long n = w.tensor(name + ".n").at(i, j);
                assertEquals(w.tensor(input).at(i, j) * r, (n << s) + w.tensor(name + ".n.rem").at(i, j));
                QuantizedModel.QTensor wt = qm.tensor(weight);
                assertEquals(n * wt.values()[j], (w.tensor(name + ".out").at(i, j) << wt.fracBits())
                        + w.tensor(name + ".out.rem").at(i, j));
            }
        }
    }

    static void checkMatmul(Witness w, String x, QuantizedModel.QTensor wt, String y) {
        int t = w.tokens().length, in = wt.cols(), f = wt.fracBits();
        long half = f == 0 ? 0 : 1L << (f - 1);
        for (int i = 0; i < t; i++) {
            for (int o = 0; o < wt.rows(); o++) {
                long acc = 0;
                for (int j = 0; j < in; j++) {
                    acc += w.tensor(x).at(i, j) * wt.values()[o * in + j];
                }
                long rem = w.tensor(y + ".rem").at(i, o);
                assertEquals(acc, (w.tensor(y).at(i, o) << f) + rem, y);
                assertTrue(rem >= -half && (rem < half || f == 0), y + " remainder range");
            }
        }
    }

    @Test
    void closeToTheFloatModel() {
        Checkpoint ck = SyntheticModels.generate(GQA, 21);
        int[] tok = tokens(16, GQA.vocab(), 9);
        float[][] fl = new FloatReference(ck).logits(tok);
        long[][] fx = new FixedPointForward(QuantizedModel.quantize(ck, QuantParams.DEFAULT)).logits(tok);
        double maxErr = 0;
        for (int i = 0; i < tok.length; i++) {
            for (int v = 0; v < GQA.vocab(); v++) {
                maxErr = Math.max(maxErr, Math.abs(fx[i][v] / 65536.0 - fl[i][v]));
            }
        }
        assertTrue(maxErr < 0.01, "max logit error " + maxErr);
    }

    @Test
    void generationStopsAtTheStopTokenOrTheLimit() {
        FixedPointForward fx = forward(GQA, 4, QuantParams.DEFAULT);
        int[] prompt = tokens(5, GQA.vocab(), 1);
        int[] free = fx.generate(prompt, 6, -1);
        assertEquals(11, free.length);
        long[][] lg = fx.logits(java.util.Arrays.copyOf(free, 10));
        for (int i = 4; i < 10; i++) {
            assertEquals(FixedPointForward.argmax(lg[i]), free[i + 1], "greedy at " + i);
        }
        int k = 5;
        while (k < 10 && contains(free, 5, k, free[k])) {
            k++;
        }
        int first = k;
        assertArrayEquals(java.util.Arrays.copyOf(free, first + 1), fx.generate(prompt, 6, free[first]));
        assertEquals(GQA.maxSeq(), fx.generate(tokens(GQA.maxSeq() - 2, GQA.vocab(), 3), 10, -1).length);
        assertEquals(0, FixedPointForward.argmax(new long[] {5, 5, 1}));
        assertEquals(2, FixedPointForward.argmax(new long[] {5, 5, 6, 6}));
    }

    static boolean contains(int[] a, int from, int to, int v) {
        for (int i = from; i < to; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    @Test
    void failsLoudlyOnOverflowBadTokensAndUnsafeParameters() {
        // activations limited to 17 bits at scale 2^16 (|x| < 1): the normalised rows leave that range
        ZksparkException e = assertThrows(ZksparkException.class,
                () -> forward(GQA, 3, new QuantParams(16, 0, 17, 24, 8, 1, 12, 4, 512)).logits(tokens(8, GQA.vocab(), 1)));
        assertTrue(e.getMessage().contains("activation overflow"), e.getMessage());
        FixedPointForward fx = forward(GQA, 3, QuantParams.DEFAULT);
        assertEquals(ZksparkException.Code.BAD_INPUT,
                assertThrows(ZksparkException.class, () -> fx.logits(new int[] {0, GQA.vocab()})).code());
        assertThrows(ZksparkException.class, () -> fx.logits(new int[0]));
        assertThrows(ZksparkException.class, () -> fx.logits(new int[GQA.maxSeq() + 1]));
        // 40-bit activations: sums of squares reach 2^(78+) and must be refused before any arithmetic
        ZksparkException wrap = assertThrows(ZksparkException.class, () -> forward(GQA, 3,
                new QuantParams(16, 0, 40, 24, 10, 2, 12, 4, 512)));
        assertTrue(wrap.getMessage().contains("could wrap the field"), wrap.getMessage());
        assertTrue(wrap.getMessage().contains("sum of squares"), wrap.getMessage());
    }

    @Test
    void boundsOfTheBundledModelStayBelowTheLimit() {
        QuantizedModel qm = QuantizedModel.quantize(Bundled.model(), QuantParams.DEFAULT);
        double worst = 0;
        for (BoundAnalysis.Bound b : BoundAnalysis.check(qm)) {
            worst = Math.max(worst, b.bits());
        }
        assertTrue(worst < BoundAnalysis.LIMIT_BITS && worst > 50, "worst bound 2^" + worst);
    }
}
