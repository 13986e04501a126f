package dev.zkspark.model;

import dev.zkspark.core.Parallel;
import dev.zkspark.core.ZksparkException;

/**
 * zkspark's fixed-point Llama forward pass, exactly as docs/FIXED_POINT.md specifies it: the
 * computation a proof checks, recorded as the {@link Witness}. Bit-exact and deterministic (integer
 * arithmetic; the few real constants come from StrictMath), independent of thread count.
 *
 * <p>The constructor runs {@link BoundAnalysis#check}, so no intermediate here can exceed 2^62 as
 * long as every stored activation passes the B-bit range check this class applies (and the proof
 * repeats); a value outside that range fails loudly as "activation overflow".
 */
public final class FixedPointForward {
    private final QuantizedModel m;
    private final LlamaConfig c;
    private final QuantParams p;
    private final int s;
    private final long actLimit;
    private final long normEps;
    private final long scoreScale;
    private final long[][] expTables;
    private final long[] sigmoidTable;
    private final int sigmoidMin;

    public FixedPointForward(QuantizedModel model) {
        BoundAnalysis.check(model);
        this.m = model;
        this.c = model.config();
        this.p = model.params();
        this.s = p.scaleBits();
        this.actLimit = 1L << (p.activationBits() - 1);
        this.normEps = BoundAnalysis.normEpsilon(c, p);
        this.scoreScale = BoundAnalysis.scoreScale(s, model.logical().headDim());
        this.expTables = expTables(p);
        this.sigmoidMin = -(1 << (p.sigmoidIntBits() + p.sigmoidFracBits()));
        this.sigmoidTable = sigmoidTable(p);
    }

    public QuantizedModel model() {
        return m;
    }

    /** The full witness of a forward pass over the tokens (teacher forcing, causal). */
    public Witness witness(int[] tokens) {
        return run(tokens, true);
    }

    /** Integer logits [T][vocab] at scale 2^s (the same computation, keeping only the logits). */
    public long[][] logits(int[] tokens) {
        return run(tokens, false).logits();
    }

    /**
     * Greedy continuation (ties to the lowest id) until {@code stop} is generated, maxNew tokens were
     * added or the sequence reaches maxSeq. Returns prompt ++ generated.
     */
    public int[] generate(int[] prompt, int maxNew, int stop) {
        int[] seq = prompt.clone();
        for (int k = 0; k < maxNew && seq.length < c.maxSeq(); k++) {
            long[][] lg = logits(seq);
            int next = argmax(java.util.Arrays.copyOf(lg[seq.length - 1], m.logical().vocab()));
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = next;
            if (next == stop) {
                break;
            }
        }
        return seq;
    }

    /** Index of the maximum, the lowest one on ties (the statement's decoding rule). */
    public static int argmax(long[] row) {
        int best = 0;
        for (int v = 1; v < row.length; v++) {
            if (row[v] > row[best]) {
                best = v;
            }
        }
        return best;
    }

