package dev.zkspark.proof;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;

/**
 * The public statement (DESIGN §1): the committed model's digest, the quantization digest, the
 * prompt token ids, the generated token ids and the decoding rule (greedy, ties to the lowest id).
 * Claim: the committed quantized model, run in zkspark's fixed-point arithmetic on the prompt with
 * greedy decoding, generates exactly these tokens.
 */
public record Statement(byte[] modelDigest, byte[] quantDigest, int[] prompt, int[] generated) {
    public static final String DECODING = "greedy";
    static final int MAX_TOKENS = 1 << 20;

    public Statement {
        modelDigest = modelDigest.clone();
        quantDigest = quantDigest.clone();
        prompt = prompt.clone();
        generated = generated.clone();
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    @Override
    public int[] generated() {
        return generated.clone();
    }

    /** The tokens the forward pass runs on (teacher forcing): prompt ++ generated[0..n-2]. */
    public int[] forwardTokens() {
        int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + Math.max(0, generated.length - 1));
        System.arraycopy(generated, 0, seq, prompt.length, Math.max(0, generated.length - 1));
        return seq;
    }

    public byte[] toBytes() {
        ByteSink out = new ByteSink();
        out.bytes(modelDigest).bytes(quantDigest).utf8(DECODING).u32(prompt.length);
        for (int v : prompt) {
            out.u32(v);
        }
        out.u32(generated.length);
        for (int v : generated) {
            out.u32(v);
        }
        return out.toByteArray();
    }

    public static Statement parse(byte[] b) throws MalformedInputException {
        ByteSource in = new ByteSource(b);
        byte[] md = in.bytes("model digest", 32);
        byte[] qd = in.bytes("quantization digest", 32);
        String rule = in.utf8("decoding rule", 64);
        if (!rule.equals(DECODING)) {
            throw new MalformedInputException("decoding rule '" + rule + "' is not supported (only greedy)");
        }
        int[] prompt = ids(in, "prompt");
        int[] gen = ids(in, "generated");
        in.expectEnd("statement");
        return new Statement(md, qd, prompt, gen);
    }

    private static int[] ids(ByteSource in, String what) throws MalformedInputException {
        int n = in.count(what + " length", MAX_TOKENS);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.u32(what + " token");
        }
        return out;
    }
}
