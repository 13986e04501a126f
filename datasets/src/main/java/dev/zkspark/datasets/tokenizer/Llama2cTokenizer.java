package dev.zkspark.datasets.tokenizer;

import dev.zkspark.core.ZksparkException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The tokenizer of llama2.c's {@code tokenizer.bin}: int32 max token length, then per token a float32
 * score, an int32 byte length and the UTF-8 bytes. Encoding follows {@code run.c}: a dummy prefix
 * space, one token per character (byte-fallback tokens {@code <0xXX>} at ids 3 + byte for characters
 * without one), then repeatedly merge the adjacent pair whose concatenation is the token with the
 * highest score. Ids 0, 1, 2 are unknown, BOS and EOS.
 */
public final class Llama2cTokenizer implements Tokenizer {
    private final String[] vocab;
    private final float[] scores;
    private final Map<String, Integer> index = new HashMap<>();

    public Llama2cTokenizer(String[] vocab, float[] scores) {
        this.vocab = vocab.clone();
        this.scores = scores.clone();
        for (int i = vocab.length - 1; i >= 0; i--) {
            index.put(vocab[i], i);
        }
    }

    /** Parses tokenizer.bin bytes for a model with {@code vocabSize} tokens. */
    public static Llama2cTokenizer read(byte[] data, int vocabSize, String what) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        String[] v = new String[vocabSize];
        float[] s = new float[vocabSize];
        try {
            int max = b.getInt();
            if (max <= 0 || max > 1 << 16) {
                throw ZksparkException.badInput(what + ": not a llama2.c tokenizer (max token length " + max + ")");
            }
            for (int i = 0; i < vocabSize; i++) {
                s[i] = b.getFloat();
                int len = b.getInt();
                if (len < 0 || len > max || len > b.remaining()) {
                    throw ZksparkException.badInput(what + ": token " + i + " has a bad length " + len);
                }
                byte[] t = new byte[len];
                b.get(t);
                v[i] = new String(t, StandardCharsets.UTF_8);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw ZksparkException.badInput(what + ": truncated (the model has " + vocabSize + " tokens)");
        }
        if (b.hasRemaining()) {
            throw ZksparkException.badInput(what + ": " + b.remaining() + " bytes after the last of " + vocabSize + " tokens");
        }
        return new Llama2cTokenizer(v, s);
    }

    @Override
    public int[] encode(String text, boolean bos) {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        if (bos) {
            ids.add(bosId());
        }
        int start = ids.size();
        String s = " " + text;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            Integer id = index.get(ch);
            if (id != null) {
                ids.add(id);
            } else {
                for (byte x : ch.getBytes(StandardCharsets.UTF_8)) {
                    ids.add((x & 0xFF) + 3);
                }
            }
            i += Character.charCount(cp);
        }
        while (true) {
            float best = Float.NEGATIVE_INFINITY;
            int bestId = -1;
            int bestAt = -1;
            for (int i = start; i + 1 < ids.size(); i++) {
                Integer m = index.get(vocab[ids.get(i)] + vocab[ids.get(i + 1)]);
                if (m != null && m >= 259 && scores[m] > best) {
                    best = scores[m];
                    bestId = m;
                    bestAt = i;
                }
            }
            if (bestId < 0) {
                break;
            }
            ids.set(bestAt, bestId);
            ids.remove(bestAt + 1);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (int id : ids) {
            if (id == bosId() || id == eosId()) {
                continue;
            }
            if (id < 0 || id >= vocab.length) {
                throw ZksparkException.badInput("token id " + id + " is outside the vocabulary of " + vocab.length);
            }
            String t = vocab[id];
            if (t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
                out.write(Integer.parseInt(t.substring(3, 5), 16));
            } else {
                if (first && t.startsWith(" ")) {
                    t = t.substring(1); // the dummy prefix space
                }
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
            first = false;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int bosId() {
        return 1;
    }

    @Override
    public int eosId() {
        return 2;
    }

    @Override
    public int vocabSize() {
        return vocab.length;
    }

    public String piece(int id) {
        return vocab[id];
    }
}
