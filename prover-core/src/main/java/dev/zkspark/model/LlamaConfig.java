package dev.zkspark.model;

import dev.zkspark.core.ByteSink;

/**
 * Llama-family architecture hyper-parameters (DESIGN §1). Immutable; validated on construction.
 *
 * @param dim model (residual stream) width
 * @param hiddenDim SwiGLU hidden width
 * @param layers number of transformer blocks
 * @param heads number of query heads
 * @param kvHeads number of key/value heads (grouped-query attention when smaller than heads)
 * @param vocab vocabulary size
 * @param maxSeq maximum sequence length (prompt plus generated tokens)
 * @param normEps RMSNorm epsilon
 * @param ropeTheta RoPE base frequency
 * @param tiedEmbeddings whether the classifier reuses the token embedding matrix
 */
public record LlamaConfig(
        int dim,
        int hiddenDim,
        int layers,
        int heads,
        int kvHeads,
        int vocab,
        int maxSeq,
        float normEps,
        float ropeTheta,
        boolean tiedEmbeddings) {

    public LlamaConfig {
        check(dim > 0 && hiddenDim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && vocab > 0 && maxSeq > 0,
                "all sizes must be positive");
        check(dim % heads == 0, "dim " + dim + " is not a multiple of heads " + heads);
        check(heads % kvHeads == 0, "heads " + heads + " is not a multiple of kv heads " + kvHeads);
        check((dim / heads) % 2 == 0, "head dimension must be even for RoPE");
        check(normEps > 0 && Float.isFinite(normEps), "normEps must be positive");
        check(ropeTheta > 0 && Float.isFinite(ropeTheta), "ropeTheta must be positive");
    }

    private static void check(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException("invalid Llama config: " + msg);
        }
    }

    public int headDim() {
        return dim / heads;
    }

    public int kvDim() {
        return kvHeads * headDim();
    }

    /** Number of parameters (the classifier counted once when tied). */
    public long parameterCount() {
        long perLayer = 2L * dim // two RMSNorm weights
                + (long) dim * dim // wq
                + 2L * dim * kvDim() // wk, wv
                + (long) dim * dim // wo
                + 3L * dim * hiddenDim; // gate, up, down
        long total = (long) vocab * dim + layers * perLayer + dim;
        if (!tiedEmbeddings) {
            total += (long) vocab * dim;
        }
        return total;
    }

    /** Canonical encoding, part of the model commitment and of its digest. */
    public void write(ByteSink out) {
        out.u32(dim).u32(hiddenDim).u32(layers).u32(heads).u32(kvHeads).u32(vocab).u32(maxSeq);
        out.u32(Float.floatToIntBits(normEps)).u32(Float.floatToIntBits(ropeTheta)).u8(tiedEmbeddings ? 1 : 0);
    }
}
