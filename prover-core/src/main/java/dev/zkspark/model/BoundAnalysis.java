package dev.zkspark.model;

import dev.zkspark.core.ZksparkException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Worst-case magnitudes of every intermediate of the fixed-point forward pass (docs/FIXED_POINT.md,
 * "Bounds"), from the quantization parameters and the actual quantized weights.
 *
 * <p>Why this is enough for soundness of the arithmetic: the proof range-checks every stored
 * activation into B bits, so each operation's inputs are bounded; if every value computed from
 * bounded inputs (and every difference the proof range-checks) stays below 2^62 < p/2, then equalities
 * that hold mod p hold over the integers, and the field computation is the integer computation.
 */
public final class BoundAnalysis {
    /** Every bound must be below 2^LIMIT_BITS (DESIGN §2). */
    public static final int LIMIT_BITS = 62;

    /** One intermediate's worst-case magnitude. */
    public record Bound(String op, BigInteger magnitude) {
        public double bits() {
            return magnitude.signum() == 0 ? 0 : log2(magnitude);
        }
    }

    private BoundAnalysis() {}

    /** All bounds, in forward-pass order; does not throw. */
    public static List<Bound> bounds(QuantizedModel m) {
        QuantParams p = m.params();
        LlamaConfig c = m.config();
        int s = p.scaleBits(), b = p.activationBits();
        BigInteger act = pow2(b - 1);
        List<Bound> out = new ArrayList<>();
        QuantizedModel.QTensor emb = m.tensor("model.embed_tokens.weight");
        out.add(new Bound("embedding rows at scale 2^s", BigInteger.valueOf(emb.maxAbs()).shiftLeft(s - emb.fracBits())));
        for (int l = 0; l < c.layers(); l++) {
            norm(out, "layer " + l + " attention RMSNorm", m, Checkpoint.layer(l, "input_layernorm.weight"));
            for (String w : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                matmul(out, m.tensor(Checkpoint.layer(l, "self_attn." + w + ".weight")), act);
            }
            out.add(new Bound("layer " + l + " RoPE products", act.shiftLeft(s + 1)));
            out.add(new Bound("layer " + l + " attention scores q.k", act.multiply(act).multiply(BigInteger.valueOf(c.headDim()))));
            out.add(new Bound("layer " + l + " score scaling z0*cs", act.multiply(BigInteger.valueOf(scoreScale(s, m.logical().headDim())))));
            out.add(new Bound("layer " + l + " softmax exp products", pow2(2 * s)));
            out.add(new Bound("layer " + l + " softmax shift delta", pow2(b)));
            out.add(new Bound("layer " + l + " attention mix a.v", act.multiply(pow2(s).add(BigInteger.valueOf(p.rowSumTolerance())))));
            out.add(new Bound("layer " + l + " residual adds", pow2(b)));
            norm(out, "layer " + l + " FFN RMSNorm", m, Checkpoint.layer(l, "post_attention_layernorm.weight"));
            for (String w : new String[] {"gate_proj", "up_proj", "down_proj"}) {
                matmul(out, m.tensor(Checkpoint.layer(l, "mlp." + w + ".weight")), act);
            }
            out.add(new Bound("layer " + l + " SiLU g*sigmoid", act.shiftLeft(s)));
            out.add(new Bound("layer " + l + " SwiGLU silu*u", act.multiply(act)));
        }
        norm(out, "final RMSNorm", m, "model.norm.weight");
        matmul(out, m.classifier(), act);
        out.add(new Bound("greedy argmax differences", pow2(b)));
        return out;
    }

    /**
     * Refuses parameters under which some intermediate could reach 2^62 (so wrap around p), or
     * under which the embedding rows do not fit the activation range.
     */
    public static List<Bound> check(QuantizedModel m) {
        List<Bound> all = bounds(m);
        for (Bound bd : all) {
            if (bd.magnitude().bitLength() > LIMIT_BITS) {
                throw ZksparkException.badInput(String.format(
                        "quantization parameters could wrap the field: %s reaches 2^%.1f (limit 2^%d); lower activationBits or scaleBits",
                        bd.op(), bd.bits(), LIMIT_BITS));
            }
        }
        Bound emb = all.get(0);
        if (emb.magnitude().bitLength() > m.params().activationBits() - 1) {
            throw ZksparkException.badInput(String.format(
                    "the embedding needs 2^%.1f, outside the %d-bit activation range; raise activationBits",
                    emb.bits(), m.params().activationBits()));
        }
        return all;
    }

    /** cs = roundHalfUp(2^s / sqrt(hd)), the score scale of docs/FIXED_POINT.md. */
    public static long scoreScale(int s, int headDim) {
        return QuantizedModel.roundHalfUp(Math.scalb(1.0, s) / StrictMath.sqrt(headDim));
    }

    private static void matmul(List<Bound> out, QuantizedModel.QTensor w, BigInteger act) {
        out.add(new Bound("matmul " + w.name(), act.multiply(BigInteger.valueOf(w.maxRowL1()))));
    }

    private static void norm(List<Bound> out, String what, QuantizedModel m, String weight) {
        QuantParams p = m.params();
        int s = p.scaleBits(), sm = p.normScaleBits(), b = p.activationBits();
        // the real width: a padded model's extra columns are zero (its zero weights force them to 0)
        int d = m.logical().dim();
        BigInteger act = pow2(b - 1);
        BigInteger ss = act.multiply(act).multiply(BigInteger.valueOf(d));
        long eps = normEpsilon(m.config(), p);
        BigInteger k = pow2(2 * s + sm);
        BigInteger rMax = k.divide(BigInteger.valueOf(eps)).sqrt();
        // ms <= ss / D + 1 with D = d 2^(2s - sm); m = ms + e
        BigInteger mMax = ss.divide(BigInteger.valueOf(d).shiftLeft(2 * s - sm)).add(BigInteger.valueOf(eps + 1));
        // (r+1)^2 m <= K + 2 sqrt(K m) + m, the larger side of the sandwich
        BigInteger sandwich = k.add(k.multiply(mMax).sqrt().shiftLeft(1)).add(mMax).add(BigInteger.ONE);
        out.add(new Bound(what + " sum of squares", ss));
        out.add(new Bound(what + " rsqrt sandwich", sandwich));
        out.add(new Bound(what + " x*rsqrt", act.multiply(rMax)));
        out.add(new Bound(what + " n*weight", act.multiply(BigInteger.valueOf(m.tensor(weight).maxAbs()))));
    }

    /** e = max(1, roundHalfUp(eps 2^sm)): RMSNorm's epsilon at the mean-square scale. */
    public static long normEpsilon(LlamaConfig c, QuantParams p) {
        return Math.max(1, QuantizedModel.roundHalfUp((double) c.normEps() * Math.scalb(1.0, p.normScaleBits())));
    }

    private static BigInteger pow2(int k) {
        return BigInteger.ONE.shiftLeft(k);
    }

    private static double log2(BigInteger v) {
        int shift = Math.max(0, v.bitLength() - 60);
        return shift + Math.log(v.shiftRight(shift).doubleValue()) / Math.log(2);
    }
}
