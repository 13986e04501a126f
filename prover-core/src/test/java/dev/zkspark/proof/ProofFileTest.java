package dev.zkspark.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.transcript.Hash;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProofFileTest {
    static ProofFile sample() {
        return new ProofFile(Hash.SHA256, ProofFile.FLAG_ZK, new byte[] {1, 2, 3},
                List.of(new ProofFile.Section("layer0/matmul", 0, new byte[] {9, 9, 9}),
                        new ProofFile.Section("model-opening", -1, new byte[100])));
    }

    @Test
    void roundTripAndDigest() throws Exception {
        ProofFile p = sample();
        ProofFile q = ProofFile.parse(p.toBytes());
        assertArrayEquals(p.toBytes(), q.toBytes());
        assertTrue(q.zeroKnowledge());
        assertEquals(100, q.section("model-opening").size());
        assertEquals(0, q.section("layer0/matmul").layer());
        assertArrayEquals(p.digest(), q.digest());
        assertFalse(java.util.Arrays.equals(p.digest(), new ProofFile(Hash.SHA256, 0, new byte[] {1, 2, 3}, p.sections()).digest()));
    }

    @Test
    void versionsMagicAndTruncationsAreExplained() {
        byte[] b = sample().toBytes();
        byte[] newer = b.clone();
        newer[8] = 6;
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> ProofFile.parse(newer));
        assertTrue(e.getMessage().contains("version 6.0 is newer than this zkspark (reads 5.0)"), e.getMessage());
        for (int major : new int[] {1, 2, 3, 4}) { // before zero knowledge; the head at every position; rows always sent; 16-bit grinding
            byte[] older = b.clone();
            older[8] = (byte) major;
            assertTrue(assertThrows(MalformedInputException.class, () -> ProofFile.parse(older)).getMessage()
                    .contains("version " + major + ".0 is older"));
        }
        byte[] magic = b.clone();
        magic[0] = 'X';
        assertTrue(assertThrows(MalformedInputException.class, () -> ProofFile.parse(magic)).getMessage().contains("magic"));
        for (int cut = 0; cut < b.length; cut++) {
            byte[] t = java.util.Arrays.copyOf(b, cut);
            assertThrows(MalformedInputException.class, () -> ProofFile.parse(t), "cut at " + cut);
        }
        byte[] trailing = java.util.Arrays.copyOf(b, b.length + 1);
        assertThrows(MalformedInputException.class, () -> ProofFile.parse(trailing));
    }

    @Test
    void randomCorruptionNeverThrowsAnythingElse() {
        byte[] b = sample().toBytes();
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 500; trial++) {
            byte[] x = b.clone();
            for (int k = 0; k <= r.nextInt(3); k++) {
                x[r.nextInt(x.length)] = (byte) r.nextInt(256);
            }
            try {
                ProofFile.parse(x);
            } catch (MalformedInputException expected) {
                // fine: a reason
            }
        }
    }
}
