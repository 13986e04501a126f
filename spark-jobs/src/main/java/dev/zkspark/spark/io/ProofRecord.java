package dev.zkspark.spark.io;

import java.io.Serializable;

/**
 * One row of a proofs table: a request's outcome. {@code status} is "proved" or "failed"; a failed
 * row carries its one-line {@code error} and no proof.
 */
public record ProofRecord(
        String id,
        String status,
        String error,
        int[] promptTokens,
        int[] generatedTokens,
        String generatedText,
        byte[] statement,
        byte[] proof,
        double witnessMs,
        double proveMs) implements Serializable {

    public static final String PROVED = "proved";
    public static final String FAILED = "failed";

    public static ProofRecord failed(String id, String error) {
        return new ProofRecord(id, FAILED, error, new int[0], new int[0], null, null, null, 0, 0);
    }

    public boolean isProved() {
        return PROVED.equals(status);
    }

    public long proofBytes() {
        return proof == null ? 0 : proof.length;
    }
}
