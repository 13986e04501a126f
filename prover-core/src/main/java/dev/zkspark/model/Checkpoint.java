package dev.zkspark.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A float checkpoint: a config and named float32 tensors in Hugging Face Llama naming and layout,
 * whatever file format it came from. This is the canonical in-memory model that quantization and
 * the float reference read.
 *
 * <p>Names and shapes (row-major, [out, in] for projections):
 * <ul>
 *   <li>{@code model.embed_tokens.weight} [vocab, dim]
 *   <li>{@code model.layers.L.input_layernorm.weight} [dim]
 *   <li>{@code model.layers.L.self_attn.q_proj.weight} [dim, dim]; {@code k_proj}, {@code v_proj}
 *       [kvDim, dim]; {@code o_proj} [dim, dim]
 *   <li>{@code model.layers.L.post_attention_layernorm.weight} [dim]
 *   <li>{@code model.layers.L.mlp.gate_proj.weight}, {@code up_proj} [hidden, dim];
 *       {@code down_proj} [dim, hidden]
 *   <li>{@code model.norm.weight} [dim]
 *   <li>{@code lm_head.weight} [vocab, dim], absent when embeddings are tied
 * </ul>
 * RoPE follows the Hugging Face "rotate half" convention: within a head, element i pairs with
 * element i + headDim/2. Readers of formats that store q/k in the interleaved Meta layout (llama2.c,
 * GGUF) permute those rows on load.
 */
public final class Checkpoint {
    private final LlamaConfig config;
    private final Map<String, float[]> tensors;
    private final Map<String, int[]> shapes;

    public Checkpoint(LlamaConfig config, Map<String, float[]> tensors, Map<String, int[]> shapes) {
        this.config = config;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        for (Map.Entry<String, int[]> e : expectedShapes(config).entrySet()) {
            float[] t = this.tensors.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("missing tensor " + e.getKey());
            }
            long n = 1;
            for (int d : e.getValue()) {
                n *= d;
            }
            if (t.length != n || !java.util.Arrays.equals(this.shapes.get(e.getKey()), e.getValue())) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(this.shapes.get(e.getKey())) + ", expected "
                        + java.util.Arrays.toString(e.getValue()));
            }
        }
    }

    public LlamaConfig config() {
        return config;
    }

    /** The tensor's data (shared; do not mutate). */
    public float[] tensor(String name) {
        float[] t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return t;
    }

    public int[] shape(String name) {
        return shapes.get(name).clone();
    }

    /** The classifier matrix [vocab, dim]: lm_head, or the embedding when tied. */
    public float[] classifier() {
        return config.tiedEmbeddings() ? tensor("model.embed_tokens.weight") : tensor("lm_head.weight");
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public static String layer(int l, String suffix) {
        return "model.layers." + l + "." + suffix;
    }

    /** Every tensor a checkpoint of this config must have, with its shape, in canonical order. */
    public static Map<String, int[]> expectedShapes(LlamaConfig c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("model.embed_tokens.weight", new int[] {c.vocab(), c.dim()});
        for (int l = 0; l < c.layers(); l++) {
            m.put(layer(l, "input_layernorm.weight"), new int[] {c.dim()});
            m.put(layer(l, "self_attn.q_proj.weight"), new int[] {c.dim(), c.dim()});
            m.put(layer(l, "self_attn.k_proj.weight"), new int[] {c.kvDim(), c.dim()});
            m.put(layer(l, "self_attn.v_proj.weight"), new int[] {c.kvDim(), c.dim()});
            m.put(layer(l, "self_attn.o_proj.weight"), new int[] {c.dim(), c.dim()});
            m.put(layer(l, "post_attention_layernorm.weight"), new int[] {c.dim()});
            m.put(layer(l, "mlp.gate_proj.weight"), new int[] {c.hiddenDim(), c.dim()});
            m.put(layer(l, "mlp.up_proj.weight"), new int[] {c.hiddenDim(), c.dim()});
            m.put(layer(l, "mlp.down_proj.weight"), new int[] {c.dim(), c.hiddenDim()});
        }
        m.put("model.norm.weight", new int[] {c.dim()});
        if (!c.tiedEmbeddings()) {
            m.put("lm_head.weight", new int[] {c.vocab(), c.dim()});
        }
        return m;
    }
}
