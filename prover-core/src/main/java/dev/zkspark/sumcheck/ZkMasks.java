package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.pcs.Drbg;

/**
 * The committed randomness of zero-knowledge protocols: one base-field tensor of the witness,
 * committed with it before any challenge is drawn. Protocols take slots in a fixed order, so prover
 * and verifier (which knows only the count) agree on every slot; an extension element takes three
 * consecutive slots (coordinates in the basis 1, X, X^2 of F_p^3, since a mask must be uniform in
 * the field the revealed values live in, not only in a base-field line).
 */
public final class ZkMasks {
    private final String tensor;
    private final long[] values; // null on the verifier's side and when counting
    private int next;

    private ZkMasks(String tensor, long[] values) {
        this.tensor = tensor;
        this.values = values;
    }

    /** The prover's masks: the committed tensor's values. */
    public static ZkMasks of(String tensor, long[] values) {
        return new ZkMasks(tensor, values);
    }

    /** The verifier's view (slot numbers only), also used to count the slots a protocol needs. */
    public static ZkMasks slotsOnly(String tensor) {
        return new ZkMasks(tensor, null);
    }

    /** Uniform mask values from the prover's DRBG, {@code size} slots (a power of two). */
    public static long[] generate(byte[] seed, String label, int size) {
        Drbg d = new Drbg(seed, "zk/masks/" + label);
        long[] v = new long[size];
        for (int i = 0; i < size; i++) {
            v[i] = d.nextField();
        }
        return v;
    }

    public String tensor() {
        return tensor;
    }

    /** Takes {@code count} extension elements; returns the first slot. */
    public int take(int count) {
        int s = next;
        next += 3 * count;
        if (values != null && next > values.length) {
            throw new IllegalStateException("zero-knowledge masks " + tensor + " exhausted: " + next + " > " + values.length);
        }
        return s;
    }

    /** Slots taken so far. */
    public int used() {
        return next;
    }

    public boolean hasValues() {
        return values != null;
    }

    /** The extension element at {@code slot} (prover only). */
    public Fp3 ext(int slot) {
        if (values == null) {
            throw new IllegalStateException("the verifier has no mask values");
        }
        return new Fp3(values[slot], values[slot + 1], values[slot + 2]);
    }

    /** The d-th basis element of F_p^3 (1, X, X^2). */
    static Fp3 basis(int d) {
        return switch (d) {
            case 0 -> Fp3.ONE;
            case 1 -> new Fp3(0, 1, 0);
            default -> new Fp3(0, 0, 1);
        };
    }

    /** The slot count rounded up to a committed tensor's size (a power of two, at least 8). */
    public static int tensorSize(int slots) {
        int n = 8;
        while (n < slots) {
            n <<= 1;
        }
        return n;
    }
}
