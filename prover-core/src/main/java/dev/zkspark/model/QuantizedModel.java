package dev.zkspark.model;

import dev.zkspark.core.ZksparkException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint quantized under {@link QuantParams} (docs/FIXED_POINT.md, "Primitives"): every
 * weight tensor as signed integers at its own power-of-two scale 2^f. Tensors keep the canonical
 * order of {@link Checkpoint#expectedShapes}, which is the order the model commitment stacks them in.
 */
public final class QuantizedModel {

    /**
     * One quantized tensor: {@code values[i] = roundHalfUp(w[i] * 2^fracBits)}, row-major.
     * {@code maxAbs} and {@code maxRowL1} (over the last dimension) feed the bound analysis.
     */
    public record QTensor(String name, int[] shape, int fracBits, long[] values, long maxAbs, long maxRowL1) {
        public int rows() {
            return shape.length == 1 ? 1 : shape[0];
        }

        public int cols() {
            return shape[shape.length - 1];
        }
    }

    private final LlamaConfig config;
    private final QuantParams params;
    private final Map<String, QTensor> tensors;

    private QuantizedModel(LlamaConfig config, QuantParams params, Map<String, QTensor> tensors) {
        this.config = config;
        this.params = params;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Quantizes every tensor of the checkpoint; refuses a weight that cannot be represented. */
    public static QuantizedModel quantize(Checkpoint ck, QuantParams p) {
        Map<String, QTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : Checkpoint.expectedShapes(ck.config()).entrySet()) {
            out.put(e.getKey(), quantizeTensor(e.getKey(), e.getValue(), ck.tensor(e.getKey()), p));
        }
        return new QuantizedModel(ck.config(), p, out);
    }

    static QTensor quantizeTensor(String name, int[] shape, float[] w, QuantParams p) {
        double maxAbs = 0;
        for (float v : w) {
            if (!Float.isFinite(v)) {
                throw ZksparkException.badInput("tensor " + name + " holds a non-finite weight");
            }
            maxAbs = Math.max(maxAbs, Math.abs((double) v));
        }
        int f = fracBits(name, maxAbs, p);
        double scale = Math.scalb(1.0, f);
        long[] q = new long[w.length];
        long qMax = 0;
        for (int i = 0; i < w.length; i++) {
            q[i] = roundHalfUp(w[i] * scale);
            qMax = Math.max(qMax, Math.abs(q[i]));
        }
        int cols = shape[shape.length - 1];
        long rowL1 = 0;
        for (int r = 0; r < w.length / cols; r++) {
            long acc = 0;
            for (int j = 0; j < cols; j++) {
                acc += Math.abs(q[r * cols + j]);
            }
            rowL1 = Math.max(rowL1, acc);
        }
        return new QTensor(name, shape.clone(), f, q, qMax, rowL1);
    }

    /**
     * Fractional bits of a tensor: s when there is no bit budget, else the largest f <= s with
     * max |roundHalfUp(w 2^f)| <= 2^(bits-1) - 1, and f >= 0 (a tensor that would need fewer
     * fractional bits is refused). Weights so large that 40 bits at scale 2^s do not hold them are
     * refused rather than wrapped.
     */
    static int fracBits(String name, double maxAbs, QuantParams p) {
        if (p.weightBits() == 0) {
            if (Math.abs(roundHalfUp(maxAbs * Math.scalb(1.0, p.scaleBits()))) >= 1L << 40) {
                throw ZksparkException.badInput("tensor " + name + " has a weight of magnitude " + maxAbs
                        + ", too large for scale 2^" + p.scaleBits());
            }
            return p.scaleBits();
        }
        long limit = (1L << (p.weightBits() - 1)) - 1;
        for (int f = p.scaleBits(); f >= 0; f--) {
            if (roundHalfUp(maxAbs * Math.scalb(1.0, f)) <= limit) {
                return f;
            }
        }
        throw ZksparkException.badInput("tensor " + name + " has a weight of magnitude " + maxAbs + ", too large for "
                + p.weightBits() + "-bit weights");
    }

    /** floor(x + 0.5): the one rounding rule of docs/FIXED_POINT.md. */
    public static long roundHalfUp(double x) {
        return (long) Math.floor(x + 0.5);
    }

    public LlamaConfig config() {
        return config;
    }

    public QuantParams params() {
        return params;
    }

    public QTensor tensor(String name) {
        QTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return t;
    }

    /** The classifier [vocab, dim]: lm_head, or the embedding when tied. */
    public QTensor classifier() {
        return config.tiedEmbeddings() ? tensor("model.embed_tokens.weight") : tensor("lm_head.weight");
    }

    /** Tensors in canonical (commitment) order. */
    public List<QTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    /**
     * The model as the proof sees it: the SwiGLU hidden dimension padded to a power of two with zero
     * rows of gate and up and zero columns of down (the padded units compute 0 and change nothing),
     * and the maximum sequence rounded up to a power of two. Other dimensions must already be
     * powers of two (InferenceCircuit says which one is not).
     */
    public QuantizedModel forProof() {
        int hidden = Integer.highestOneBit(config.hiddenDim());
        if (hidden < config.hiddenDim()) {
            hidden <<= 1;
        }
        int seq = Integer.highestOneBit(config.maxSeq());
        if (seq < config.maxSeq()) {
            seq <<= 1;
        }
        if (hidden == config.hiddenDim() && seq == config.maxSeq()) {
            return this;
        }
        LlamaConfig pc = new LlamaConfig(config.dim(), hidden, config.layers(), config.heads(), config.kvHeads(), config.vocab(),
                seq, config.normEps(), config.ropeTheta(), config.tiedEmbeddings());
        Map<String, QTensor> out = new LinkedHashMap<>();
        int dim = config.dim(), f = config.hiddenDim();
        for (QTensor q : tensors.values()) {
            QTensor padded = q;
            if (q.name().endsWith("mlp.gate_proj.weight") || q.name().endsWith("mlp.up_proj.weight")) {
                long[] v = java.util.Arrays.copyOf(q.values(), hidden * dim);
                padded = new QTensor(q.name(), new int[] {hidden, dim}, q.fracBits(), v, q.maxAbs(), q.maxRowL1());
            } else if (q.name().endsWith("mlp.down_proj.weight")) {
                long[] v = new long[dim * hidden];
                for (int r = 0; r < dim; r++) {
                    System.arraycopy(q.values(), r * f, v, r * hidden, f);
                }
                padded = new QTensor(q.name(), new int[] {dim, hidden}, q.fracBits(), v, q.maxAbs(), q.maxRowL1());
            }
            out.put(q.name(), padded);
        }
        return new QuantizedModel(pc, params, out);
    }

    /** Fractional bits of every tensor (public: the verifier needs the rescale shifts). */
    public Map<String, Integer> fracBits() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (QTensor q : tensors.values()) {
            m.put(q.name(), q.fracBits());
        }
        return m;
    }
}
