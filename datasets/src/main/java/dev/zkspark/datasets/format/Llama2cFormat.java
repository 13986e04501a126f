package dev.zkspark.datasets.format;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * llama2.c checkpoints (Karpathy's {@code run.c} legacy format): a header of seven little-endian
 * int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size
 * means the classifier is stored separately at the end) followed by float32 tensors in the order
 * token embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1 (gate), w2 (down), w3 (up), rms_final,
 * freq_cis_real, freq_cis_imag (skipped), [wcls].
 *
 * <p>llama2.c keeps q and k rows in the interleaved (Meta) RoPE layout; {@link Checkpoint} uses the
 * Hugging Face rotate-half layout, so wq/wk rows are permuted on read and back on write. RMSNorm
 * epsilon (1e-5) and RoPE theta (10000) are llama2.c's fixed values.
 */
public final class Llama2cFormat {
    private Llama2cFormat() {}

    public static Checkpoint read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 28) {
                throw bad(file, "too short for a llama2.c header (" + size + " bytes)");
            }
            if (size > Integer.MAX_VALUE) {
                throw ZksparkException.unsupported(file + ": llama2.c files over 2 GiB (use safetensors)");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            int dim = map.getInt(), hidden = map.getInt(), layers = map.getInt(), heads = map.getInt();
            int kv = map.getInt(), vocabSigned = map.getInt(), seq = map.getInt();
            boolean tied = vocabSigned > 0;
            int vocab = Math.abs(vocabSigned);
            LlamaConfig c;
            try {
                c = new LlamaConfig(dim, hidden, layers, heads, kv, vocab, seq, 1e-5f, 10000f, tied);
            } catch (IllegalArgumentException e) {
                throw bad(file, "not a llama2.c checkpoint (" + e.getMessage() + ")");
            }
            long expected = 28 + 4L * floatsExpected(c);
            if (size < expected) {
                throw bad(file, "truncated: " + size + " bytes, the header's shapes need " + expected);
            }
            if (size > expected) {
                throw bad(file, size + " bytes but the header's shapes need " + expected + " (wrong format or sizes?)");
            }
            FloatBuffer fb = map.asFloatBuffer();
            Map<String, float[]> t = new LinkedHashMap<>();
            int hd = c.headDim();
            float[] emb = take(fb, (long) vocab * dim);
            t.put("model.embed_tokens.weight", emb);
            float[][] rmsAtt = perLayer(fb, layers, dim);
            float[][] wq = perLayer(fb, layers, (long) dim * dim);
            float[][] wk = perLayer(fb, layers, (long) c.kvDim() * dim);
            float[][] wv = perLayer(fb, layers, (long) c.kvDim() * dim);
            float[][] wo = perLayer(fb, layers, (long) dim * dim);
            float[][] rmsFfn = perLayer(fb, layers, dim);
            float[][] w1 = perLayer(fb, layers, (long) hidden * dim);
            float[][] w2 = perLayer(fb, layers, (long) dim * hidden);
            float[][] w3 = perLayer(fb, layers, (long) hidden * dim);
            float[] rmsFinal = take(fb, dim);
            take(fb, (long) seq * hd / 2);
            take(fb, (long) seq * hd / 2);
            for (int l = 0; l < layers; l++) {
                t.put(Checkpoint.layer(l, "input_layernorm.weight"), rmsAtt[l]);
                t.put(Checkpoint.layer(l, "self_attn.q_proj.weight"), toRotateHalf(wq[l], heads, hd, dim));
                t.put(Checkpoint.layer(l, "self_attn.k_proj.weight"), toRotateHalf(wk[l], kv, hd, dim));
                t.put(Checkpoint.layer(l, "self_attn.v_proj.weight"), wv[l]);
                t.put(Checkpoint.layer(l, "self_attn.o_proj.weight"), wo[l]);
                t.put(Checkpoint.layer(l, "post_attention_layernorm.weight"), rmsFfn[l]);
                t.put(Checkpoint.layer(l, "mlp.gate_proj.weight"), w1[l]);
                t.put(Checkpoint.layer(l, "mlp.down_proj.weight"), w2[l]);
                t.put(Checkpoint.layer(l, "mlp.up_proj.weight"), w3[l]);
            }
            t.put("model.norm.weight", rmsFinal);
            if (!tied) {
                t.put("lm_head.weight", take(fb, (long) vocab * dim));
            }
            return new Checkpoint(c, t, Checkpoint.expectedShapes(c));
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Writes atomically (temporary file, then rename). */
    public static void write(Checkpoint ck, Path file) {
        LlamaConfig c = ck.config();
        AtomicFile.write(file, out -> {
            ByteBuffer h = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(c.dim()).putInt(c.hiddenDim()).putInt(c.layers()).putInt(c.heads()).putInt(c.kvHeads())
                    .putInt(c.tiedEmbeddings() ? c.vocab() : -c.vocab()).putInt(c.maxSeq());
            out.write(h.array());
            int hd = c.headDim();
            put(out, ck.tensor("model.embed_tokens.weight"));
            for (String suffix : new String[] {"input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.k_proj.weight",
                "self_attn.v_proj.weight", "self_attn.o_proj.weight", "post_attention_layernorm.weight", "mlp.gate_proj.weight",
                "mlp.down_proj.weight", "mlp.up_proj.weight"}) {
                for (int l = 0; l < c.layers(); l++) {
                    float[] w = ck.tensor(Checkpoint.layer(l, suffix));
                    if (suffix.startsWith("self_attn.q")) {
                        w = toInterleaved(w, c.heads(), hd, c.dim());
                    } else if (suffix.startsWith("self_attn.k")) {
                        w = toInterleaved(w, c.kvHeads(), hd, c.dim());
                    }
                    put(out, w);
                }
            }
            put(out, ck.tensor("model.norm.weight"));
            float[] re = new float[c.maxSeq() * hd / 2];
            float[] im = new float[re.length];
            for (int pos = 0; pos < c.maxSeq(); pos++) {
                for (int i = 0; i < hd / 2; i++) {
                    double ang = pos / Math.pow(c.ropeTheta(), 2.0 * i / hd);
                    re[pos * hd / 2 + i] = (float) Math.cos(ang);
                    im[pos * hd / 2 + i] = (float) Math.sin(ang);
                }
            }
            put(out, re);
            put(out, im);
            if (!c.tiedEmbeddings()) {
                put(out, ck.tensor("lm_head.weight"));
            }
        });
    }

    static long floatsExpected(LlamaConfig c) {
        long d = c.dim(), h = c.hiddenDim(), l = c.layers(), kvd = c.kvDim();
        long n = (long) c.vocab() * d + l * (2 * d + 2 * d * d + 2 * kvd * d + 3 * d * h) + d
                + (long) c.maxSeq() * c.headDim();
        return c.tiedEmbeddings() ? n : n + (long) c.vocab() * d;
    }

    /**
     * Meta rows (pairs 2i, 2i+1 rotate together) to Hugging Face rows (i and i + hd/2): within each
     * head, HF row (half, i) is Meta row 2i + half.
     */
    static float[] toRotateHalf(float[] w, int heads, int hd, int cols) {
        return permuteRows(w, heads, hd, cols, true);
    }

    static float[] toInterleaved(float[] w, int heads, int hd, int cols) {
        return permuteRows(w, heads, hd, cols, false);
    }

    private static float[] permuteRows(float[] w, int heads, int hd, int cols, boolean toHf) {
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int half = 0; half < 2; half++) {
                for (int i = 0; i < hd / 2; i++) {
                    int hf = h * hd + half * (hd / 2) + i;
                    int meta = h * hd + 2 * i + half;
                    System.arraycopy(w, (toHf ? meta : hf) * cols, out, (toHf ? hf : meta) * cols, cols);
                }
            }
        }
        return out;
    }

    private static float[] take(FloatBuffer fb, long n) {
        float[] a = new float[(int) n];
        fb.get(a);
        return a;
    }

    private static float[][] perLayer(FloatBuffer fb, int layers, long n) {
        float[][] out = new float[layers][];
        for (int l = 0; l < layers; l++) {
            out[l] = take(fb, n);
        }
        return out;
    }

    private static void put(OutputStream out, float[] a) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        out.write(b.array());
    }

    private static ZksparkException bad(Path file, String why) {
        return ZksparkException.badInput(file + ": " + why);
    }
}
