package dev.zkspark.datasets.format;

import dev.zkspark.core.ZksparkException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old file or the complete new one: the content goes
 * to a temporary sibling that is renamed over the target, and is deleted if writing fails.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** The content of a file, written to a stream. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes bytes atomically; a failure is a one-line bad-input error naming the file. */
    public static void write(Path file, byte[] bytes) {
        write(file, out -> out.write(bytes));
    }

    public static void write(Path file, Body body) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary name is not the output; nothing partial is visible under the real name
            }
            throw ZksparkException.badInput(file + ": cannot write (" + e.getMessage() + ")");
        }
    }
}
