package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.datasets.format.GgufFormat;
import dev.zkspark.datasets.format.Llama2cFormat;
import dev.zkspark.datasets.format.SafetensorsFormat;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/zkspark gen-model}: writes a deterministic synthetic checkpoint in a real format. */
@Command(name = "gen-model", mixinStandardHelpOptions = true,
        description = "Write a synthetic Llama checkpoint (presets: stories15M, stories110M, llama2-7b-layer, tiny).")
final class GenModelCommand implements Runnable {
    @Option(names = "--preset", required = true, description = "shape preset")
    String preset;

    @Option(names = "--layers", description = "override the number of layers")
    Integer layers;

    @Option(names = "--format", description = "llama2c (a .bin file), safetensors (a directory) or gguf (a file); default ${DEFAULT-VALUE}")
    String format = "llama2c";

    @Option(names = "--dtype", description = "F32, F16, BF16 (safetensors) or Q8_0 (gguf); default ${DEFAULT-VALUE}")
    String dtype = "F32";

    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", required = true, description = "output file (llama2c) or directory (safetensors)")
    Path out;

    @Override
    public void run() {
        LlamaConfig c = SyntheticModels.preset(preset);
        if (layers != null) {
            if (layers < 1) {
                throw ZksparkException.badInput("--layers must be at least 1");
            }
            c = new LlamaConfig(c.dim(), c.hiddenDim(), layers, c.heads(), c.kvHeads(), c.vocab(), c.maxSeq(), c.normEps(),
                    c.ropeTheta(), c.tiedEmbeddings());
        }
        Checkpoint ck = SyntheticModels.generate(c, seed);
        switch (format) {
            case "llama2c" -> Llama2cFormat.write(ck, out);
            case "safetensors" -> {
                if (!dtype.equals("F32") && !dtype.equals("F16") && !dtype.equals("BF16")) {
                    throw ZksparkException.badInput("--dtype must be F32, F16 or BF16");
                }
                SafetensorsFormat.write(ck, out, dtype, 1);
            }
            case "gguf" -> GgufFormat.write(ck, out, switch (dtype) {
                case "F32" -> 0;
                case "F16" -> 1;
                case "Q8_0" -> 8;
                default -> throw ZksparkException.badInput("GGUF --dtype must be F32, F16 or Q8_0");
            });
            default -> throw ZksparkException.badInput("--format must be llama2c, safetensors or gguf");
        }
        System.out.printf("wrote %s (%s, %d parameters) to %s%n", preset, format, c.parameterCount(), out);
    }
}
