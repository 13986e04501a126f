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

    /**
     * The model's own sizes where they enter the arithmetic (RMSNorm divisor, RoPE frequencies and
     * score scale, the vocabulary the greedy choice ranges over); equal to the config's unless the
     * model was padded for proving.
     */
    public record Logical(int dim, int headDim, int vocab) {
        public static Logical of(LlamaConfig c) {
            return new Logical(c.dim(), c.headDim(), c.vocab());
        }
    }

    private final Logical logical;
    /** For a padded model: per tensor, which padded rows and columns hold real weights (a vector: rows only). */
    private final Map<String, boolean[][]> real;

    private QuantizedModel(LlamaConfig config, QuantParams params, Map<String, QTensor> tensors, Logical logical) {
        this(config, params, tensors, logical, Map.of());
    }

    private QuantizedModel(LlamaConfig config, QuantParams params, Map<String, QTensor> tensors, Logical logical,
            Map<String, boolean[][]> real) {
        this.config = config;
        this.params = params;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.logical = logical;
        this.real = Map.copyOf(real);
    }

    public Logical logical() {
        return logical;
    }

    /** Quantizes every tensor of the checkpoint; refuses a weight that cannot be represented. */
    public static QuantizedModel quantize(Checkpoint ck, QuantParams p) {
        Map<String, QTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : Checkpoint.expectedShapes(ck.config()).entrySet()) {
            out.put(e.getKey(), quantizeTensor(e.getKey(), e.getValue(), ck.tensor(e.getKey()), p));
        }
        return new QuantizedModel(ck.config(), p, out, Logical.of(ck.config()));
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
     * The model as the proof sees it: every dimension padded to a power of two with zero weights,
     * laid out so the padded computation equals the real one (docs/FIXED_POINT.md, "Padding"): the
     * residual width, the KV heads and the query heads per KV head, each half of a head (so RoPE's
     * rotate-half pairs stay pairs), the SwiGLU hidden width and the vocabulary; the maximum
     * sequence is rounded up. Padded units compute zeros (padded heads attend uniformly to zero
     * values), and the real sizes stay in {@link #logical()} for the arithmetic that needs them.
     */
    public QuantizedModel forProof() {
        int d = config.dim(), hd = config.headDim(), half = hd / 2, g = config.kvHeads(), r = config.heads() / g;
        int dP = pow2(d), halfP = pow2(half), gP = pow2(g), rP = pow2(r), fP = pow2(config.hiddenDim()), vP = pow2(config.vocab());
        int hdP = 2 * halfP;
        if (dP == d && halfP == half && gP == g && rP == r && fP == config.hiddenDim() && vP == config.vocab()
                && pow2(config.maxSeq()) == config.maxSeq()) {
            return this;
        }
        LlamaConfig pc = new LlamaConfig(dP, fP, config.layers(), gP * rP, gP, vP, pow2(config.maxSeq()), config.normEps(),
                config.ropeTheta(), config.tiedEmbeddings());
        int[] id = new int[Math.max(Math.max(d, config.hiddenDim()), config.vocab())];
        for (int i = 0; i < id.length; i++) {
            id[i] = i;
        }
        int[] qMap = new int[config.heads() * hd], kvMap = new int[g * hd];
        for (int gi = 0; gi < g; gi++) {
            for (int e = 0; e < hd; e++) {
                int hf = e / half, e2 = e % half;
                for (int ri = 0; ri < r; ri++) {
                    qMap[(gi * r + ri) * hd + e] = ((gi * rP + ri) * 2 + hf) * halfP + e2;
                }
                kvMap[gi * hd + e] = (gi * 2 + hf) * halfP + e2;
            }
        }
        Map<String, QTensor> out = new LinkedHashMap<>();
        Map<String, boolean[][]> realOut = new LinkedHashMap<>();
        for (QTensor q : tensors.values()) {
            String n = q.name();
            int[] shape;
            int[] rowMap;
            int[] colMap;
            if (q.shape().length == 1) {
                shape = new int[] {dP};
                rowMap = id;
                colMap = null;
            } else if (n.endsWith("q_proj.weight")) {
                shape = new int[] {gP * rP * hdP, dP};
                rowMap = qMap;
                colMap = id;
            } else if (n.endsWith("k_proj.weight") || n.endsWith("v_proj.weight")) {
                shape = new int[] {gP * hdP, dP};
                rowMap = kvMap;
                colMap = id;
            } else if (n.endsWith("o_proj.weight")) {
                shape = new int[] {dP, gP * rP * hdP};
                rowMap = id;
                colMap = qMap;
            } else if (n.endsWith("gate_proj.weight") || n.endsWith("up_proj.weight")) {
                shape = new int[] {fP, dP};
                rowMap = id;
                colMap = id;
            } else if (n.endsWith("down_proj.weight")) {
                shape = new int[] {dP, fP};
                rowMap = id;
                colMap = id;
            } else {
                shape = new int[] {vP, dP}; // embedding, lm_head
                rowMap = id;
                colMap = id;
            }
            out.put(n, remap(q, shape, rowMap, colMap));
            realOut.put(n, shape.length == 1 ? new boolean[][] {image(rowMap, q.shape()[0], shape[0])}
                    : new boolean[][] {image(rowMap, q.shape()[0], shape[0]), image(colMap, q.shape()[1], shape[1])});
        }
        return new QuantizedModel(pc, params, out, logical, realOut);
    }

    /** Flags over {@code size} padded indices: which ones the first {@code count} real indices map to. */
    private static boolean[] image(int[] map, int count, int size) {
        boolean[] f = new boolean[size];
        for (int i = 0; i < count; i++) {
            f[map[i]] = true;
        }
        return f;
    }

    /**
     * For a model padded by {@link #forProof()}: which padded rows and which padded columns of
     * tensor {@code name} hold its real weights (a vector: one array, its entries); every other entry
     * is a padding zero. Null for a model that needed no padding.
     */
    public boolean[][] realIndices(String name) {
        boolean[][] r = real.get(name);
        if (r == null) {
            return null;
        }
        boolean[][] out = new boolean[r.length][];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[i].clone();
        }
        return out;
    }

    private static int pow2(int n) {
        int p = Integer.highestOneBit(n);
        return p < n ? p << 1 : p;
    }

    /** Places row i at rowMap[i] and column j at colMap[j] (a vector uses rowMap only) in a zero tensor. */
    private static QTensor remap(QTensor q, int[] shape, int[] rowMap, int[] colMap) {
        long[] v;
        if (shape.length == 1) {
            v = new long[shape[0]];
            for (int i = 0; i < q.values().length; i++) {
                v[rowMap[i]] = q.values()[i];
            }
        } else {
            int rows = q.shape()[0], cols = q.shape()[1];
            v = new long[shape[0] * shape[1]];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    v[rowMap[i] * shape[1] + colMap[j]] = q.values()[i * cols + j];
                }
            }
        }
        return new QTensor(q.name(), shape, q.fracBits(), v, q.maxAbs(), q.maxRowL1());
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