    private Witness run(int[] tokens, boolean full) {
        int t = tokens.length;
        if (t == 0 || t > c.maxSeq()) {
            throw ZksparkException.badInput("sequence length " + t + " outside 1.." + c.maxSeq());
        }
        for (int tok : tokens) {
            if (tok < 0 || tok >= m.logical().vocab()) {
                throw ZksparkException.badInput("token id " + tok + " outside the vocabulary 0.." + (m.logical().vocab() - 1));
            }
        }
        Witness w = new Witness(tokens, full);
        int d = c.dim();
        QuantizedModel.QTensor emb = m.tensor("model.embed_tokens.weight");
        long[] x = new long[t * d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = emb.values()[tokens[i] * d + j] << (s - emb.fracBits());
            }
        }
        checkRange("embed.x", x);
        w.put("embed.x", x, t, d);
        for (int l = 0; l < c.layers(); l++) {
            x = layer(l, x, t, w);
        }
        long[] h = rmsNorm("final_norm", x, t, m.tensor("model.norm.weight"), w);
        QuantizedModel.QTensor cls = m.classifier();
        rescale("logits", matmul(h, t, cls), cls.fracBits(), w, t, c.vocab());
        return w;
    }

    private long[] layer(int l, long[] x, int t, Witness w) {
        String pre = "layer" + l + ".";
        int d = c.dim();
        long[] h = rmsNorm(pre + "attn_norm", x, t, m.tensor(Checkpoint.layer(l, "input_layernorm.weight")), w);
        long[] q = projection(pre + "q", h, t, Checkpoint.layer(l, "self_attn.q_proj.weight"), w);
        long[] k = projection(pre + "k", h, t, Checkpoint.layer(l, "self_attn.k_proj.weight"), w);
        long[] v = projection(pre + "v", h, t, Checkpoint.layer(l, "self_attn.v_proj.weight"), w);
        long[] qr = rope(pre + "q_rope", q, t, c.heads(), w);
        long[] kr = rope(pre + "k_rope", k, t, c.kvHeads(), w);
        long[] ctx = attention(pre, qr, kr, v, t, w);
        long[] o = projection(pre + "o", ctx, t, Checkpoint.layer(l, "self_attn.o_proj.weight"), w);
        long[] x1 = add(pre + "resid_attn", x, o, w, t, d);
        long[] h2 = rmsNorm(pre + "ffn_norm", x1, t, m.tensor(Checkpoint.layer(l, "post_attention_layernorm.weight")), w);
        long[] g = projection(pre + "gate", h2, t, Checkpoint.layer(l, "mlp.gate_proj.weight"), w);
        long[] u = projection(pre + "up", h2, t, Checkpoint.layer(l, "mlp.up_proj.weight"), w);
        long[] mlp = swiglu(pre, g, u, t, w);
        long[] y = projection(pre + "down", mlp, t, Checkpoint.layer(l, "mlp.down_proj.weight"), w);
        return add(pre + "resid_ffn", x1, y, w, t, d);
    }

    // ---- RMSNorm (docs/FIXED_POINT.md "RMSNorm") ----

    private long[] rmsNorm(String name, long[] x, int t, QuantizedModel.QTensor weight, Witness w) {
        int d = c.dim(), sm = p.normScaleBits();
        long divisor = (long) m.logical().dim() << (2 * s - sm);
        long big = 1L << (2 * s + sm);
        long[] ss = new long[t], ms = new long[t], msRem = new long[t], r = new long[t];
        long[] n = new long[t * d];
        for (int i = 0; i < t; i++) {
            long acc = 0;
            for (int j = 0; j < d; j++) {
                long xv = x[i * d + j];
                acc += xv * xv;
            }
            ss[i] = acc;
            ms[i] = Math.floorDiv(acc + divisor / 2, divisor);
            msRem[i] = acc - divisor * ms[i];
            long mm = ms[i] + normEps;
            r[i] = rsqrtFloor(big, mm);
            for (int j = 0; j < d; j++) {
                n[i * d + j] = x[i * d + j] * r[i];
            }
        }
        w.put(name + ".ss", ss, t);
        w.put(name + ".ms", ms, t);
        w.put(name + ".ms.rem", msRem, t);
        w.put(name + ".rsqrt", r, t);
        long[] nq = rescale(name + ".n", n, s, w, t, d);
        long[] scaled = new long[t * d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                scaled[i * d + j] = nq[i * d + j] * weight.values()[j];
            }
        }
        return rescale(name + ".out", scaled, weight.fracBits(), w, t, d);
    }

    /** The largest r with r^2 m <= big (m >= 1): floor(sqrt(big / m)). */
    static long rsqrtFloor(long big, long mm) {
        long q = big / mm; // floor(sqrt(floor(big/m))) = floor(sqrt(big/m))
        long r = (long) Math.sqrt((double) q);
        while (r * r > q) {
            r--;
        }
        while ((r + 1) * (r + 1) <= q) {
            r++;
        }
        return r;
    }

    // ---- projections, RoPE, residual ----

    private long[] projection(String name, long[] x, int t, String weight, Witness w) {
        QuantizedModel.QTensor wt = m.tensor(weight);
        return rescale(name, matmul(x, t, wt), wt.fracBits(), w, t, wt.rows());
    }

    /** Y[i, o] = sum_j X[i, j] W[o, j] for W [out, in]. */
    private static long[] matmul(long[] x, int t, QuantizedModel.QTensor wt) {
        int out = wt.rows(), in = wt.cols();
        long[] wv = wt.values();
        long[] y = new long[t * out];
        Parallel.forRange(t * out, (from, to) -> {
            for (int idx = from; idx < to; idx++) {
                int i = idx / out, o = idx % out;
                long acc = 0;
                int xo = i * in, wo = o * in;
                for (int j = 0; j < in; j++) {
                    acc += x[xo + j] * wv[wo + j];
                }
                y[idx] = acc;
            }
        });
        return y;
    }

    private long[] rope(String name, long[] x, int t, int heads, Witness w) {
        int hd = c.headDim(), half = hd / 2, width = heads * hd;
        long[] cos = new long[t * half], sin = new long[t * half];
        ropeTables(m.logical().headDim(), half, c.ropeTheta(), s, t, cos, sin);
        long[] out = new long[x.length];
        for (int i = 0; i < t; i++) {
            for (int h = 0; h < heads; h++) {
                int base = i * width + h * hd;
                for (int e = 0; e < half; e++) {
                    long a = x[base + e], b = x[base + e + half];
                    long cv = cos[i * half + e], sv = sin[i * half + e];
                    out[base + e] = a * cv - b * sv;
                    out[base + e + half] = b * cv + a * sv;
                }
            }
        }
        return rescale(name, out, s, w, t, width);
    }

    /**
     * cos/sin [t][half] at scale 2^s, as docs/FIXED_POINT.md "RoPE" defines them (public tables),
     * for a head of real width hd laid out in halves of {@code half >= hd/2} entries.
     */
    public static void ropeTables(int hd, int half, float ropeTheta, int s, int t, long[] cos, long[] sin) {
        double scale = Math.scalb(1.0, s);
        double theta = ropeTheta;
        for (int e = 0; e < half; e++) {
            double freq = StrictMath.pow(theta, -(2.0 * e) / hd);
            for (int i = 0; i < t; i++) {
                double angle = i * freq;
                cos[i * half + e] = QuantizedModel.roundHalfUp(StrictMath.cos(angle) * scale);
                sin[i * half + e] = QuantizedModel.roundHalfUp(StrictMath.sin(angle) * scale);
            }
        }
    }

    private long[] add(String name, long[] a, long[] b, Witness w, int... shape) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        checkRange(name, out);
        w.put(name, out, shape);
        return out;
    }

    // ---- zkAttn (docs/FIXED_POINT.md "Attention") ----

    private long[] attention(String pre, long[] q, long[] k, long[] v, int t, Witness w) {
        int heads = c.heads(), hd = c.headDim(), group = heads / c.kvHeads(), kvd = c.kvDim(), d = c.dim();
        long[] s0 = new long[heads * t * t];
        for (int h = 0; h < heads; h++) {
            int kh = (h / group) * hd;
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    long acc = 0;
                    for (int e = 0; e < hd; e++) {
                        acc += q[i * d + h * hd + e] * k[j * kvd + kh + e];
                    }
                    s0[(h * t + i) * t + j] = acc;
                }
            }
        }
        long[] z0 = rescale(pre + "scores0", s0, s, w, heads, t, t);
        long[] zs = new long[z0.length];
        for (int i = 0; i < z0.length; i++) {
            zs[i] = z0[i] * scoreScale;
        }
        long[] z = rescale(pre + "scores", zs, s, w, heads, t, t);

        int lowDigits = p.expLowDigits(), digitBits = p.expDigitBits();
        long[] shift = new long[heads * t];
        long[] delta = new long[heads * t * t];
        long[][] digits = new long[lowDigits + 1][heads * t * t];
        // partial products: partial[k] = rescale_s(partial[k+1] * E_k[dg_k]), partial[K] = E_K[dg_K]
        long[][] partialRaw = new long[lowDigits][heads * t * t];
        double scale = Math.scalb(1.0, s);
        long one = 1L << s;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                int row = (h * t + i) * t;
                long zmax = Long.MIN_VALUE;
                for (int j = 0; j <= i; j++) {
                    zmax = Math.max(zmax, z[row + j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    sum += StrictMath.exp((z[row + j] - zmax) / scale);
                }
                long mu = QuantizedModel.roundHalfUp(scale * (zmax / scale + StrictMath.log(sum)));
                shift[h * t + i] = mu;
                for (int j = 0; j <= i; j++) {
                    long dl = mu - z[row + j];
                    if (dl < 0 || dl >= 2 * actLimit) {
                        throw new ZksparkException(ZksparkException.Code.INTERNAL,
                                "softmax shift out of range at " + pre + "head " + h + " row " + i + ": " + dl);
                    }
                    delta[row + j] = dl;
                    for (int kk = 0; kk < lowDigits; kk++) {
                        digits[kk][row + j] = (dl >>> (kk * digitBits)) & ((1L << digitBits) - 1);
                    }
                    digits[lowDigits][row + j] = dl >>> (lowDigits * digitBits);
                }
            }
        }
        w.put(pre + "shift", shift, heads, t);
        w.put(pre + "delta", delta, heads, t, t);
        for (int kk = 0; kk <= lowDigits; kk++) {
            w.put(pre + "exp.digit" + kk, digits[kk], heads, t, t);
        }
        // Product top digit first; masked entries (j > i) have all digits 0, so their product is 2^s.
        long[] prod = new long[heads * t * t];
        for (int i = 0; i < prod.length; i++) {
            prod[i] = expTables[lowDigits][(int) digits[lowDigits][i]];
        }
        w.put(pre + "exp.factor" + lowDigits, prod.clone(), heads, t, t);
        for (int kk = lowDigits - 1; kk >= 0; kk--) {
            long[] factor = new long[prod.length];
            for (int i = 0; i < prod.length; i++) {
                factor[i] = expTables[kk][(int) digits[kk][i]];
                partialRaw[kk][i] = prod[i] * factor[i];
            }
            w.put(pre + "exp.factor" + kk, factor, heads, t, t);
            prod = rescale(pre + "exp.prod" + kk, partialRaw[kk], s, w, heads, t, t);
        }
        long[] a = new long[prod.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                int row = (h * t + i) * t;
                long rowSum = 0;
                for (int j = 0; j <= i; j++) {
                    a[row + j] = prod[row + j];
                    rowSum += a[row + j];
                }
                if (rowSum - one < -p.rowSumTolerance() || rowSum - one >= p.rowSumTolerance()) {
                    throw new ZksparkException(ZksparkException.Code.UNSUPPORTED, "softmax row sum at " + pre + "head " + h
                            + " row " + i + " is off by " + (rowSum - one) + " units, above rowSumTolerance "
                            + p.rowSumTolerance() + "; raise it or scaleBits");
                }
            }
        }
        w.put(pre + "attn", a, heads, t, t);
        long[] mix = new long[t * d];
        for (int h = 0; h < heads; h++) {
            int kh = (h / group) * hd;
            for (int i = 0; i < t; i++) {
                int row = (h * t + i) * t;
                for (int e = 0; e < hd; e++) {
                    long acc = 0;
                    for (int j = 0; j <= i; j++) {
                        acc += a[row + j] * v[j * kvd + kh + e];
                    }
                    mix[i * d + h * hd + e] = acc;
                }
            }
        }
        return rescale(pre + "ctx", mix, s, w, t, d);
    }

    /** E_k[x] = roundHalfUp(2^s exp(-x 2^(k b) / 2^s)) for every digit position (public tables). */
    public static long[][] expTables(QuantParams p) {
        int lowDigits = p.expLowDigits(), b = p.expDigitBits(), s = p.scaleBits();
        double scale = Math.scalb(1.0, s);
        long[][] tables = new long[lowDigits + 1][];
        for (int k = 0; k <= lowDigits; k++) {
            int size = 1 << (k < lowDigits ? b : p.expTopDigitBits());
            tables[k] = new long[size];
            for (int x = 0; x < size; x++) {
                tables[k][x] = QuantizedModel.roundHalfUp(scale * StrictMath.exp(-(x * Math.scalb(1.0, k * b)) / scale));
            }
        }
        return tables;
    }

    // ---- SwiGLU (docs/FIXED_POINT.md "SwiGLU") ----

    private long[] swiglu(String pre, long[] g, long[] u, int t, Witness w) {
        int hidden = c.hiddenDim();
        long[] gi = rescale(pre + "sig_in", g, s - p.sigmoidFracBits(), w, t, hidden);
        long lo = sigmoidMin, hi = -sigmoidMin - 1L;
        long[] idx = new long[gi.length], sig = new long[gi.length], prod = new long[gi.length];
        for (int i = 0; i < gi.length; i++) {
            idx[i] = Math.max(lo, Math.min(hi, gi[i]));
            sig[i] = sigmoidTable[(int) (idx[i] - lo)];
            prod[i] = g[i] * sig[i];
        }
        w.put(pre + "sig_idx", idx, t, hidden);
        w.put(pre + "sig", sig, t, hidden);
        long[] silu = rescale(pre + "silu", prod, s, w, t, hidden);
        long[] mu = new long[silu.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = silu[i] * u[i];
        }
        return rescale(pre + "mlp", mu, s, w, t, hidden);
    }

    /** Sg[x] = roundHalfUp(2^s / (1 + exp(-x / 2^sf))) for x in [-2^(si+sf), 2^(si+sf)), indexed from the low end. */
    public static long[] sigmoidTable(QuantParams p) {
        int span = 1 << (p.sigmoidIntBits() + p.sigmoidFracBits());
        double scale = Math.scalb(1.0, p.scaleBits()), in = Math.scalb(1.0, p.sigmoidFracBits());
        long[] table = new long[2 * span];
        for (int i = 0; i < table.length; i++) {
            int x = i - span;
            table[i] = QuantizedModel.roundHalfUp(scale / (1 + StrictMath.exp(-x / in)));
        }
        return table;
    }

    // ---- primitives ----

    /** Records X' = rescale_k(X) and its remainder; X' must be in the activation range. */
    private long[] rescale(String name, long[] x, int k, Witness w, int... shape) {
        long[] q = new long[x.length];
        long[] r = new long[x.length];
        if (k == 0) {
            System.arraycopy(x, 0, q, 0, x.length);
        } else {
            long half = 1L << (k - 1);
            for (int i = 0; i < x.length; i++) {
                q[i] = (x[i] + half) >> k;
                r[i] = x[i] - (q[i] << k);
            }
        }
        checkRange(name, q);
        w.put(name, q, shape);
        w.put(name + ".rem", r, shape);
        return q;
    }

    private void checkRange(String name, long[] x) {
        for (long v : x) {
            if (v < -actLimit || v >= actLimit) {
                throw new ZksparkException(ZksparkException.Code.UNSUPPORTED, "activation overflow at " + name + ": value " + v
                        + " needs more than " + p.activationBits() + " bits; raise activationBits");
            }
        }
    }
}
