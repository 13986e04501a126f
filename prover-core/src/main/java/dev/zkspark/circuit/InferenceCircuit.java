package dev.zkspark.circuit;

import dev.zkspark.circuit.TensorSpec.Axis;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.lookup.Table;
import dev.zkspark.model.BoundAnalysis;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The circuit of one Llama inference (DESIGN §1, docs/FIXED_POINT.md): every tensor of the
 * fixed-point forward pass and the {@link Relation}s and lookups that pin each one to its inputs.
 * Prover and verifier build the same circuit from public data only (config, quantization
 * parameters, the weights' fractional bits, the padded sequence and the generated tokens).
 *
 * <p>Every witness tensor is committed ("commit everything"), so each relation is checked on its own
 * at a random point. What is checked, per op (docs/FIXED_POINT.md gives the arithmetic):
 * <ul>
 *   <li>rescales {@code 2^k Y + R = raw}: the raw product by a matmul/Hadamard relation, R by a range
 *       lookup in [-2^(k-1), 2^(k-1)), Y by a B-bit range check (two limbs);
 *   <li>RMSNorm: sum of squares (eq-summed), mean by division with range-checked remainder, the
 *       reciprocal square root by the integer sandwich r^2 m <= 2^(2s+sm) < (r+1)^2 m (both gaps
 *       range-checked as non-negative), then two rescaled Hadamard products;
 *   <li>RoPE: x C + flip(x) S with public tables; residual adds: linear identities;
 *   <li>zkAttn: scores, public score scale, delta = mask (shift - z) with a committed shift, digits
 *       recombining to delta, (digit, factor) pairs in one exp table per digit, the product chain,
 *       the causal mask, and the row sum minus 2^s in [-tol, tol) (so the shift cannot be abused);
 *   <li>SwiGLU: rescale to the sigmoid input, a proved clamp (d+ (hi - idx) = 0, d- (idx - lo) = 0,
 *       d+, d- >= 0), (idx, sigmoid) pairs in the sigmoid table, two rescaled products;
 *   <li>embedding rows and the picked logits by public one-hot selections; greedy argmax by
 *       L[t, g_t] - L[t, v] - [v < g_t] >= 0 for every vocabulary entry v (ties to the lowest id).
 * </ul>
 * Soundness of each relation is in {@link Relation}; of the lookups in {@code LogUp}. Ranges make the
 * integer semantics exact: with B-bit activations the bound analysis keeps every intermediate below
 * 2^62, so no identity can hold mod p without holding over the integers.
 */
public final class InferenceCircuit {
    /** Where a tensor lives. */
    public enum Source { WITNESS, MODEL }

    /** A B-bit (or wider) range check by limbs: value + offset = sum_i 2^(i limbBits) limb_i. */
    public record LimbCheck(String value, long offset, int limbBits, int count) {
        public String limb(int i) {
            return value + ".limb" + i;
        }
    }

    /** A lookup column: x (and y for pair tables) are committed witness tensors. */
    public record Column(String x, String y) {}

    private final LlamaConfig c;
    private final QuantizedModel.Logical logical;
    private final QuantParams p;
    private final Map<String, Integer> fracBits;
    private final int[] tokens;
    private final int promptLength;
    private final int[] generated;
    private final Map<String, TensorSpec> specs = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, List<Relation>> tasks = new LinkedHashMap<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, List<Column>> columns = new LinkedHashMap<>();
    private final List<LimbCheck> limbChecks = new ArrayList<>();
    private final int limbBits;
    private List<Relation> current;

    // axes (o: the output positions, padded to a power of two; see outputPositions)
    private final Axis t, j, d, g, r, hf, e2, f, v, o;
    private final int[] outputPositions;
    /** The residual stream the head selects its input from (set when the head is built). */
    private String lastResidual;

    /**
     * @param config the padded model config (power-of-two dims, see {@code QuantizedModel.forProof})
     * @param logical the model's real sizes where the arithmetic uses them
     * @param fracBits fractional bits of each model tensor (public, in the model commitment)
     * @param tokens the padded sequence the forward pass ran on (prompt ++ generated[0..n-2] ++ padding)
     * @param promptLength number of prompt tokens
     * @param generated the generated tokens (the statement's output)
     */
    public InferenceCircuit(LlamaConfig config, QuantizedModel.Logical logical, QuantParams params, Map<String, Integer> fracBits,
            int[] tokens, int promptLength, int[] generated) {
        this.c = config;
        this.logical = logical;
        this.p = params;
        this.fracBits = Map.copyOf(fracBits);
        this.tokens = tokens.clone();
        this.promptLength = promptLength;
        this.generated = generated.clone();
        checkSupported(c);
        requirePow2("hidden dimension (padded)", c.hiddenDim());
        requirePow2("padded sequence", tokens.length);
        this.limbBits = (p.activationBits() + 1) / 2;
        t = new Axis("t", log(tokens.length));
        j = new Axis("j", log(tokens.length));
        d = new Axis("d", log(c.dim()));
        g = new Axis("g", log(c.kvHeads()));
        r = new Axis("r", log(c.heads() / c.kvHeads()));
        hf = new Axis("hf", 1);
        e2 = new Axis("e2", log(c.headDim() / 2));
        f = new Axis("f", log(c.hiddenDim()));
        v = new Axis("v", log(c.vocab()));
        // at least two rows: a relation over o alone needs a variable (as t, whose sequence is padded to 2)
        int outputs = Integer.highestOneBit(Math.max(2, generated.length) * 2 - 1);
        if (promptLength < 1 || promptLength - 1 + generated.length > tokens.length || outputs > tokens.length) {
            throw new IllegalArgumentException("prompt of " + promptLength + " and " + generated.length
                    + " generated tokens do not fit the padded sequence of " + tokens.length);
        }
        o = new Axis("o", log(outputs));
        outputPositions = new int[outputs];
        for (int i = 0; i < outputs; i++) {
            // padding rows repeat the last output position, so every row is a real row of the forward pass
            outputPositions[i] = promptLength - 1 + Math.min(i, Math.max(0, generated.length - 1));
        }
        build();
    }

    /**
     * Fails with "not supported: ..." for shapes the circuit cannot prove yet: dim, heads, KV heads,
     * head dimension and vocabulary must be powers of two (the hidden dimension and the sequence are
     * padded). Padding the others needs the real sizes inside the arithmetic (RMSNorm divisor, RoPE
     * frequencies, score scale, argmax range); see the issue notes.
     */
    public static void checkSupported(LlamaConfig c) {
        requirePow2("dim", c.dim());
        requirePow2("heads", c.heads());
        requirePow2("kv heads", c.kvHeads());
        requirePow2("head dimension", c.headDim());
        requirePow2("vocabulary", c.vocab());
        if (c.headDim() < 4) {
            throw ZksparkException.unsupported("head dimension below 4");
        }
    }

    private static void requirePow2(String what, int n) {
        if (Integer.bitCount(n) != 1) {
            throw ZksparkException.unsupported("proving a model whose " + what + " (" + n + ") is not a power of two");
        }
    }

    private static int log(int n) {
        return Integer.numberOfTrailingZeros(n);
    }

    /**
     * The head is proved at the output positions only: row i of every o-indexed tensor is row
     * {@code outputPositions()[i]} of the forward pass (promptLength - 1 + i for the generated
     * tokens, then the last one repeated up to a power of two), since only those positions' logits
     * decide the statement. The other positions' logits are never committed.
     */
    public int[] outputPositions() {
        return outputPositions.clone();
    }

    /** Name of the head's input: the last residual stream at the output positions (a public selection of its rows). */
    public static final String HEAD_INPUT = "head.x";

    /**
     * The o-indexed witness tensors and the t-indexed forward-pass tensors whose rows
     * {@link #outputPositions()} they take: the head input and everything the head computes (only
     * the head is o-indexed; those the forward pass does not record, such as limbs and sandwich
     * gaps, are derived from the selected rows).
     */
    public Map<String, String> rowSelections() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(HEAD_INPUT, lastResidual);
        for (Map.Entry<String, TensorSpec> e : specs.entrySet()) {
            String n = e.getKey();
            if (sources.get(n) == Source.WITNESS && !n.equals(HEAD_INPUT) && e.getValue().axes().get(0).equals(o)) {
                out.put(n, n);
            }
        }
        return out;
    }

    public Map<String, TensorSpec> specs() {
        return specs;
    }

    public Source source(String tensor) {
        return sources.get(tensor);
    }

    /** Task name (embedding, layer i, head) -> its relations, in proof order. */
    public Map<String, List<Relation>> tasks() {
        return tasks;
    }

    public Map<String, Table> tables() {
        return tables;
    }

    public Map<String, List<Column>> columns() {
        return columns;
    }

    public List<LimbCheck> limbChecks() {
        return limbChecks;
    }

    // ---- declarations ----

    private TensorSpec witness(String name, Axis... axes) {
        TensorSpec s = TensorSpec.of(name, axes);
        if (specs.put(name, s) != null) {
            throw new IllegalStateException("tensor declared twice: " + name);
        }
        sources.put(name, Source.WITNESS);
        return s;
    }

    private TensorSpec model(String name, Axis... axes) {
        TensorSpec s = specs.get(name);
        if (s != null) {
            return s; // the tied classifier is the embedding
        }
        s = TensorSpec.of(name, axes);
        specs.put(name, s);
        sources.put(name, Source.MODEL);
        return s;
    }

    private void lookup(Table table, String x, String y) {
        tables.putIfAbsent(table.name(), table);
        columns.computeIfAbsent(table.name(), k -> new ArrayList<>()).add(new Column(x, y));
    }

    private void rangeLookup(String x, long lo, int k) {
        lookup(Table.range("range[" + lo + "," + k + "]", lo, k), x, null);
    }

    private void relation(Relation rel) {
        current.add(rel);
    }

    private int frac(String modelTensor) {
        Integer fb = fracBits.get(modelTensor);
        if (fb == null) {
            throw new IllegalArgumentException("no fractional bits for " + modelTensor);
        }
        return fb;
    }

    /** Declares value + offset = sum 2^(i L) limb_i with limbs in [0, 2^L). */
    private void limbs(TensorSpec value, long offset, int totalBits) {
        int count = (totalBits + limbBits - 1) / limbBits;
        LimbCheck lc = new LimbCheck(value.name(), offset, limbBits, count);
        limbChecks.add(lc);
        Axis[] axes = value.axes().toArray(new Axis[0]);
        Relation.Builder b = Relation.builder(value.name() + "/range").eq(axes).term(1, Relation.committed(value));
        if (offset != 0) {
            b.term(offset);
        }
        for (int i = 0; i < count; i++) {
            TensorSpec limb = witness(lc.limb(i), axes);
            b.term(-(1L << (i * limbBits)), Relation.committed(limb));
            rangeLookup(limb.name(), 0, limbBits);
        }
        relation(b.build());
    }

    /** A stored activation: in [-2^(B-1), 2^(B-1)). */
    private void activation(TensorSpec value) {
        limbs(value, 1L << (p.activationBits() - 1), p.activationBits());
    }

    /** Declares Y and Y.rem of a rescale by 2^k: the range of R and of Y; returns Y's spec. */
    private TensorSpec rescaled(String name, int k, Axis... axes) {
        TensorSpec y = witness(name, axes);
        TensorSpec rem = witness(name + ".rem", axes);
        if (k <= 0) {
            // a remainder of a rescale by 2^0 would need a range {0}; no default setting produces one
            throw ZksparkException.unsupported("a rescale by 2^" + k + " at " + name + " (fractional bits 0)");
        }
        rangeLookup(rem.name(), -(1L << (k - 1)), k);
        activation(y);
        return y;
    }

    // ---- the circuit ----

    private void build() {
        int s = p.scaleBits();
        // embedding: x = 2^(s - f_E) onehot(tokens) E
        current = newTask("embedding");
        TensorSpec emb = model("model.embed_tokens.weight", v, d);
        TensorSpec x = witness("embed.x", t, d);
        long[] onehot = new long[tokens.length << v.bits()];
        for (int i = 0; i < tokens.length; i++) {
            onehot[(i << v.bits()) + tokens[i]] = 1;
        }
        relation(Relation.builder("embed").fold(t, d).sum(v).lhs(1, Relation.committed(x))
                .term(1L << (s - frac(emb.name())), Relation.publicTensor(TensorSpec.of("tokens.onehot", t, v), onehot),
                        Relation.committed(emb)).build());
        activation(x);

        for (int l = 0; l < c.layers(); l++) {
            current = newTask("layer" + l);
            x = layer(l, x);
        }

        current = newTask("head");
        // the residual stream's rows at the output positions: xo = S x with the public 0/1 matrix S[o, t]
        lastResidual = x.name();
        TensorSpec xo = witness(HEAD_INPUT, o, d);
        long[] select = new long[outputPositions.length << t.bits()];
        for (int i = 0; i < outputPositions.length; i++) {
            select[(i << t.bits()) + outputPositions[i]] = 1;
        }
        relation(Relation.builder("head/select").fold(o, d).sum(t).lhs(1, Relation.committed(xo))
                .term(1, Relation.publicTensor(TensorSpec.of("output.positions", o, t), select), Relation.committed(x)).build());
        TensorSpec h = rmsNorm("final_norm", xo, "model.norm.weight", o);
        TensorSpec cls = c.tiedEmbeddings() ? emb : model("lm_head.weight", v, d);
        TensorSpec logits = rescaled("logits", frac(cls.name()), o, v);
        relation(Relation.builder("logits").fold(o, v).sum(d)
                .lhs(1L << frac(cls.name()), Relation.committed(logits)).lhs(1, Relation.committed(specs.get("logits.rem")))
                .term(1, Relation.committed(h), Relation.committed(cls)).build());
        argmax(logits);
    }

    private List<Relation> newTask(String name) {
        List<Relation> list = new ArrayList<>();
        tasks.put(name, list);
        return list;
    }

    private TensorSpec rmsNorm(String name, TensorSpec x, String weight, Axis pos) {
        int s = p.scaleBits(), sm = p.normScaleBits();
        long divisor = (long) logical.dim() << (2 * s - sm);
        long eps = BoundAnalysis.normEpsilon(c, p);
        long big = 1L << (2 * s + sm);
        TensorSpec ss = witness(name + ".ss", pos);
        TensorSpec ms = witness(name + ".ms", pos);
        TensorSpec msRem = witness(name + ".ms.rem", pos);
        TensorSpec rs = witness(name + ".rsqrt", pos);
        relation(Relation.builder(name + "/ss").eq(pos).sum(d).lhs(1, Relation.committed(ss))
                .term(1, Relation.committed(x), Relation.committed(x)).build());
        relation(Relation.builder(name + "/mean").eq(pos).term(1, Relation.committed(ss))
                .term(-divisor, Relation.committed(ms)).term(-1, Relation.committed(msRem)).build());
        long halfD = divisor / 2;
        int dk = 64 - Long.numberOfLeadingZeros(divisor - 1); // 2^dk >= divisor
        rangeLookup(msRem.name(), -halfD, dk);
        if (divisor != 1L << dk) {
            // not a power of two: also D - 1 - halfD - rem >= 0, so rem is in [-halfD, D - halfD)
            TensorSpec top = witness(name + ".ms.rem.top", pos);
            relation(Relation.builder(name + "/mean-remainder").eq(pos).term(1, Relation.committed(msRem))
                    .term(1, Relation.committed(top)).term(-(divisor - 1 - halfD)).build());
            rangeLookup(top.name(), 0, dk);
        }
        // sandwich: lo = K - r^2 m >= 0, hi = (r+1)^2 m - K - 1 >= 0, m = ms + e
        TensorSpec lo = witness(name + ".sandwich.lo", pos);
        TensorSpec hi = witness(name + ".sandwich.hi", pos);
        var R = Relation.committed(rs);
        var M = Relation.committed(ms);
        relation(Relation.builder(name + "/rsqrt-low").eq(pos).term(1, Relation.committed(lo)).term(1, R, R, M)
                .term(eps, R, R).term(-big).build());
        relation(Relation.builder(name + "/rsqrt-high").eq(pos).term(1, Relation.committed(hi)).term(-1, R, R, M)
                .term(-eps, R, R).term(-2, R, M).term(-2 * eps, R).term(-1, M).term(big + 1 - eps).build());
        limbs(lo, 0, 2 * s + sm + 1);
        limbs(hi, 0, 2 * s + sm + 1);
        // n = rescale_s(x r), out = rescale_f(n w)
        TensorSpec n = rescaled(name + ".n", s, pos, d);
        relation(Relation.builder(name + "/n").eq(pos, d).term(1L << s, Relation.committed(n))
                .term(1, Relation.committed(specs.get(name + ".n.rem"))).term(-1, Relation.committed(x), R).build());
        TensorSpec w = model(weight, d);
        int fw = frac(weight);
        TensorSpec out = rescaled(name + ".out", fw, pos, d);
        relation(Relation.builder(name + "/out").eq(pos, d).term(1L << fw, Relation.committed(out))
                .term(1, Relation.committed(specs.get(name + ".out.rem"))).term(-1, Relation.committed(n), Relation.committed(w)).build());
        return out;
    }

    /** Y = rescale_f(X W^T) with W [out, in] as model tensor axes (outAxes..., inAxes...). */
    private TensorSpec projection(String name, TensorSpec xIn, String weight, Axis[] inAxes, Axis[] outAxes) {
        Axis[] wAxes = concat(outAxes, inAxes);
        TensorSpec w = model(weight, wAxes);
        int fw = frac(weight);
        TensorSpec y = rescaled(name, fw, concat(new Axis[] {t}, outAxes));
        relation(Relation.builder(name + "/matmul").fold(concat(new Axis[] {t}, outAxes)).sum(inAxes)
                .lhs(1L << fw, Relation.committed(y)).lhs(1, Relation.committed(specs.get(name + ".rem")))
                .term(1, Relation.committed(xIn), Relation.committed(w)).build());
        return y;
    }

    private static Axis[] concat(Axis[] a, Axis[] b) {
        Axis[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private TensorSpec rope(String name, TensorSpec x, Axis... headAxes) {
        int s = p.scaleBits();
        int half = c.headDim() / 2;
        long[] cos = new long[tokens.length * half], sin = new long[tokens.length * half];
        FixedPointForward.ropeTables(logical.headDim(), half, c.ropeTheta(), s, tokens.length, cos, sin);
        long[] cFull = new long[tokens.length * 2 * half], sFull = new long[tokens.length * 2 * half];
        for (int i = 0; i < tokens.length; i++) {
            for (int e = 0; e < half; e++) {
                cFull[(2 * i) * half + e] = Goldilocks.fromSigned(cos[i * half + e]);
                cFull[(2 * i + 1) * half + e] = Goldilocks.fromSigned(cos[i * half + e]);
                sFull[(2 * i) * half + e] = Goldilocks.fromSigned(-sin[i * half + e]);
                sFull[(2 * i + 1) * half + e] = Goldilocks.fromSigned(sin[i * half + e]);
            }
        }
        Axis[] axes = concat(concat(new Axis[] {t}, headAxes), new Axis[] {hf, e2});
        TensorSpec y = rescaled(name, s, axes);
        relation(Relation.builder(name + "/rope").eq(axes).term(1L << s, Relation.committed(y))
                .term(1, Relation.committed(specs.get(name + ".rem")))
                .term(-1, Relation.committed(x), Relation.publicTensor(TensorSpec.of("rope.cos", t, hf, e2), cFull))
                .term(-1, Relation.flipped(x, "hf"), Relation.publicTensor(TensorSpec.of("rope.sin", t, hf, e2), sFull)).build());
        return y;
    }

    private TensorSpec layer(int l, TensorSpec x) {
        int s = p.scaleBits();
        String pre = "layer" + l + ".";
        Axis[] qAxes = {g, r, hf, e2};
        Axis[] kvAxes = {g, hf, e2};
        Axis[] dAxis = {d};
        TensorSpec h = rmsNorm(pre + "attn_norm", x, Checkpoint.layer(l, "input_layernorm.weight"), t);
        TensorSpec hq = TensorSpec.of(h.name(), t, d);
        TensorSpec q = projection(pre + "q", hq, Checkpoint.layer(l, "self_attn.q_proj.weight"), dAxis, qAxes);
        TensorSpec k = projection(pre + "k", hq, Checkpoint.layer(l, "self_attn.k_proj.weight"), dAxis, kvAxes);
        TensorSpec vv = projection(pre + "v", hq, Checkpoint.layer(l, "self_attn.v_proj.weight"), dAxis, kvAxes);
        TensorSpec qr = rope(pre + "q_rope", q, g, r);
        TensorSpec kr = rope(pre + "k_rope", k, g);

        // scores z0 = rescale_s(q~ k~^T) per query head (g, r) against its KV head g; z = rescale_s(z0 cs)
        TensorSpec z0 = rescaled(pre + "scores0", s, g, r, t, j);
        relation(Relation.builder(pre + "scores0/matmul").eq(g, r).fold(t, j).sum(hf, e2)
                .lhs(1L << s, Relation.committed(z0)).lhs(1, Relation.committed(specs.get(z0.name() + ".rem")))
                .term(1, Relation.committed(qr), Relation.committed(kr, "j", "g", "hf", "e2")).build());
        long cs = BoundAnalysis.scoreScale(s, logical.headDim());
        TensorSpec z = rescaled(pre + "scores", s, g, r, t, j);
        relation(Relation.builder(pre + "scores/scale").eq(g, r, t, j).term(1L << s, Relation.committed(z))
                .term(1, Relation.committed(specs.get(z.name() + ".rem"))).term(-cs, Relation.committed(z0)).build());

        // zkAttn
        long[] mask = new long[tokens.length * tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            for (int jj = 0; jj <= i; jj++) {
                mask[i * tokens.length + jj] = 1;
            }
        }
        Relation.Public maskT = Relation.publicTensor(TensorSpec.of("causal.mask", t, j), mask);
        TensorSpec shift = witness(pre + "shift", g, r, t);
        TensorSpec delta = witness(pre + "delta", g, r, t, j);
        relation(Relation.builder(pre + "softmax/delta").eq(g, r, t, j).term(1, Relation.committed(delta))
                .term(-1, maskT, Relation.committed(shift)).term(1, maskT, Relation.committed(z)).build());
        int lowDigits = p.expLowDigits(), b = p.expDigitBits();
        long[][] expTables = FixedPointForward.expTables(p);
        Relation.Builder digits = Relation.builder(pre + "softmax/digits").eq(g, r, t, j).term(1, Relation.committed(delta));
        TensorSpec[] factor = new TensorSpec[lowDigits + 1];
        for (int kk = 0; kk <= lowDigits; kk++) {
            TensorSpec dg = witness(pre + "exp.digit" + kk, g, r, t, j);
            factor[kk] = witness(pre + "exp.factor" + kk, g, r, t, j);
            digits.term(-(1L << (kk * b)), Relation.committed(dg));
            long[] xs = new long[expTables[kk].length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = i;
            }
            lookup(Table.function("exp" + kk + "[" + p.expDigitBits() + "," + p.expTopDigitBits() + "]", xs, expTables[kk]),
                    dg.name(), factor[kk].name());
        }
        relation(digits.build());
        TensorSpec prod = factor[lowDigits];
        for (int kk = lowDigits - 1; kk >= 0; kk--) {
            TensorSpec next = rescaled(pre + "exp.prod" + kk, s, g, r, t, j);
            relation(Relation.builder(next.name() + "/product").eq(g, r, t, j).term(1L << s, Relation.committed(next))
                    .term(1, Relation.committed(specs.get(next.name() + ".rem")))
                    .term(-1, Relation.committed(prod), Relation.committed(factor[kk])).build());
            prod = next;
        }
        TensorSpec attn = witness(pre + "attn", g, r, t, j);
        relation(Relation.builder(pre + "softmax/mask").eq(g, r, t, j).term(1, Relation.committed(attn))
                .term(-1, maskT, Relation.committed(prod)).build());
        TensorSpec rowdev = witness(pre + "softmax.rowdev", g, r, t);
        relation(Relation.builder(pre + "softmax/rowsum").eq(g, r, t).sum(j).lhs(1, Relation.committed(rowdev))
                .term(1, Relation.committed(attn)).term(-((1L << s) >> j.bits())).build());
        int tolBits = log(p.rowSumTolerance()) + 1;
        rangeLookup(rowdev.name(), -p.rowSumTolerance(), tolBits);
        if (((1L << s) >> j.bits()) << j.bits() != 1L << s) {
            throw ZksparkException.unsupported("sequences longer than 2^scaleBits");
        }

        // ctx = rescale_s(attn v)
        TensorSpec ctx = rescaled(pre + "ctx", s, t, g, r, hf, e2);
        relation(Relation.builder(pre + "ctx/matmul").eq(g, r).fold(t, hf, e2).sum(j)
                .lhs(1L << s, Relation.committed(ctx)).lhs(1, Relation.committed(specs.get(ctx.name() + ".rem")))
                .term(1, Relation.committed(attn), Relation.committed(vv, "j", "g", "hf", "e2")).build());
        TensorSpec o = projection(pre + "o", ctx, Checkpoint.layer(l, "self_attn.o_proj.weight"), qAxes, dAxis);
        TensorSpec x1 = residual(pre + "resid_attn", x, o);

        TensorSpec h2 = rmsNorm(pre + "ffn_norm", x1, Checkpoint.layer(l, "post_attention_layernorm.weight"), t);
        Axis[] fAxis = {f};
        TensorSpec gate = projection(pre + "gate", h2, Checkpoint.layer(l, "mlp.gate_proj.weight"), dAxis, fAxis);
        TensorSpec up = projection(pre + "up", h2, Checkpoint.layer(l, "mlp.up_proj.weight"), dAxis, fAxis);
        TensorSpec m = swiglu(pre, gate, up);
        TensorSpec y = projection(pre + "down", m, Checkpoint.layer(l, "mlp.down_proj.weight"), fAxis, dAxis);
        return residual(pre + "resid_ffn", x1, y);
    }

    private TensorSpec residual(String name, TensorSpec a, TensorSpec b) {
        TensorSpec out = witness(name, t, d);
        relation(Relation.builder(name + "/add").eq(t, d).term(1, Relation.committed(out))
                .term(-1, Relation.committed(TensorSpec.of(a.name(), t, d))).term(-1, Relation.committed(b)).build());
        activation(out);
        return out;
    }

    private TensorSpec swiglu(String pre, TensorSpec gate, TensorSpec up) {
        int s = p.scaleBits(), shift = s - p.sigmoidFracBits();
        TensorSpec in = rescaled(pre + "sig_in", shift, t, f);
        relation(Relation.builder(pre + "sig_in/rescale").eq(t, f).term(1L << shift, Relation.committed(in))
                .term(1, Relation.committed(specs.get(in.name() + ".rem"))).term(-1, Relation.committed(gate)).build());
        long lo = -(1L << (p.sigmoidIntBits() + p.sigmoidFracBits())), hi = -lo - 1;
        TensorSpec idx = witness(pre + "sig_idx", t, f);
        TensorSpec plus = witness(pre + "clamp.plus", t, f);
        TensorSpec minus = witness(pre + "clamp.minus", t, f);
        var I = Relation.committed(idx);
        var P = Relation.committed(plus);
        var M = Relation.committed(minus);
        relation(Relation.builder(pre + "clamp/split").eq(t, f).term(1, Relation.committed(in)).term(-1, I).term(-1, P)
                .term(1, M).build());
        relation(Relation.builder(pre + "clamp/high").eq(t, f).term(hi, P).term(-1, P, I).build());
        relation(Relation.builder(pre + "clamp/low").eq(t, f).term(1, M, I).term(-lo, M).build());
        limbs(plus, 0, p.activationBits());
        limbs(minus, 0, p.activationBits());
        long[] sig = FixedPointForward.sigmoidTable(p);
        long[] xs = new long[sig.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = lo + i;
        }
        TensorSpec sg = witness(pre + "sig", t, f);
        lookup(Table.function("sigmoid[" + p.sigmoidIntBits() + "." + p.sigmoidFracBits() + "]", xs, sig), idx.name(), sg.name());
        TensorSpec silu = rescaled(pre + "silu", s, t, f);
        relation(Relation.builder(pre + "silu/product").eq(t, f).term(1L << s, Relation.committed(silu))
                .term(1, Relation.committed(specs.get(silu.name() + ".rem"))).term(-1, Relation.committed(gate), Relation.committed(sg))
                .build());
        TensorSpec m = rescaled(pre + "mlp", s, t, f);
        relation(Relation.builder(pre + "mlp/product").eq(t, f).term(1L << s, Relation.committed(m))
                .term(1, Relation.committed(specs.get(m.name() + ".rem"))).term(-1, Relation.committed(silu), Relation.committed(up))
                .build());
        return m;
    }

    /** Output row i (position promptLength-1+i) must have generated[i] as the lowest-index argmax. */
    private void argmax(TensorSpec logits) {
        int n = outputPositions.length, vocab = c.vocab();
        long[] pick = new long[n * vocab], rowMask = new long[n * vocab], below = new long[n * vocab];
        for (int pos = 0; pos < generated.length; pos++) {
            int gt = generated[pos];
            pick[pos * vocab + gt] = 1;
            for (int vv = 0; vv < logical.vocab(); vv++) {
                rowMask[pos * vocab + vv] = 1; // padded vocabulary entries are not candidates
            }
            for (int vv = 0; vv < gt; vv++) {
                below[pos * vocab + vv] = 1;
            }
        }
        TensorSpec lsel = witness("argmax.picked", o);
        relation(Relation.builder("argmax/pick").eq(o).sum(v).lhs(1, Relation.committed(lsel))
                .term(1, Relation.publicTensor(TensorSpec.of("generated.onehot", o, v), pick), Relation.committed(logits)).build());
        TensorSpec dif = witness("argmax.gap", o, v);
        Relation.Public rm = Relation.publicTensor(TensorSpec.of("generated.candidates", o, v), rowMask);
        relation(Relation.builder("argmax/gap").eq(o, v).term(1, Relation.committed(dif)).term(-1, rm, Relation.committed(lsel))
                .term(1, rm, Relation.committed(logits)).term(1, Relation.publicTensor(TensorSpec.of("generated.below", o, v), below))
                .build());
        limbs(dif, 0, p.activationBits());
    }
}
