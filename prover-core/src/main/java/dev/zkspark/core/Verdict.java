package dev.zkspark.core;

/**
 * A verifier's answer: accepted, or rejected with the first failing check named (for example
 * "layer 3 / ffn.up / sumcheck round 5: round sum mismatch"). Verifiers return a Verdict and never
 * throw on malformed input.
 */
public final class Verdict {
    private static final Verdict ACCEPT = new Verdict(true, "accepted");

    private final boolean accepted;
    private final String reason;

    private Verdict(boolean accepted, String reason) {
        this.accepted = accepted;
        this.reason = reason;
    }

    public static Verdict accept() {
        return ACCEPT;
    }

    public static Verdict reject(String reason) {
        return new Verdict(false, reason);
    }

    public boolean isAccepted() {
        return accepted;
    }

    public String reason() {
        return reason;
    }

    /** The same verdict with {@code context} prefixed to a rejection's reason. */
    public Verdict within(String context) {
        return accepted ? this : new Verdict(false, context + " / " + reason);
    }

    @Override
    public String toString() {
        return accepted ? "accepted" : "rejected: " + reason;
    }
}
