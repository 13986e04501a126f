package dev.zkspark.datasets;

import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent, deliberately simple and slow implementation of docs/FIXED_POINT.md, written
 * from that page alone, used as a test oracle for {@code model.FixedPointForward}.
 *
 * <p>Every integer is a {@link BigInteger}, so nothing can wrap: a value that leaves the range the
 * specification allows is detected and reported instead. Every loop is a plain nested loop over
 * the indices in the specification's formulas; nothing is cached or vectorised. Section names in
 * the comments refer to the headings of docs/FIXED_POINT.md.
 *
 * <p>Failures, as the specification names them, are {@link IllegalStateException}s whose message
 * contains "activation overflow", "softmax row sum" or "softmax shift".
 *
 * <p>Not implemented: the "Bounds" section (BoundAnalysis refusing configurations whose
 * intermediates could reach 2^62). With BigInteger nothing wraps, so this reference runs any
 * configuration and only fails where the forward pass itself says it fails.
 */
public final class FixedPointSpecReference {

    /**
     * The outcome of a forward pass.
     *
     * @param logits the integer logits [T][vocab] at scale 2^s ("Forward pass" step 3)
     * @param residualAfterLayer for each layer l, the residual stream x [T][dim] after layer l's
     *     FFN residual add
     */
    public record Result(long[][] logits, List<long[][]> residualAfterLayer) {}

    /** Quotient and remainder of a rescale or divRound ("Primitives"). */
    record Division(BigInteger quotient, BigInteger remainder) {}

    /** A quantized weight tensor: its integers (row-major, as in the checkpoint) and its f. */
    record QuantizedTensor(BigInteger[] values, int fracBits) {}

    /** The lowest fractional bits the weight-quantization search tries before giving up. */
    static final int MIN_FRACTIONAL_BITS = 0;

    private static final BigInteger ZERO = BigInteger.ZERO;
    private static final BigInteger ONE = BigInteger.ONE;
    private static final BigInteger TWO = BigInteger.TWO;

    private final QuantParams p;
    private final int s;
    private final BigInteger activationLow; // -2^(B-1)
    private final BigInteger activationHigh; // 2^(B-1), exclusive

    private FixedPointSpecReference(QuantParams p) {
        this.p = p;
        this.s = p.scaleBits();
        this.activationHigh = ONE.shiftLeft(p.activationBits() - 1);
        this.activationLow = activationHigh.negate();
    }

    /** Runs the fixed-point forward pass of docs/FIXED_POINT.md over the tokens. */
    public static Result run(Checkpoint ck, QuantParams p, int[] tokens) {
        return new FixedPointSpecReference(p).forward(ck, tokens);
    }

    // =============================================================================================
    // Primitives
    // =============================================================================================

    /** The real number 2^k as a double (exact for the exponents used here). */
    static double pow2(int k) {
        return Math.scalb(1.0, k);
    }

    /** Intro: {@code roundHalfUp(x) = floor(x + 0.5)} evaluated in IEEE double, as an exact integer. */
    static BigInteger roundHalfUp(double x) {
        double r = Math.floor(x + 0.5);
        if (!Double.isFinite(r)) {
            throw new IllegalStateException("roundHalfUp of a non-finite value " + x);
        }
        return new BigDecimal(r).toBigIntegerExact();
    }

    /** floor(a / b) for b > 0 (BigInteger.divide truncates toward zero, so correct negatives). */
    static BigInteger floorDiv(BigInteger a, BigInteger b) {
        if (b.signum() <= 0) {
            throw new IllegalArgumentException("floorDiv by non-positive " + b);
        }
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() < 0 ? qr[0].subtract(ONE) : qr[0];
    }

    /**
     * Primitives: {@code rescale_k(X)}: {@code X' = floor((X + 2^(k-1)) / 2^k)}, remainder
     * {@code R = X - 2^k X'} in {@code [-2^(k-1), 2^(k-1))}; the identity with R = 0 for k = 0.
     *
     * <p>The specification never says what rescale_k means for k &lt; 0 (it can arise as a
     * weight's fractional bits f_W when weightBits != 0). The literal formula, read over the
     * rationals, gives {@code floor(X 2^-k + 1/2) = X 2^-k} exactly with R = 0, which is what this
     * implements.
     */
    static Division rescale(BigInteger x, int k) {
        if (k == 0) {
            return new Division(x, ZERO);
        }
        if (k < 0) {
            return new Division(x.shiftLeft(-k), ZERO);
        }
        BigInteger twoK = ONE.shiftLeft(k);
        BigInteger half = ONE.shiftLeft(k - 1);
        BigInteger q = floorDiv(x.add(half), twoK);
        BigInteger r = x.subtract(twoK.multiply(q));
        if (r.compareTo(half.negate()) < 0 || r.compareTo(half) >= 0) {
            throw new IllegalStateException("internal: rescale remainder " + r + " out of range for k=" + k);
        }
        return new Division(q, r);
    }

