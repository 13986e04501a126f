package dev.zkspark.pcs;

import dev.zkspark.field.Goldilocks;
import dev.zkspark.transcript.Digester;
import dev.zkspark.transcript.Hash;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic prover randomness (DESIGN §6): SHA-256 in counter mode over (secret seed, purpose
 * label), i.e. block_i = SHA-256(seed || label || i). With a 256-bit secret seed the output is
 * indistinguishable from random under SHA-256's PRF assumption; the same seed and label give the
 * same stream, so a recomputed Spark partition reproduces the same commitment bytes. Field
 * elements are drawn by rejection (exactly uniform).
 */
public final class Drbg {
    private final byte[] seed;
    private final byte[] label;
    private long counter;
    private byte[] block = new byte[0];
    private int pos;
    // the block hash's input is SHA-256(u32 |seed| || seed || u32 |label| || label || u64 counter),
    // little-endian lengths and counter; its fixed prefix and digester are made once per stream
    private Digester digester;
    private byte[] prefix;
    private final byte[] counterBytes = new byte[8];

    public Drbg(byte[] seed, String label) {
        if (seed.length < 16) {
            throw new IllegalArgumentException("prover seed must have at least 128 bits");
        }
        this.seed = seed.clone();
        this.label = label.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Moves to byte {@code offset} of the stream (the block offset / 32 is recomputed there): the
     * stream is random-access, so a salt or pad entry is found without generating those before it.
     */
    public Drbg seek(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative stream offset " + offset);
        }
        counter = offset / 32;
        refill();
        pos = (int) (offset % 32);
        return this;
    }

    public void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (pos == block.length) {
                refill();
            }
            out[i] = block[pos++];
        }
    }

    public long nextField() {
        while (true) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                if (pos == block.length) {
                    refill();
                }
                v |= (block[pos++] & 0xFFL) << (8 * i);
            }
            if (Goldilocks.isCanonical(v)) {
                return v;
            }
        }
    }

    private void refill() {
        if (digester == null) {
            digester = Hash.SHA256.newDigester();
            prefix = new byte[4 + seed.length + 4 + label.length];
            putInt(prefix, 0, seed.length);
            System.arraycopy(seed, 0, prefix, 4, seed.length);
            putInt(prefix, 4 + seed.length, label.length);
            System.arraycopy(label, 0, prefix, 8 + seed.length, label.length);
        }
        long c = counter++;
        for (int i = 0; i < 8; i++) {
            counterBytes[i] = (byte) (c >>> (8 * i));
        }
        digester.update(prefix);
        digester.update(counterBytes);
        block = digester.digest();
        pos = 0;
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
