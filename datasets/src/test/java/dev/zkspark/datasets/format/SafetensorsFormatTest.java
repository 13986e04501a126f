package dev.zkspark.datasets.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFormatTest {
    static final LlamaConfig C = new LlamaConfig(32, 64, 2, 4, 2, 50, 16, 1e-5f, 10000f, false);

    static Checkpoint random(long seed) {
        return SyntheticModels.generate(C, seed);
    }

    @Test
    void roundTripsSingleAndShardedInEveryDtype(@TempDir Path dir) {
        Checkpoint ck = random(1);
        for (String dtype : new String[] {"F32", "F16", "BF16"}) {
            for (int shards : new int[] {1, 3}) {
                Path d = dir.resolve(dtype + shards);
                SafetensorsFormat.write(ck, d, dtype, shards);
                Checkpoint back = ModelFiles.load(d);
                assertEquals(C, back.config());
                double tol = dtype.equals("F32") ? 0 : dtype.equals("F16") ? 1e-3 : 1e-2;
                for (String n : ck.names()) {
                    float[] a = ck.tensor(n);
                    float[] b = back.tensor(n);
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i], b[i], tol * Math.max(1, Math.abs(a[i])), n + "[" + i + "] " + dtype);
                    }
                }
            }
        }
    }

    @Test
    void halfPrecisionConversionsAreExactWhereRepresentable() {
        for (float f : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.333251953125f}) {
            assertEquals(f, SafetensorsFormat.halfToFloat(SafetensorsFormat.floatToHalf(f)), 0f, "" + f);
        }
        assertTrue(Float.isInfinite(SafetensorsFormat.halfToFloat(SafetensorsFormat.floatToHalf(1e6f))));
    }

    @Test
    void corruptFilesGiveOneClearErrorNamingTheProblem(@TempDir Path dir) throws Exception {
        Checkpoint ck = random(2);
        Path d = dir.resolve("m");
        SafetensorsFormat.write(ck, d, "F32", 1);
        Path f = d.resolve("model.safetensors");
        byte[] good = Files.readAllBytes(f);

        Files.write(f, java.util.Arrays.copyOf(good, good.length - 64));
        ZksparkException e1 = assertThrows(ZksparkException.class, () -> ModelFiles.load(d));
        assertTrue(e1.getMessage().contains("truncated"), e1.getMessage());

        byte[] badHeader = good.clone();
        badHeader[9] = '!';
        Files.write(f, badHeader);
        ZksparkException e2 = assertThrows(ZksparkException.class, () -> ModelFiles.load(d));
        assertTrue(e2.getMessage().contains("header"), e2.getMessage());

        byte[] hugeLen = good.clone();
        ByteBuffer.wrap(hugeLen).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        Files.write(f, hugeLen);
        assertThrows(ZksparkException.class, () -> ModelFiles.load(d));

        // a checkpoint whose config says 3 layers lacks layer 2's tensors
        Files.write(f, good);
        String cfg = Files.readString(d.resolve("config.json")).replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 3");
        Files.writeString(d.resolve("config.json"), cfg);
        ZksparkException e3 = assertThrows(ZksparkException.class, () -> ModelFiles.load(d));
        assertTrue(e3.getMessage().contains("missing tensor model.layers.2."), e3.getMessage());

        // shape mismatch: a config with another hidden size
        Files.writeString(d.resolve("config.json"), cfg.replace("\"num_hidden_layers\" : 3", "\"num_hidden_layers\" : 2")
                .replace("\"intermediate_size\" : 64", "\"intermediate_size\" : 96"));
        ZksparkException e4 = assertThrows(ZksparkException.class, () -> ModelFiles.load(d));
        assertTrue(e4.getMessage().contains("has shape"), e4.getMessage());

        Files.writeString(d.resolve("config.json"), "{ not json");
        assertThrows(ZksparkException.class, () -> ModelFiles.load(d));
        assertThrows(ZksparkException.class, () -> ModelFiles.load(dir.resolve("nothing-here")));
        Path gguf = dir.resolve("x.gguf");
        Files.write(gguf, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0});
        ZksparkException e5 = assertThrows(ZksparkException.class, () -> ModelFiles.load(gguf));
        assertTrue(e5.getMessage().contains("truncated GGUF header"), e5.getMessage());
        assertArrayEquals(new int[] {50, 32}, ck.shape("lm_head.weight"));
    }
}