    /**
     * Primitives: {@code divRound_D(X) = floor((X + floor(D/2)) / D)}, remainder
     * {@code R = X - D X'} in {@code [-floor(D/2), D - floor(D/2))}, for a positive constant D.
     */
    static Division divRound(BigInteger x, BigInteger d) {
        if (d.signum() <= 0) {
            throw new IllegalArgumentException("divRound by non-positive " + d);
        }
        BigInteger half = d.divide(TWO); // floor(D/2), D > 0
        BigInteger q = floorDiv(x.add(half), d);
        BigInteger r = x.subtract(d.multiply(q));
        if (r.compareTo(half.negate()) < 0 || r.compareTo(d.subtract(half)) >= 0) {
            throw new IllegalStateException("internal: divRound remainder " + r + " out of range for D=" + d);
        }
        return new Division(q, r);
    }

    /**
     * Parameters (activationBits) and Primitives: every stored activation (rescale output,
     * residual, logit) lies in {@code [-2^(B-1), 2^(B-1))}, else "activation overflow".
     */
    private BigInteger stored(BigInteger v, String where) {
        if (v.compareTo(activationLow) < 0 || v.compareTo(activationHigh) >= 0) {
            throw new IllegalStateException("activation overflow at " + where + ": " + v + " outside ["
                    + activationLow + ", " + activationHigh + ") (B=" + p.activationBits() + ")");
        }
        return v;
    }

    /** A rescale whose output is stored, hence range-checked. */
    private BigInteger rescaleStored(BigInteger x, int k, String where) {
        return stored(rescale(x, k).quotient(), where);
    }

