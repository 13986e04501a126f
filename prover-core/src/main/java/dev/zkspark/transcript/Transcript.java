package dev.zkspark.transcript;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import java.nio.charset.StandardCharsets;

/**
 * The Fiat-Shamir transcript (DESIGN §4).
 *
 * <p>State is a 32-byte hash chain: every operation replaces the state with H(state || tag || label
 * length || label || data length || data). Labels and lengths make the encoding injective, so two
 * different sequences of operations never reach the same state unless H collides. The protocol id
 * and the public statement are absorbed at creation, so no challenge can be drawn before them;
 * callers absorb every commitment before drawing the challenges that depend on it.
 *
 * <p>Challenges are elements of F_p^3: three 64-bit words from H(state || counter) each accepted
 * only if below p (rejection sampling, so each coordinate is exactly uniform; a word is rejected
 * with probability about 2^-32).
 *
 * <p>{@link #fork} derives an independent child for a parallel task (a layer, a partition): the
 * child starts from H(parent state || "fork" || label), bound to everything absorbed so far, and
 * the parent is not advanced. Two forks with different labels get independent challenges.
 *
 * <p>A transcript is mutable and single-threaded; the verifier replays it from the same inputs.
 */
public final class Transcript {
    private static final byte TAG_INIT = 0x00;
    private static final byte TAG_ABSORB = 0x01;
    private static final byte TAG_CHALLENGE = 0x02;
    private static final byte TAG_FORK = 0x03;
    private static final byte TAG_SQUEEZE_BLOCK = 0x04;

    private final Hash hash;
    private byte[] state;

    private Transcript(Hash hash, byte[] state) {
        this.hash = hash;
        this.state = state;
    }

    /** A transcript for protocol {@code protocolId} over the encoded public statement. */
    public static Transcript create(Hash hash, String protocolId, byte[] statement) {
        Transcript t = new Transcript(hash, new byte[Hash.DIGEST_BYTES]);
        t.step(TAG_INIT, "protocol:" + protocolId, statement);
        return t;
    }

    public Hash hash() {
        return hash;
    }

    /** A copy of the current 32-byte state (for tests and for binding a proof to its transcript). */
    public byte[] state() {
        return state.clone();
    }

    public void absorb(String label, byte[] data) {
        step(TAG_ABSORB, label, data);
    }

    /** Absorbs canonical base-field elements, 8 bytes little-endian each. */
    public void absorbFields(String label, long... elems) {
        byte[] b = new byte[8 * elems.length];
        for (int i = 0; i < elems.length; i++) {
            Goldilocks.toBytesLE(elems[i], b, 8 * i);
        }
        absorb(label, b);
    }

    public void absorbExt(String label, Fp3... elems) {
        byte[] b = new byte[24 * elems.length];
        for (int i = 0; i < elems.length; i++) {
            Goldilocks.toBytesLE(elems[i].c0, b, 24 * i);
            Goldilocks.toBytesLE(elems[i].c1, b, 24 * i + 8);
            Goldilocks.toBytesLE(elems[i].c2, b, 24 * i + 16);
        }
        absorb(label, b);
    }

    public void absorbLong(String label, long v) {
        byte[] b = new byte[8];
        Goldilocks.toBytesLE(v, b, 0);
        absorb(label, b);
    }

    /** Draws a uniformly random element of F_p^3. */
    public Fp3 challengeExt(String label) {
        step(TAG_CHALLENGE, label, new byte[0]);
        long[] c = new long[3];
        int got = 0;
        for (int counter = 0; got < 3; counter++) {
            Digester d = hash.newDigester();
            d.update(state);
            d.updateByte(TAG_SQUEEZE_BLOCK);
            d.updateInt(counter);
            byte[] block = d.digest();
            for (int off = 0; off + 8 <= block.length && got < 3; off += 8) {
                long v = 0;
                for (int i = 7; i >= 0; i--) {
                    v = (v << 8) | (block[off + i] & 0xFFL);
                }
                if (Goldilocks.isCanonical(v)) {
                    c[got++] = v;
                }
            }
        }
        return new Fp3(c[0], c[1], c[2]);
    }

    /** n challenges drawn one after the other under labels label[0], label[1], ... */
    public Fp3[] challengesExt(String label, int n) {
        Fp3[] out = new Fp3[n];
        for (int i = 0; i < n; i++) {
            out[i] = challengeExt(label + "[" + i + "]");
        }
        return out;
    }

    /**
     * Draws an integer uniform in [0, bound) (bound at most 2^62), for query indices; rejection
     * sampling keeps it exactly uniform.
     */
    public long challengeIndex(String label, long bound) {
        if (bound <= 0 || bound > (1L << 62)) {
            throw new IllegalArgumentException("index bound out of range: " + bound);
        }
        long mask = Long.highestOneBit(bound) == bound ? bound - 1 : (Long.highestOneBit(bound) << 1) - 1;
        step(TAG_CHALLENGE, label, new byte[0]);
        for (int counter = 0; ; counter++) {
            Digester d = hash.newDigester();
            d.update(state);
            d.updateByte(TAG_SQUEEZE_BLOCK);
            d.updateInt(counter);
            byte[] block = d.digest();
            for (int off = 0; off + 8 <= block.length; off += 8) {
                long v = 0;
                for (int i = 7; i >= 0; i--) {
                    v = (v << 8) | (block[off + i] & 0xFFL);
                }
                v &= mask;
                if (v < bound) {
                    return v;
                }
            }
        }
    }

    /** An independent child transcript for task {@code label}; this transcript is unchanged. */
    public Transcript fork(String label) {
        Digester d = hash.newDigester();
        d.update(state);
        d.updateByte(TAG_FORK);
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        d.updateInt(l.length);
        d.update(l);
        return new Transcript(hash, d.digest());
    }

    /** A copy with the same state, for speculative use (e.g. a simulator). */
    public Transcript copy() {
        return new Transcript(hash, state.clone());
    }

    private void step(byte tag, String label, byte[] data) {
        Digester d = hash.newDigester();
        d.update(state);
        d.updateByte(tag);
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        d.updateInt(l.length);
        d.update(l);
        d.updateLong(data.length);
        d.update(data);
        state = d.digest();
    }
}
