package dev.zkspark.core;

/** Thrown by {@link ByteSource} on truncated, oversized or non-canonical encodings. */
public final class MalformedInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedInputException(String message) {
        super(message);
    }
}
