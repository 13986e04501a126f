package dev.zkspark.datasets;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.Llama2cFormat;
import dev.zkspark.datasets.tokenizer.Llama2cTokenizer;
import dev.zkspark.model.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundled trained model (see datasets/training/PROVENANCE.md): a 0.8M-parameter Llama with
 * grouped-query attention trained on Ambrose Bierce's "The Devil's Dictionary" (public domain), in
 * llama2.c format with its own tokenizer, plus a prompt set and held-out text. Loaded from the
 * classpath because the application runs from jars.
 */
public final class Bundled {
    private static final String DIR = "/dev/zkspark/datasets/bundled/";

    private Bundled() {}

    /** A prompt of the bundled prompt set. */
    public record PromptSpec(String id, String prompt, int maxNewTokens) implements java.io.Serializable {}

    private static volatile Checkpoint model;
    private static volatile Llama2cTokenizer tokenizer;

    /** The bundled model (loaded once per JVM; Checkpoint is immutable). */
    public static Checkpoint model() {
        Checkpoint m = model;
        if (m == null) {
            m = load();
            model = m;
        }
        return m;
    }

    private static Checkpoint load() {
        try {
            Path tmp = Files.createTempFile("zkspark-bundled", ".bin");
            try {
                Files.write(tmp, bytes("model.bin"));
                return Llama2cFormat.read(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "cannot stage the bundled model: " + e.getMessage(), e);
        }
    }

    public static Llama2cTokenizer tokenizer() {
        Llama2cTokenizer t = tokenizer;
        if (t == null) {
            t = Llama2cTokenizer.read(bytes("tokenizer.bin"), model().config().vocab(), "bundled tokenizer.bin");
            tokenizer = t;
        }
        return t;
    }

    public static String heldOutText() {
        return new String(bytes("heldout.txt"), StandardCharsets.UTF_8);
    }

    /** The prompt set (JSON lines with id, prompt, max_new_tokens). */
    public static List<PromptSpec> prompts() {
        String text = new String(bytes("prompts.jsonl"), StandardCharsets.UTF_8);
        Pattern p = Pattern.compile("\\{\"id\": \"([^\"]+)\", \"prompt\": \"((?:[^\"\\\\]|\\\\.)*)\", \"max_new_tokens\": (\\d+)\\}");
        List<PromptSpec> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = p.matcher(line.trim());
            if (!m.matches()) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "bundled prompts.jsonl: unexpected line " + line);
            }
            out.add(new PromptSpec(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"), Integer.parseInt(m.group(3))));
        }
        return out;
    }

    /** Copies model.bin and tokenizer.bin into {@code dir}, for commands that take a path. */
    public static Path extractTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String f : new String[] {"model.bin", "tokenizer.bin"}) {
                try (InputStream in = stream(f)) {
                    Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir.resolve("model.bin");
        } catch (IOException e) {
            throw ZksparkException.badInput(dir + ": cannot extract the bundled model (" + e.getMessage() + ")");
        }
    }

    static byte[] bytes(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "cannot read bundled " + name + ": " + e.getMessage(), e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = Bundled.class.getResourceAsStream(DIR + name);
        if (in == null) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "bundled " + name + " is missing from the jar");
        }
        return in;
    }
}
