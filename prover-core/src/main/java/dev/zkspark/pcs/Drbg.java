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
        Digester d = Hash.SHA256.newDigester();
        d.updateInt(seed.length);
        d.update(seed);
        d.updateInt(label.length);
        d.update(label);
        d.updateLong(counter++);
        block = d.digest();
        pos = 0;
    }
}
