package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.format.ModelFiles;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.datasets.tokenizer.Tokenizers;
import dev.zkspark.model.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --tokenizer}, shared by the commands that read a checkpoint. */
final class ModelOptions {
    @Option(names = "--model", description = "checkpoint (llama2.c .bin, safetensors file or directory, GGUF); default: the bundled model")
    Path model;

    @Option(names = "--tokenizer", description = "tokenizer.bin (llama2.c) or tokenizer.json (Hugging Face); default: next to --model")
    Path tokenizer;

    private Checkpoint loaded;

    Checkpoint checkpoint() {
        if (loaded == null) {
            loaded = model == null ? Bundled.model() : ModelFiles.load(model);
        }
        return loaded;
    }

    String describe() {
        return model == null ? "bundled" : model.toString();
    }

    Tokenizer tokenizer() {
        Checkpoint ck = checkpoint();
        if (model == null && tokenizer == null) {
            return Bundled.tokenizer();
        }
        Path t = tokenizer != null ? tokenizer : Tokenizers.findNextTo(model);
        if (t == null) {
            throw ZksparkException.badInput("no tokenizer.json or tokenizer.bin next to " + model + "; pass --tokenizer");
        }
        return Tokenizers.read(t, ck.config().vocab());
    }

    /** Reads a whole input file, at most {@code max} bytes, with one-line errors. */
    static byte[] readFile(Path file, long max, String what) {
        try {
            if (Files.size(file) > max) {
                throw ZksparkException.badInput(file + ": larger than the " + max + " bytes a " + what + " may have");
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw ZksparkException.badInput(file + ": no such file");
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
