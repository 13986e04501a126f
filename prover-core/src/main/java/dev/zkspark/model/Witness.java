package dev.zkspark.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The witness of one inference (DESIGN §5.2): every tensor the fixed-point forward pass computes,
 * in the order it computes them, as signed integers (embedded in the field only when committed).
 * Names are {@code embed.*}, {@code layer<L>.<op>}, {@code final_norm.*} and {@code logits}; a rescale
 * output {@code X} has its remainder in {@code X.rem}. docs/FIXED_POINT.md defines each value.
 */
public final class Witness {

    /** One named tensor: shape and row-major signed values. */
    public record Tensor(String name, int[] shape, long[] values) {
        public long at(int... idx) {
            int flat = 0;
            for (int i = 0; i < idx.length; i++) {
                flat = flat * shape[i] + idx[i];
            }
            return values[flat];
        }
    }

    private final int[] tokens;
    private final boolean full;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    Witness(int[] tokens, boolean full) {
        this.tokens = tokens.clone();
        this.full = full;
    }

    /** Records a tensor; a logits-only witness keeps just the logits. */
    void put(String name, long[] values, int... shape) {
        if (full || name.equals("logits")) {
            if (tensors.putIfAbsent(name, new Tensor(name, shape, values)) != null) {
                throw new IllegalStateException("witness tensor recorded twice: " + name);
            }
        }
    }

    public int[] tokens() {
        return tokens.clone();
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no witness tensor " + name);
        }
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Integer logits [T][vocab] at scale 2^s. */
    public long[][] logits() {
        Tensor t = tensor("logits");
        int rows = t.shape()[0], vocab = t.shape()[1];
        long[][] out = new long[rows][vocab];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(t.values(), i * vocab, out[i], 0, vocab);
        }
        return out;
    }

    /** Number of field elements the witness holds (before padding). */
    public long elementCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.values().length;
        }
        return n;
    }
}
