package dev.zkspark.datasets.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFormatTest {
    static final LlamaConfig C = new LlamaConfig(64, 128, 2, 4, 2, 96, 32, 1e-5f, 10000f, false);

    @Test
    void roundTripsF32ExactlyAndF16Q8WithinTheirPrecision(@TempDir Path dir) {
        Checkpoint ck = SyntheticModels.generate(C, 3);
        int[] types = {GgufFormat.F32, GgufFormat.F16, GgufFormat.Q8_0};
        double[] tol = {0, 1e-3, 1.5e-2};
        for (int k = 0; k < types.length; k++) {
            Path f = dir.resolve("m" + k + ".gguf");
            GgufFormat.write(ck, f, types[k]);
            Checkpoint back = ModelFiles.load(f);
            assertEquals(C, back.config());
            for (String n : ck.names()) {
                float[] a = ck.tensor(n);
                float[] b = back.tensor(n);
                double amax = 0;
                for (float v : a) {
                    amax = Math.max(amax, Math.abs(v));
                }
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], tol[k] * Math.max(amax, 1e-6) + (k == 1 ? 1e-3 * Math.abs(a[i]) : 0), n + "[" + i + "] type " + types[k]);
                }
                if (k == 0) {
                    assertArrayEquals(a, b, n);
                }
            }
        }
    }

    @Test
    void corruptFilesAreRejectedWithReasons(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.gguf");
        GgufFormat.write(SyntheticModels.generate(C, 4), f, GgufFormat.F32);
        byte[] good = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 100));
        assertTrue(assertThrows(ZksparkException.class, () -> ModelFiles.load(f)).getMessage().contains("truncated"));
        Files.write(f, java.util.Arrays.copyOf(good, 40));
        assertThrows(ZksparkException.class, () -> ModelFiles.load(f));
        byte[] v9 = good.clone();
        v9[4] = 9;
        Files.write(f, v9);
        assertEquals(ZksparkException.Code.UNSUPPORTED, assertThrows(ZksparkException.class, () -> GgufFormat.read(f)).code());
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        Files.write(f, badMagic);
        assertThrows(ZksparkException.class, () -> GgufFormat.read(f));
    }
}
