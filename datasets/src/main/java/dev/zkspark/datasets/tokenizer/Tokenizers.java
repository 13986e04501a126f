package dev.zkspark.datasets.tokenizer;

import dev.zkspark.core.ZksparkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding and reading the tokenizer that goes with a checkpoint, with one-line errors. */
public final class Tokenizers {
    private Tokenizers() {}

    /** {@code tokenizer.json} or {@code tokenizer.bin} in the checkpoint's directory (or the directory itself), else null. */
    public static Path findNextTo(Path model) {
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        for (String name : new String[] {"tokenizer.json", "tokenizer.bin"}) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} (by its extension) or a llama2.c
     * {@code tokenizer.bin} and checks that it has the model's {@code vocab} tokens.
     */
    public static Tokenizer read(Path t, int vocab) {
        if (!Files.isRegularFile(t)) {
            throw ZksparkException.badInput(t + ": no such file");
        }
        Tokenizer tk;
        if (t.getFileName().toString().endsWith(".json")) {
            tk = HfBpeTokenizer.read(t);
        } else {
            try {
                tk = Llama2cTokenizer.read(Files.readAllBytes(t), vocab, t.toString());
            } catch (IOException e) {
                throw ZksparkException.badInput(t + ": cannot read (" + e.getMessage() + ")");
            }
        }
        if (tk.vocabSize() != vocab) {
            throw ZksparkException.badInput(t + ": tokenizer has " + tk.vocabSize() + " tokens, the model " + vocab);
        }
        return tk;
    }
}
