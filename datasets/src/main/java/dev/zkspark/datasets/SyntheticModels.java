package dev.zkspark.datasets;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic Llama checkpoints of any shape, for benchmarks and scale tests: weights
 * are Gaussian with standard deviation 1/sqrt(fan_in) (a trained model's scale, so fixed-point
 * bounds are realistic), norm weights 1 + N(0, 0.1^2), embeddings N(0, (0.02 sqrt(512/dim))^2).
 * The same seed gives the same weights on every JVM: SplittableRandom and StrictMath (fdlibm) are
 * specified bit for bit.
 */
public final class SyntheticModels {
    private SyntheticModels() {}

    /** Named shapes: llama2.c's stories15M and stories110M, and one Llama-2-7B layer. */
    public static LlamaConfig preset(String name) {
        return switch (name) {
            case "stories15M" -> new LlamaConfig(288, 768, 6, 6, 6, 32000, 256, 1e-5f, 10000f, true);
            case "stories110M" -> new LlamaConfig(768, 2048, 12, 12, 12, 32000, 1024, 1e-5f, 10000f, true);
            case "llama2-7b-layer" -> new LlamaConfig(4096, 11008, 1, 32, 32, 32000, 4096, 1e-5f, 10000f, false);
            case "tiny" -> new LlamaConfig(64, 176, 2, 4, 2, 256, 64, 1e-5f, 10000f, true);
            default -> throw ZksparkException.badInput("unknown preset '" + name + "' (stories15M, stories110M, llama2-7b-layer, tiny)");
        };
    }

    public static Checkpoint generate(LlamaConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> t = new LinkedHashMap<>();
        Map<String, int[]> shapes = Checkpoint.expectedShapes(c);
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int[] s = e.getValue();
            long n = 1;
            for (int d : s) {
                n *= d;
            }
            if (n > Integer.MAX_VALUE) {
                throw ZksparkException.unsupported("tensor " + e.getKey() + " with " + n + " entries");
            }
            float[] a = new float[(int) n];
            boolean norm = s.length == 1;
            boolean embedding = e.getKey().contains("embed_tokens") || e.getKey().startsWith("lm_head");
            double std = norm ? 0.1 : embedding ? 0.02 * Math.sqrt(512.0 / c.dim()) : 1 / Math.sqrt(s[1]);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((norm ? 1 : 0) + std * gaussian(r));
            }
            t.put(e.getKey(), a);
        }
        return new Checkpoint(c, t, shapes);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller from the splittable stream (deterministic across JVMs, unlike Random's cached pair)
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
    }
}
