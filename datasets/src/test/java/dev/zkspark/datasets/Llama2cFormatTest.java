package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.Llama2cFormat;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FloatReference;
import dev.zkspark.model.LlamaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cFormatTest {
    static Checkpoint random(LlamaConfig c, long seed) {
        return SyntheticModels.generate(c, seed);
    }

    @Test
    void roundTripTiedAndUntiedWithGqa(@TempDir Path dir) {
        for (boolean tied : new boolean[] {true, false}) {
            LlamaConfig c = new LlamaConfig(32, 64, 2, 4, 2, 50, 16, 1e-5f, 10000f, tied);
            Checkpoint ck = random(c, tied ? 1 : 2);
            Path f = dir.resolve("m" + tied + ".bin");
            Llama2cFormat.write(ck, f);
            Checkpoint back = Llama2cFormat.read(f);
            assertEquals(c, back.config());
            for (String name : ck.names()) {
                assertArrayEquals(ck.tensor(name), back.tensor(name), name);
            }
        }
    }

    @Test
    void corruptAndTruncatedFilesAreRejectedWithReasons(@TempDir Path dir) throws Exception {
        LlamaConfig c = new LlamaConfig(32, 64, 2, 4, 2, 50, 16, 1e-5f, 10000f, true);
        Path f = dir.resolve("m.bin");
        Llama2cFormat.write(random(c, 4), f);
        byte[] b = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length - 100));
        ZksparkException e1 = assertThrows(ZksparkException.class, () -> Llama2cFormat.read(cut));
        assertTrue(e1.getMessage().contains("truncated"), e1.getMessage());
        Path extra = dir.resolve("extra.bin");
        Files.write(extra, java.util.Arrays.copyOf(b, b.length + 8));
        assertThrows(ZksparkException.class, () -> Llama2cFormat.read(extra));
        Path garbage = dir.resolve("garbage.bin");
        Files.write(garbage, "this is not a checkpoint at all, just text".getBytes());
        ZksparkException e3 = assertThrows(ZksparkException.class, () -> Llama2cFormat.read(garbage));
        assertTrue(e3.getMessage().contains("not a llama2.c checkpoint") || e3.getMessage().contains("truncated"), e3.getMessage());
        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[5]);
        assertThrows(ZksparkException.class, () -> Llama2cFormat.read(tiny));
        assertThrows(ZksparkException.class, () -> Llama2cFormat.read(dir.resolve("missing.bin")));
    }
}
