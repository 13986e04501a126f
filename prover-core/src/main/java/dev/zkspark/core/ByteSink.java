package dev.zkspark.core;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import java.io.ByteArrayOutputStream;

/** Canonical little-endian encoder for proofs and commitments (the inverse of {@link ByteSource}). */
public final class ByteSink {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ByteSink u8(int v) {
        out.write(v);
        return this;
    }

    public ByteSink u32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
        return this;
    }

    public ByteSink u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public ByteSink field(long a) {
        return u64(a);
    }

    public ByteSink ext(Fp3 e) {
        return u64(e.c0).u64(e.c1).u64(e.c2);
    }

    public ByteSink exts(Fp3[] es) {
        u32(es.length);
        for (Fp3 e : es) {
            ext(e);
        }
        return this;
    }

    public ByteSink fields(long[] a) {
        u32(a.length);
        for (long v : a) {
            u64(v);
        }
        return this;
    }

    public ByteSink bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** Length-prefixed (u32) bytes. */
    public ByteSink blob(byte[] b) {
        u32(b.length);
        return bytes(b);
    }

    public ByteSink utf8(String s) {
        return blob(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    static void checkCanonical(long v) throws MalformedInputException {
        if (!Goldilocks.isCanonical(v)) {
            throw new MalformedInputException("non-canonical field element");
        }
    }
}
