package dev.zkspark.model;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ZksparkException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Every parameter of zkspark's fixed-point arithmetic and of the circuit that checks it (see
 * docs/FIXED_POINT.md, which defines each one). The statement commits to {@link #digest()}, so a
 * proof made under one set of parameters never verifies under another.
 *
 * @param scaleBits s: activations are integers at scale 2^s
 * @param weightBits 0 for weights at scale 2^s; otherwise each weight tensor's integers fit in this
 *     many signed bits (its fractional bits are the largest f <= s that fit)
 * @param activationBits B: every stored activation lies in [-2^(B-1), 2^(B-1))
 * @param normScaleBits sm: scale of the RMSNorm mean square
 * @param expDigitBits b: bits per low digit of the softmax exponent
 * @param expLowDigits K: number of low digits (the top digit takes the remaining B - K b bits)
 * @param sigmoidFracBits sf: input precision of the sigmoid table
 * @param sigmoidIntBits si: the sigmoid table covers [-2^si, 2^si)
 * @param rowSumTolerance tol (a power of two): -tol <= sum_j a_ij - 2^s < tol for every softmax row
 */
public record QuantParams(
        int scaleBits,
        int weightBits,
        int activationBits,
        int normScaleBits,
        int expDigitBits,
        int expLowDigits,
        int sigmoidFracBits,
        int sigmoidIntBits,
        int rowSumTolerance) {

    /** Version of the arithmetic in docs/FIXED_POINT.md; part of the digest. */
    public static final String VERSION = "zkspark-fixed-point-v1";

    /** Largest table the verifier rebuilds itself (DESIGN §4: function tables at most 2^20). */
    public static final int MAX_TABLE_BITS = 20;

    /**
     * Defaults: 16 fractional bits; activations below 2^25 in magnitude (B = 26: the bundled model
     * peaks at 2^23.8, in its raw attention scores), which keeps sums of squares of rows up to 4096
     * wide under the 2^62 bound; softmax exponent in two 8-bit digits and a 10-bit top digit.
     */
    public static final QuantParams DEFAULT = new QuantParams(16, 0, 26, 24, 8, 2, 12, 4, 512);

    public QuantParams {
        check(scaleBits >= 4 && scaleBits <= 24, "scaleBits must be in 4..24");
        check(weightBits == 0 || (weightBits >= 2 && weightBits <= 24), "weightBits must be 0 or in 2..24");
        check(activationBits > scaleBits && activationBits <= 40, "activationBits must be in scaleBits+1..40");
        check(normScaleBits >= 1 && normScaleBits <= 2 * scaleBits, "normScaleBits must be in 1..2*scaleBits");
        check(2 * scaleBits + normScaleBits <= 60, "2*scaleBits + normScaleBits must be at most 60");
        check(expDigitBits >= 1 && expLowDigits >= 0 && expDigitBits <= MAX_TABLE_BITS, "bad softmax digit sizes");
        check(activationBits - expLowDigits * expDigitBits >= 1
                        && activationBits - expLowDigits * expDigitBits <= MAX_TABLE_BITS,
                "the top softmax digit must have 1.." + MAX_TABLE_BITS + " bits (activationBits - expLowDigits*expDigitBits)");
        check(sigmoidFracBits >= 0 && sigmoidFracBits <= scaleBits, "sigmoidFracBits must be in 0..scaleBits");
        check(sigmoidIntBits >= 0 && sigmoidIntBits + sigmoidFracBits + 1 <= MAX_TABLE_BITS,
                "the sigmoid table must have at most 2^" + MAX_TABLE_BITS + " entries");
        check(rowSumTolerance >= 1 && rowSumTolerance < (1 << scaleBits) && Integer.bitCount(rowSumTolerance) == 1,
                "rowSumTolerance must be a power of two below 2^scaleBits");
    }

    private static void check(boolean ok, String msg) {
        if (!ok) {
            throw ZksparkException.badInput("invalid quantization parameters: " + msg);
        }
    }

    /** The default parameters with another weight bit budget (0 = weights at scale 2^s). */
    public QuantParams withWeightBits(int bits) {
        return new QuantParams(scaleBits, bits, activationBits, normScaleBits, expDigitBits, expLowDigits,
                sigmoidFracBits, sigmoidIntBits, rowSumTolerance);
    }

    /** Bits of the top softmax digit. */
    public int expTopDigitBits() {
        return activationBits - expLowDigits * expDigitBits;
    }

    /** Canonical encoding (the digest's preimage after the version string). */
    public void write(ByteSink out) {
        out.utf8(VERSION);
        out.u32(scaleBits).u32(weightBits).u32(activationBits).u32(normScaleBits).u32(expDigitBits)
                .u32(expLowDigits).u32(sigmoidFracBits).u32(sigmoidIntBits).u32(rowSumTolerance);
    }

    /** SHA-256 of the canonical encoding: the statement's quantDigest (with the model's digest). */
    public byte[] digest() {
        ByteSink s = new ByteSink();
        write(s);
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** One line for reports: the settings a reader needs to reproduce a figure. */
    public String describe() {
        return "s=" + scaleBits + " weights=" + (weightBits == 0 ? "2^" + scaleBits + " scale" : weightBits + "-bit")
                + " B=" + activationBits + " sm=" + normScaleBits + " exp digits=" + expLowDigits + "x" + expDigitBits
                + "+" + expTopDigitBits() + " sigmoid=" + sigmoidIntBits + "." + sigmoidFracBits + " tol=" + rowSumTolerance;
    }
}
