package dev.zkspark.spark.io;

import java.io.Serializable;

/**
 * One proving request from a requests table: an id, the prompt as text or as token ids (exactly
 * one of them), and the number of tokens to generate.
 */
public record RequestSpec(String id, String promptText, int[] promptTokens, int maxNewTokens) implements Serializable {
    public boolean hasText() {
        return promptText != null;
    }
}
