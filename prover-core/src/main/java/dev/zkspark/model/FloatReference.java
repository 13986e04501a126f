package dev.zkspark.model;

/**
 * The float reference forward pass of a Llama model (DESIGN §1, Hugging Face conventions): token
 * embedding, per layer RMSNorm, q/k/v projections, rotate-half RoPE, grouped-query causal
 * attention with 1/sqrt(head dim), output projection, residual, RMSNorm, SwiGLU FFN, residual; final
 * RMSNorm and the classifier. Arithmetic in double for a stable reference. This is what the
 * fixed-point forward pass (the witness that proofs check) is compared with.
 */
public final class FloatReference {
    private final Checkpoint ck;
    private final LlamaConfig c;

    public FloatReference(Checkpoint ck) {
        this.ck = ck;
        this.c = ck.config();
    }

    /** Logits [T][vocab] for every position of the token sequence (causal). */
    public float[][] logits(int[] tokens) {
        int t = tokens.length;
        if (t == 0 || t > c.maxSeq()) {
            throw new IllegalArgumentException("sequence length " + t + " outside 1.." + c.maxSeq());
        }
        int d = c.dim();
        double[][] x = new double[t][d];
        float[] emb = ck.tensor("model.embed_tokens.weight");
        for (int i = 0; i < t; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocab()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " outside the vocabulary");
            }
            for (int j = 0; j < d; j++) {
                x[i][j] = emb[tokens[i] * d + j];
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            layer(l, x);
        }
        float[] cls = ck.classifier();
        float[] norm = ck.tensor("model.norm.weight");
        float[][] out = new float[t][c.vocab()];
        for (int i = 0; i < t; i++) {
            double[] h = rmsNorm(x[i], norm);
            for (int v = 0; v < c.vocab(); v++) {
                double acc = 0;
                for (int j = 0; j < d; j++) {
                    acc += h[j] * cls[v * d + j];
                }
                out[i][v] = (float) acc;
            }
        }
        return out;
    }

    /** Greedy continuation (ties to the lowest id), stopping at {@code stop} or after maxNew tokens. */
    public int[] generate(int[] prompt, int maxNew, int stop) {
        int[] seq = prompt.clone();
        for (int k = 0; k < maxNew && seq.length < c.maxSeq(); k++) {
            float[] last = logits(seq)[seq.length - 1];
            int best = 0;
            for (int v = 1; v < last.length; v++) {
                if (last[v] > last[best]) {
                    best = v;
                }
            }
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = best;
            if (best == stop) {
                break;
            }
        }
        return seq;
    }

    private void layer(int l, double[][] x) {
        int t = x.length, d = c.dim(), hd = c.headDim(), kvd = c.kvDim(), group = c.heads() / c.kvHeads();
        double[][] q = new double[t][], k = new double[t][], v = new double[t][];
        float[] attNorm = ck.tensor(Checkpoint.layer(l, "input_layernorm.weight"));
        for (int i = 0; i < t; i++) {
            double[] h = rmsNorm(x[i], attNorm);
            q[i] = rope(matvec(ck.tensor(Checkpoint.layer(l, "self_attn.q_proj.weight")), h, d), i, c.heads());
            k[i] = rope(matvec(ck.tensor(Checkpoint.layer(l, "self_attn.k_proj.weight")), h, kvd), i, c.kvHeads());
            v[i] = matvec(ck.tensor(Checkpoint.layer(l, "self_attn.v_proj.weight")), h, kvd);
        }
        float[] wo = ck.tensor(Checkpoint.layer(l, "self_attn.o_proj.weight"));
        double scale = 1 / Math.sqrt(hd);
        for (int i = 0; i < t; i++) {
            double[] att = new double[d];
            for (int h = 0; h < c.heads(); h++) {
                int kvh = h / group;
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double acc = 0;
                    for (int e = 0; e < hd; e++) {
                        acc += q[i][h * hd + e] * k[j][kvh * hd + e];
                    }
                    s[j] = acc * scale;
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    double a = s[j] / sum;
                    for (int e = 0; e < hd; e++) {
                        att[h * hd + e] += a * v[j][kvh * hd + e];
                    }
                }
            }
            double[] o = matvec(wo, att, d);
            for (int j = 0; j < d; j++) {
                x[i][j] += o[j];
            }
        }
        float[] ffnNorm = ck.tensor(Checkpoint.layer(l, "post_attention_layernorm.weight"));
        float[] gate = ck.tensor(Checkpoint.layer(l, "mlp.gate_proj.weight"));
        float[] up = ck.tensor(Checkpoint.layer(l, "mlp.up_proj.weight"));
        float[] down = ck.tensor(Checkpoint.layer(l, "mlp.down_proj.weight"));
        for (int i = 0; i < t; i++) {
            double[] h = rmsNorm(x[i], ffnNorm);
            double[] g = matvec(gate, h, c.hiddenDim());
            double[] u = matvec(up, h, c.hiddenDim());
            for (int j = 0; j < g.length; j++) {
                g[j] = g[j] / (1 + Math.exp(-g[j])) * u[j];
            }
            double[] o = matvec(down, g, d);
            for (int j = 0; j < d; j++) {
                x[i][j] += o[j];
            }
        }
    }

    private double[] rmsNorm(double[] x, float[] w) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double r = 1 / Math.sqrt(ss / x.length + c.normEps());
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = x[j] * r * w[j];
        }
        return out;
    }

    /** Rotate-half RoPE: element e pairs with e + hd/2 within each head. */
    private double[] rope(double[] x, int pos, int heads) {
        int hd = c.headDim();
        double[] out = x.clone();
        for (int h = 0; h < heads; h++) {
            for (int e = 0; e < hd / 2; e++) {
                double ang = pos / Math.pow(c.ropeTheta(), 2.0 * e / hd);
                double cos = Math.cos(ang), sin = Math.sin(ang);
                double a = x[h * hd + e], b = x[h * hd + e + hd / 2];
                out[h * hd + e] = a * cos - b * sin;
                out[h * hd + e + hd / 2] = b * cos + a * sin;
            }
        }
        return out;
    }

    private static double[] matvec(float[] w, double[] x, int rows) {
        int cols = x.length;
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                acc += w[o + j] * x[j];
            }
            out[r] = acc;
        }
        return out;
    }
}
