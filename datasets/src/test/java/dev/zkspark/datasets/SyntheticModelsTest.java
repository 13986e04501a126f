package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.ModelFiles;
import dev.zkspark.datasets.format.SafetensorsFormat;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelsTest {
    @Test
    void presetsHaveTheirPublishedSizes() {
        assertEquals(15_191_712, SyntheticModels.preset("stories15M").parameterCount());
        assertEquals(4096, SyntheticModels.preset("llama2-7b-layer").dim());
        assertThrows(ZksparkException.class, () -> SyntheticModels.preset("gpt5"));
    }

    @Test
    void deterministicRealisticAndWrittenInRealFormats(@TempDir Path dir) {
        LlamaConfig c = SyntheticModels.preset("tiny");
        Checkpoint a = SyntheticModels.generate(c, 7);
        Checkpoint b = SyntheticModels.generate(c, 7);
        Checkpoint other = SyntheticModels.generate(c, 8);
        String wq = Checkpoint.layer(1, "self_attn.q_proj.weight");
        assertArrayEquals(a.tensor(wq), b.tensor(wq));
        assertFalse(java.util.Arrays.equals(a.tensor(wq), other.tensor(wq)));
        double ss = 0;
        for (float v : a.tensor(wq)) {
            ss += v * v;
        }
        double std = Math.sqrt(ss / a.tensor(wq).length);
        assertEquals(1 / Math.sqrt(c.dim()), std, 0.2 / Math.sqrt(c.dim()), "fan-in scaled weights");
        SafetensorsFormat.write(a, dir.resolve("st"), "F32", 1);
        assertArrayEquals(a.tensor(wq), ModelFiles.load(dir.resolve("st")).tensor(wq));
        assertTrue(c.parameterCount() > 0);
    }
}