    /** Requirements the specification states ("requires ..."). */
    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("specification requirement violated: " + what);
        }
    }

    // =============================================================================================
    // Parameters (weightBits) and Primitives (weight quantization)
    // =============================================================================================

    /** Primitives: {@code w_q = roundHalfUp(w * 2^f)} in double, from the float32 weight. */
    static BigInteger quantizeWeight(float w, int f) {
        return roundHalfUp((double) w * pow2(f));
    }

    /**
     * Parameters, weightBits: 0 gives every tensor f = s; otherwise f is the largest f &lt;= s with
     * {@code max |roundHalfUp(w 2^f)| <= 2^(weightBits-1) - 1}. The search goes down to
     * {@link #MIN_FRACTIONAL_BITS} and fails if nothing fits (e.g. a non-finite weight).
     */
    static int fractionalBits(float[] w, QuantParams p) {
        if (p.weightBits() == 0) {
            return p.scaleBits();
        }
        BigInteger limit = ONE.shiftLeft(p.weightBits() - 1).subtract(ONE);
        for (int f = p.scaleBits(); f >= MIN_FRACTIONAL_BITS; f--) {
            if (fits(w, f, limit)) {
                return f;
            }
        }
        throw new IllegalStateException("no fractional bits f in [" + MIN_FRACTIONAL_BITS + ", " + p.scaleBits()
                + "] fit the tensor in " + p.weightBits() + " signed bits");
    }

    private static boolean fits(float[] w, int f, BigInteger limit) {
        for (float v : w) {
            if (!Float.isFinite(v) || quantizeWeight(v, f).abs().compareTo(limit) > 0) {
                return false;
            }
        }
        return true;
    }

    static QuantizedTensor quantize(float[] w, QuantParams p) {
        int f = fractionalBits(w, p);
        BigInteger[] q = new BigInteger[w.length];
        for (int i = 0; i < w.length; i++) {
            q[i] = quantizeWeight(w[i], f);
        }
        return new QuantizedTensor(q, f);
    }

    // =============================================================================================
    // Forward pass over tokens t_0..t_{T-1}
    // =============================================================================================

    private Result forward(Checkpoint ck, int[] tokens) {
        LlamaConfig c = ck.config();
        int t = tokens.length;
        int d = c.dim();
        if (t == 0) {
            throw new IllegalArgumentException("empty token sequence");
        }
        for (int tok : tokens) {
            if (tok < 0 || tok >= c.vocab()) {
                throw new IllegalArgumentException("token id " + tok + " outside the vocabulary");
            }
        }

        // Step 1, Embedding: x[i, :] = E_q[t_i, :] * 2^(s - f_E) (requires f_E <= s). The
        // specification lists "residual" among the stored activations; x is the residual stream,
        // so its initial value is range-checked too.
        QuantizedTensor emb = quantize(ck.tensor("model.embed_tokens.weight"), p);
        require(emb.fracBits() <= s, "f_E <= s");
        BigInteger embScale = ONE.shiftLeft(s - emb.fracBits());
        BigInteger[][] x = new BigInteger[t][d];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = stored(emb.values()[tokens[i] * d + j].multiply(embScale), "embedding");
            }
        }

        // Step 2, for each layer.
        List<long[][]> residuals = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            x = layer(ck, l, x);
            residuals.add(toLongs(x));
        }

        // Step 3: h = RMSNorm(x, w_final); logits = rescale_{f_C}(h C^T), C the classifier
        // (the embedding when tied).
        QuantizedTensor finalNorm = quantize(ck.tensor("model.norm.weight"), p);
        QuantizedTensor classifier = quantize(ck.classifier(), p);
        BigInteger[][] logits = new BigInteger[t][];
        for (int i = 0; i < t; i++) {
            BigInteger[] h = rmsNorm(x[i], finalNorm, c.normEps(), "final norm");
            logits[i] = linear(h, classifier, c.vocab(), "logits");
        }
        return new Result(toLongs(logits), List.copyOf(residuals));
    }

    /** Step 2: one transformer layer; returns the new residual stream. */
    private BigInteger[][] layer(Checkpoint ck, int l, BigInteger[][] xIn) {
        LlamaConfig c = ck.config();
        int t = xIn.length;
        int d = c.dim();
        int kvd = c.kvDim();
        String at = "layer " + l + " ";
        QuantizedTensor wAttn = quantize(ck.tensor(Checkpoint.layer(l, "input_layernorm.weight")), p);
        QuantizedTensor wq = quantize(ck.tensor(Checkpoint.layer(l, "self_attn.q_proj.weight")), p);
        QuantizedTensor wk = quantize(ck.tensor(Checkpoint.layer(l, "self_attn.k_proj.weight")), p);
        QuantizedTensor wv = quantize(ck.tensor(Checkpoint.layer(l, "self_attn.v_proj.weight")), p);
        QuantizedTensor wo = quantize(ck.tensor(Checkpoint.layer(l, "self_attn.o_proj.weight")), p);
        QuantizedTensor wFfn = quantize(ck.tensor(Checkpoint.layer(l, "post_attention_layernorm.weight")), p);
        QuantizedTensor wg = quantize(ck.tensor(Checkpoint.layer(l, "mlp.gate_proj.weight")), p);
        QuantizedTensor wu = quantize(ck.tensor(Checkpoint.layer(l, "mlp.up_proj.weight")), p);
        QuantizedTensor wd = quantize(ck.tensor(Checkpoint.layer(l, "mlp.down_proj.weight")), p);

        // h = RMSNorm(x, w_attn); q, k, v = rescale_{f_W}(h W^T); q~ = RoPE(q), k~ = RoPE(k).
        BigInteger[][] q = new BigInteger[t][];
        BigInteger[][] k = new BigInteger[t][];
        BigInteger[][] v = new BigInteger[t][];
        for (int i = 0; i < t; i++) {
            BigInteger[] h = rmsNorm(xIn[i], wAttn, c.normEps(), at + "attention norm");
            q[i] = rope(linear(h, wq, d, at + "q"), c.heads(), i, c, at + "RoPE q");
            k[i] = rope(linear(h, wk, kvd, at + "k"), c.kvHeads(), i, c, at + "RoPE k");
            v[i] = linear(h, wv, kvd, at + "v");
        }

        // c = Attention(q~, k~, v); o = rescale_{f_Wo}(c Wo^T); x = x + o (B bits).
        BigInteger[][] att = attention(q, k, v, c, at + "attention");
        BigInteger[][] x = new BigInteger[t][d];
        for (int i = 0; i < t; i++) {
            BigInteger[] o = linear(att[i], wo, d, at + "o");
            for (int j = 0; j < d; j++) {
                x[i][j] = stored(xIn[i][j].add(o[j]), at + "attention residual");
            }
        }

        // h = RMSNorm(x, w_ffn); g, u = rescale_{f_W}(h W^T); m = SwiGLU(g, u);
        // y = rescale_{f_Wd}(m Wd^T); x = x + y (B bits).
        for (int i = 0; i < t; i++) {
            BigInteger[] h = rmsNorm(x[i], wFfn, c.normEps(), at + "ffn norm");
            BigInteger[] g = linear(h, wg, c.hiddenDim(), at + "gate");
            BigInteger[] u = linear(h, wu, c.hiddenDim(), at + "up");
            BigInteger[] m = new BigInteger[c.hiddenDim()];
            for (int j = 0; j < m.length; j++) {
                m[j] = swiglu(g[j], u[j], at + "SwiGLU");
            }
            BigInteger[] y = linear(m, wd, d, at + "down");
            for (int j = 0; j < d; j++) {
                x[i][j] = stored(x[i][j].add(y[j]), at + "ffn residual");
            }
        }
        return x;
    }

    /** Forward pass notation: {@code Y = rescale_{f_W}(X W^T)} for one row, Y[o] = sum_j X[j] W[o, j]. */
    private BigInteger[] linear(BigInteger[] x, QuantizedTensor w, int outDim, String where) {
        int in = x.length;
        require(w.values().length == outDim * in, "weight shape [" + outDim + ", " + in + "] at " + where);
        BigInteger[] y = new BigInteger[outDim];
        for (int o = 0; o < outDim; o++) {
            BigInteger acc = ZERO;
            for (int j = 0; j < in; j++) {
                acc = acc.add(x[j].multiply(w.values()[o * in + j]));
            }
            y[o] = rescaleStored(acc, w.fracBits(), where);
        }
        return y;
    }

    // =============================================================================================
    // RMSNorm(x, w) for each row x (length d)
    // =============================================================================================

    private BigInteger[] rmsNorm(BigInteger[] x, QuantizedTensor w, float normEps, String where) {
        int d = x.length;
        int sm = p.normScaleBits();
        require(sm <= 2 * s, "sm <= 2s");
        require(2 * s + sm <= 60, "2s + sm <= 60");
        require(w.values().length == d, "norm weight length " + d);

        // ss = sum_j x_j^2 (exact; scale 2^2s).
        BigInteger ss = ZERO;
        for (int j = 0; j < d; j++) {
            ss = ss.add(x[j].multiply(x[j]));
        }

        // ms = divRound_D(ss) with D = d * 2^(2s - sm).
        BigInteger bigD = BigInteger.valueOf(d).shiftLeft(2 * s - sm);
        BigInteger ms = divRound(ss, bigD).quotient();

        // e = max(1, roundHalfUp(eps * 2^sm)), eps the float32 normEps widened to double; m = ms + e.
        BigInteger e = roundHalfUp((double) normEps * pow2(sm)).max(ONE);
        BigInteger m = ms.add(e);

        // r = floor(sqrt(2^(2s+sm) / m)), checked against the sandwich r^2 m <= 2^(2s+sm) < (r+1)^2 m.
        BigInteger num = ONE.shiftLeft(2 * s + sm);
        BigInteger r = floorDiv(num, m).sqrt();
        BigInteger r1 = r.add(ONE);
        if (r.multiply(r).multiply(m).compareTo(num) > 0 || num.compareTo(r1.multiply(r1).multiply(m)) >= 0) {
            throw new IllegalStateException("internal: rsqrt sandwich fails for m=" + m + ", r=" + r);
        }

        // n_j = rescale_s(x_j * r); out_j = rescale_{f_w}(n_j * w_q,j).
        BigInteger[] out = new BigInteger[d];
        for (int j = 0; j < d; j++) {
            BigInteger n = rescaleStored(x[j].multiply(r), s, where + " n");
            out[j] = rescaleStored(n.multiply(w.values()[j]), w.fracBits(), where + " out");
        }
        return out;
    }

    // =============================================================================================
    // RoPE (rotate half, within each head of width hd; applied to every head of q and of k)
    // =============================================================================================

    private BigInteger[] rope(BigInteger[] x, int heads, int pos, LlamaConfig c, String where) {
        int hd = c.headDim();
        double theta = (double) c.ropeTheta();
        BigInteger[] out = x.clone();
        for (int h = 0; h < heads; h++) {
            for (int e = 0; e < hd / 2; e++) {
                double angle = pos * StrictMath.pow(theta, -(2.0 * e) / hd);
                BigInteger cosQ = roundHalfUp(StrictMath.cos(angle) * pow2(s));
                BigInteger sinQ = roundHalfUp(StrictMath.sin(angle) * pow2(s));
                BigInteger a = x[h * hd + e];
                BigInteger b = x[h * hd + e + hd / 2];
                out[h * hd + e] = rescaleStored(a.multiply(cosQ).subtract(b.multiply(sinQ)), s, where);
                out[h * hd + e + hd / 2] = rescaleStored(b.multiply(cosQ).add(a.multiply(sinQ)), s, where);
            }
        }
        return out;
    }

    // =============================================================================================
    // Attention (zkAttn), for each query head h and position i, over keys j <= i
    // =============================================================================================

    private BigInteger[][] attention(BigInteger[][] q, BigInteger[][] k, BigInteger[][] v, LlamaConfig c,
            String where) {
        int t = q.length;
        int hd = c.headDim();
        int groupSize = c.heads() / c.kvHeads();
        BigInteger cs = roundHalfUp(pow2(s) / StrictMath.sqrt(hd));
        BigInteger one = ONE.shiftLeft(s); // 2^s, the real number 1
        BigInteger tol = BigInteger.valueOf(p.rowSumTolerance());
        BigInteger[][] out = new BigInteger[t][c.dim()];
        for (int i = 0; i < t; i++) {
            for (int h = 0; h < c.heads(); h++) {
                int g = h / groupSize; // query head h uses KV head h / (H/G)

                // Scores: z0_ij = rescale_s(sum_e q~[i,h,e] k~[j,g(h),e]); z_ij = rescale_s(z0_ij * cs).
                // They are computed (and range-checked) for every pair (i, j), masked ones included
                // (the paragraph on the committed T x T tensors); only j <= i enter the softmax.
                BigInteger[] z = new BigInteger[t];
                for (int j = 0; j < t; j++) {
                    BigInteger dot = ZERO;
                    for (int e = 0; e < hd; e++) {
                        dot = dot.add(q[i][h * hd + e].multiply(k[j][g * hd + e]));
                    }
                    BigInteger z0 = rescaleStored(dot, s, where + " z0");
                    z[j] = rescaleStored(z0.multiply(cs), s, where + " z");
                }

                // Shift: mu_i = roundHalfUp(2^s * (zmax/2^s + ln(sum_{j<=i} exp((z_ij - zmax)/2^s)))),
                // summed in increasing j with StrictMath.exp and StrictMath.log.
                BigInteger zmax = z[0];
                for (int j = 1; j <= i; j++) {
                    zmax = zmax.max(z[j]);
                }
                double sum = 0.0;
                for (int j = 0; j <= i; j++) {
                    sum += StrictMath.exp(z[j].subtract(zmax).doubleValue() / pow2(s));
                }
                BigInteger mu = roundHalfUp(pow2(s) * (zmax.doubleValue() / pow2(s) + StrictMath.log(sum)));

                // Attention weights a_ij from delta_ij = mu_i - z_ij, and the row check.
                BigInteger[] a = new BigInteger[i + 1];
                BigInteger rowSum = ZERO;
                for (int j = 0; j <= i; j++) {
                    a[j] = softmaxWeight(mu.subtract(z[j]), where);
                    rowSum = rowSum.add(a[j]);
                }
                // Masked entries (j > i): delta = 0, so every partial product is 2^s (computed here
                // for its range checks), and the recorded weight is that product times the mask, 0.
                for (int j = i + 1; j < t; j++) {
                    softmaxWeight(ZERO, where + " masked");
                }

                // Row check: -tol <= sum_{j<=i} a_ij - 2^s < tol.
                BigInteger excess = rowSum.subtract(one);
                if (excess.compareTo(tol.negate()) < 0 || excess.compareTo(tol) >= 0) {
                    throw new IllegalStateException("softmax row sum " + rowSum + " minus " + one + " outside ["
                            + tol.negate() + ", " + tol + ") at " + where + " position " + i + " head " + h);
                }

                // Output: c[i,h,:] = rescale_s(sum_{j<=i} a_ij v[j,g(h),:]).
                for (int e = 0; e < hd; e++) {
                    BigInteger acc = ZERO;
                    for (int j = 0; j <= i; j++) {
                        acc = acc.add(a[j].multiply(v[j][g * hd + e]));
                    }
                    out[i][h * hd + e] = rescaleStored(acc, s, where + " output");
                }
            }
        }
        return out;
    }

    /**
     * Attention: digits of delta (which must be in [0, 2^B), else "softmax shift"), the exp tables
     * and their product, top digit first.
     */
    private BigInteger softmaxWeight(BigInteger delta, String where) {
        int bigB = p.activationBits();
        int b = p.expDigitBits();
        int bigK = p.expLowDigits();
        if (delta.signum() < 0 || delta.compareTo(ONE.shiftLeft(bigB)) >= 0) {
            throw new IllegalStateException("softmax shift delta " + delta + " outside [0, 2^" + bigB + ") at " + where);
        }

        // delta = dg_0 + 2^b dg_1 + ... + 2^(Kb) dg_K, dg_0..dg_{K-1} in [0, 2^b), dg_K in [0, 2^(B-Kb)).
        BigInteger[] dg = new BigInteger[bigK + 1];
        for (int kk = 0; kk < bigK; kk++) {
            dg[kk] = delta.divide(ONE.shiftLeft(kk * b)).mod(ONE.shiftLeft(b));
        }
        dg[bigK] = delta.divide(ONE.shiftLeft(bigK * b));
        BigInteger recomposed = ZERO;
        for (int kk = 0; kk <= bigK; kk++) {
            recomposed = recomposed.add(dg[kk].shiftLeft(kk * b));
        }
        if (!recomposed.equals(delta) || dg[bigK].compareTo(ONE.shiftLeft(bigB - bigK * b)) >= 0) {
            throw new IllegalStateException("internal: digit decomposition of " + delta);
        }

        // Product, top digit first: p = E_K[dg_K]; for k = K-1 down to 0: p = rescale_s(p * E_k[dg_k]).
        BigInteger prod = expTable(bigK, dg[bigK]);
        for (int kk = bigK - 1; kk >= 0; kk--) {
            prod = rescaleStored(prod.multiply(expTable(kk, dg[kk])), s, where + " exp product");
        }
        return prod;
    }

    /** Attention, exp tables: {@code E_k[x] = roundHalfUp(2^s * exp(-x * 2^(kb) / 2^s))}. */
    private BigInteger expTable(int k, BigInteger x) {
        double arg = -x.doubleValue() * pow2(k * p.expDigitBits()) / pow2(s);
        return roundHalfUp(pow2(s) * StrictMath.exp(arg));
    }

    // =============================================================================================
    // SwiGLU(g, u), elementwise
    // =============================================================================================

    private BigInteger swiglu(BigInteger g, BigInteger u, String where) {
        int sf = p.sigmoidFracBits();
        int si = p.sigmoidIntBits();

        // gi = rescale_{s - sf}(g); gc = clamp(gi, -2^(si+sf), 2^(si+sf) - 1).
        BigInteger gi = rescaleStored(g, s - sf, where + " gi");
        BigInteger lim = ONE.shiftLeft(si + sf);
        BigInteger gc = gi.max(lim.negate()).min(lim.subtract(ONE));

        // Sigmoid table: Sg[x] = roundHalfUp(2^s / (1 + StrictMath.exp(-x / 2^sf))).
        BigInteger sg = roundHalfUp(pow2(s) / (1 + StrictMath.exp(-gc.doubleValue() / pow2(sf))));

        // silu = rescale_s(g * Sg[gc]); m = rescale_s(silu * u).
        BigInteger silu = rescaleStored(g.multiply(sg), s, where + " silu");
        return rescaleStored(silu.multiply(u), s, where + " m");
    }

    // =============================================================================================

    private static long[][] toLongs(BigInteger[][] a) {
        long[][] out = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new long[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                out[i][j] = a[i][j].longValueExact();
            }
        }
        return out;
    }
}
