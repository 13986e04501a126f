package dev.zkspark.datasets.format;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.model.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a checkpoint in whichever supported format the path holds. */
public final class ModelFiles {
    private ModelFiles() {}

    public static Checkpoint load(Path path) {
        if (!Files.exists(path)) {
            throw ZksparkException.badInput(path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            if (Files.exists(path.resolve("config.json"))) {
                return SafetensorsFormat.read(path);
            }
            if (Files.exists(path.resolve("model.bin"))) {
                return Llama2cFormat.read(path.resolve("model.bin"));
            }
            throw ZksparkException.badInput(path + ": no config.json (safetensors) or model.bin (llama2.c) in this directory");
        }
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(path)) {
            int n = in.readNBytes(magic, 0, 4);
            if (n == 4 && magic[0] == 'G' && magic[1] == 'G' && magic[2] == 'U' && magic[3] == 'F') {
                return GgufFormat.read(path);
            }
        } catch (IOException e) {
            throw ZksparkException.badInput(path + ": cannot read (" + e.getMessage() + ")");
        }
        if (path.getFileName().toString().endsWith(".safetensors")) {
            return SafetensorsFormat.read(path);
        }
        return Llama2cFormat.read(path);
    }
}
