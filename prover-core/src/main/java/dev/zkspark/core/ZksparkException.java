package dev.zkspark.core;

/**
 * The one user-facing error path: a code (mapped to a process exit status by the CLI) and a
 * one-line message that says what is wrong with which input.
 */
public class ZksparkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Error classes, each with the exit status the CLI uses. */
    public enum Code {
        /** A proof was checked and rejected. */
        REJECTED(1),
        /** An input file or argument is unusable (missing, malformed, wrong shape, out of range). */
        BAD_INPUT(2),
        /** A feature or configuration that zkspark does not support. */
        UNSUPPORTED(3),
        /** An internal failure: a bug, reported with its message. */
        INTERNAL(4);

        public final int exitStatus;

        Code(int exitStatus) {
            this.exitStatus = exitStatus;
        }
    }

    private final Code code;

    public ZksparkException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public ZksparkException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public static ZksparkException badInput(String message) {
        return new ZksparkException(Code.BAD_INPUT, message);
    }

    public static ZksparkException unsupported(String what) {
        return new ZksparkException(Code.UNSUPPORTED, "not supported: " + what);
    }

    public Code code() {
        return code;
    }
}
