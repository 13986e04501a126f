package dev.zkspark.transcript;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.Blake3Digest;

/** A streaming 32-byte digest; {@link #digest()} returns the result and resets the instance. */
public abstract sealed class Digester permits Digester.Sha256, Digester.Blake3 {
    public abstract void update(byte[] b, int off, int len);

    public abstract byte[] digest();

    public final void update(byte[] b) {
        update(b, 0, b.length);
    }

    public final void updateByte(int v) {
        update(new byte[] {(byte) v}, 0, 1);
    }

    public final void updateInt(int v) {
        update(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)}, 0, 4);
    }

    public final void updateLong(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        update(b, 0, 8);
    }

    static final class Sha256 extends Digester {
        private final MessageDigest md;

        /**
         * A fresh instance that is never updated, only cloned: the provider lookup of
         * {@code getInstance} (reflective, about a microsecond) would otherwise be paid by every
         * one-shot digest, such as each column's mask digest or each block of a salt stream.
         */
        private static final MessageDigest PROTOTYPE = create();

        Sha256() {
            MessageDigest m;
            try {
                m = (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                m = create();
            }
            md = m;
        }

        private static MessageDigest create() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        public byte[] digest() {
            return md.digest();
        }
    }

    static final class Blake3 extends Digester {
        private final Blake3Digest d = new Blake3Digest(256);

        @Override
        public void update(byte[] b, int off, int len) {
            d.update(b, off, len);
        }

        @Override
        public byte[] digest() {
            byte[] out = new byte[32];
            d.doFinal(out, 0);
            return out;
        }
    }
}
