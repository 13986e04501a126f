package dev.zkspark.poly;

import dev.zkspark.field.Fp3;

/**
 * An evaluation claim on a committed tensor: the multilinear extension of {@code tensor} equals
 * {@code value} at {@code point}. Protocols end in claims; the commitment's batched opening (or a
 * test, by evaluating the tensor) discharges them.
 */
public record Claim(String tensor, Point point, Fp3 value) implements java.io.Serializable {}
