package dev.zkspark.datasets.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Interleaved (Meta/llama2.c) RoPE on Meta-layout rows equals rotate-half (Hugging Face) RoPE on the
 * rows {@link Llama2cFormat} converts them to, entry (half, i) of a head matching entry 2i + half.
 */
class RopeLayoutTest {
    @Test
    void permutedRowsGiveTheSameRotatedVectors() {
        int heads = 2, hd = 8, cols = 5, pos = 3;
        Random r = new Random(1);
        float[] meta = new float[heads * hd * cols];
        for (int i = 0; i < meta.length; i++) {
            meta[i] = (float) r.nextGaussian();
        }
        float[] hf = Llama2cFormat.toRotateHalf(meta, heads, hd, cols);
        assertArrayEquals(meta, Llama2cFormat.toInterleaved(hf, heads, hd, cols), "the two permutations are inverse");
        double[] h = new double[cols];
        for (int j = 0; j < cols; j++) {
            h[j] = r.nextGaussian();
        }
        double[] qm = matvec(meta, h, heads * hd);
        double[] qh = matvec(hf, h, heads * hd);
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < hd / 2; i++) {
                double ang = pos / Math.pow(10000, 2.0 * i / hd);
                double c = Math.cos(ang), s = Math.sin(ang);
                // Meta: pair (2i, 2i+1)
                double m0 = qm[head * hd + 2 * i] * c - qm[head * hd + 2 * i + 1] * s;
                double m1 = qm[head * hd + 2 * i + 1] * c + qm[head * hd + 2 * i] * s;
                // HF: pair (i, i + hd/2)
                double h0 = qh[head * hd + i] * c - qh[head * hd + i + hd / 2] * s;
                double h1 = qh[head * hd + i + hd / 2] * c + qh[head * hd + i] * s;
                assertEquals(m0, h0, 1e-9);
                assertEquals(m1, h1, 1e-9);
            }
        }
    }

    static double[] matvec(float[] w, double[] x, int rows) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < x.length; j++) {
                out[i] += w[i * x.length + j] * x[j];
            }
        }
        return out;
    }
}
