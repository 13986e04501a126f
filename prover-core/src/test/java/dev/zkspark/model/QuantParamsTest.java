package dev.zkspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ZksparkException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuantParamsTest {
    @Test
    void digestIsStableAndChangesWithEveryField() {
        QuantParams d = QuantParams.DEFAULT;
        assertArrayEquals(d.digest(), new QuantParams(16, 0, 26, 24, 8, 2, 12, 4, 512).digest());
        List<QuantParams> variants = List.of(d,
                new QuantParams(15, 0, 26, 24, 8, 2, 12, 4, 512),
                d.withWeightBits(12),
                new QuantParams(16, 0, 27, 24, 8, 2, 12, 4, 512),
                new QuantParams(16, 0, 26, 23, 8, 2, 12, 4, 512),
                new QuantParams(16, 0, 26, 24, 7, 2, 12, 4, 512),
                new QuantParams(16, 0, 26, 24, 8, 1, 12, 4, 512),
                new QuantParams(16, 0, 26, 24, 8, 2, 11, 4, 512),
                new QuantParams(16, 0, 26, 24, 8, 2, 12, 3, 512),
                new QuantParams(16, 0, 26, 24, 8, 2, 12, 4, 256));
        Set<String> digests = new HashSet<>();
        for (QuantParams p : variants) {
            digests.add(Arrays.toString(p.digest()));
        }
        assertEquals(variants.size(), digests.size());
    }

    @Test
    void refusesParametersOutsideTheirDomains() {
        // top softmax digit would need 28 - 0 = 28 bits of table: beyond 2^20 entries
        ZksparkException e = assertThrows(ZksparkException.class, () -> new QuantParams(16, 0, 28, 24, 8, 0, 12, 4, 512));
        assertEquals(ZksparkException.Code.BAD_INPUT, e.code());
        assertTrue(e.getMessage().contains("top softmax digit"), e.getMessage());
        assertThrows(ZksparkException.class, () -> new QuantParams(16, 0, 28, 30, 8, 2, 12, 4, 512)); // 2s+sm > 60
        assertThrows(ZksparkException.class, () -> new QuantParams(16, 0, 16, 24, 8, 2, 12, 4, 512)); // B <= s
        assertThrows(ZksparkException.class, () -> new QuantParams(16, 0, 28, 24, 8, 2, 12, 8, 512)); // sigmoid table 2^21
        assertThrows(ZksparkException.class, () -> new QuantParams(16, 1, 28, 24, 8, 2, 12, 4, 512));
        assertThrows(ZksparkException.class, () -> new QuantParams(16, 0, 28, 24, 8, 2, 12, 4, 1 << 16));
        assertThrows(ZksparkException.class, () -> new QuantParams(16, 0, 28, 24, 8, 2, 12, 4, 500)); // not a power of two
    }

    @Test
    void roundHalfUpAndFractionalBits() {
        assertEquals(3, QuantizedModel.roundHalfUp(2.5));
        assertEquals(-2, QuantizedModel.roundHalfUp(-2.5));
        assertEquals(-3, QuantizedModel.roundHalfUp(-2.51));
        QuantParams eight = QuantParams.DEFAULT.withWeightBits(8);
        // 0.9 * 2^7 = 115.2 fits in 127; 0.9 * 2^8 does not
        assertEquals(7, QuantizedModel.fracBits("w", 0.9, eight));
        assertEquals(16, QuantizedModel.fracBits("w", 0.001, eight));
        assertEquals(16, QuantizedModel.fracBits("w", 3.0, QuantParams.DEFAULT));
        QuantizedModel.QTensor t = QuantizedModel.quantizeTensor("w", new int[] {2, 2}, new float[] {0.5f, -0.25f, 1f, 0.75f},
                QuantParams.DEFAULT.withWeightBits(4));
        assertEquals(2, t.fracBits());
        assertArrayEquals(new long[] {2, -1, 4, 3}, t.values());
        assertEquals(4, t.maxAbs());
        assertEquals(7, t.maxRowL1());
        assertThrows(ZksparkException.class, () -> QuantizedModel.quantizeTensor("w", new int[] {1}, new float[] {Float.NaN},
                QuantParams.DEFAULT));
    }

    @Test
    void rsqrtIsTheSandwichedFloor() {
        long big = 1L << 56;
        for (long m : new long[] {1, 2, 3, 168, 65536, 123456789, (1L << 46) - 1}) {
            long r = FixedPointForward.rsqrtFloor(big, m);
            assertTrue(Math.multiplyHigh(r * r, m) == 0 && r * r * m <= big, "lower side for m=" + m);
            assertFalse(java.math.BigInteger.valueOf(r + 1).pow(2).multiply(java.math.BigInteger.valueOf(m))
                    .compareTo(java.math.BigInteger.valueOf(big)) <= 0, "upper side for m=" + m);
        }
    }
}
