package dev.zkspark.core;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked canonical decoder. Every read checks the remaining length first and every field
 * element is checked to be canonical, so malformed input is refused before any heavy work and with
 * a reason, never with an exception other than {@link MalformedInputException}.
 */
public final class ByteSource {
    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteSource(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteSource(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    private void need(int n, String what) throws MalformedInputException {
        if (n < 0 || end - pos < n) {
            throw new MalformedInputException("truncated: " + what + " needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    public int u8(String what) throws MalformedInputException {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    public int u32(String what) throws MalformedInputException {
        need(4, what);
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 4;
        return v;
    }

    /** A u32 that must lie in [0, max]: lengths and counts, bounded before any allocation. */
    public int count(String what, int max) throws MalformedInputException {
        int v = u32(what);
        if (v < 0 || v > max) {
            throw new MalformedInputException(what + " out of range: " + Integer.toUnsignedString(v) + " > " + max);
        }
        return v;
    }

    public long u64(String what) throws MalformedInputException {
        need(8, what);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 8;
        return v;
    }

    public long field(String what) throws MalformedInputException {
        long v = u64(what);
        if (!Goldilocks.isCanonical(v)) {
            throw new MalformedInputException(what + ": non-canonical field element");
        }
        return v;
    }

    public Fp3 ext(String what) throws MalformedInputException {
        return new Fp3(field(what), field(what), field(what));
    }

    public Fp3[] exts(String what, int max) throws MalformedInputException {
        int n = count(what + " count", max);
        need(24 * n, what);
        Fp3[] out = new Fp3[n];
        for (int i = 0; i < n; i++) {
            out[i] = ext(what);
        }
        return out;
    }

    public long[] fields(String what, int max) throws MalformedInputException {
        int n = count(what + " count", max);
        need(8 * n, what);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = field(what);
        }
        return out;
    }

    public byte[] bytes(String what, int n) throws MalformedInputException {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public byte[] blob(String what, int max) throws MalformedInputException {
        int n = count(what + " length", max);
        return bytes(what, n);
    }

    public String utf8(String what, int max) throws MalformedInputException {
        return new String(blob(what, max), StandardCharsets.UTF_8);
    }

    /** Fails unless every byte was consumed (trailing bytes are malformed, not ignored). */
    public void expectEnd(String what) throws MalformedInputException {
        if (pos != end) {
            throw new MalformedInputException(what + ": " + (end - pos) + " trailing bytes");
        }
    }
}
