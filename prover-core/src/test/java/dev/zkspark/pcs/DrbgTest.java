package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stream is random-access: a seek gives the bytes a sequential reader finds at that offset. */
class DrbgTest {
    private static final byte[] SEED = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void seekingGivesTheSequentialStreamsBytes() {
        byte[] all = new byte[1000];
        new Drbg(SEED, "pcs/salt").nextBytes(all);
        for (int offset : new int[] {0, 1, 16, 31, 32, 33, 500, 984}) {
            byte[] got = new byte[16];
            new Drbg(SEED, "pcs/salt").seek(offset).nextBytes(got);
            assertArrayEquals(Arrays.copyOfRange(all, offset, offset + 16), got, "offset " + offset);
        }
        // another label is another stream at the same offset
        byte[] other = new byte[16];
        new Drbg(SEED, "pcs/pad/0").seek(16).nextBytes(other);
        assertFalse(Arrays.equals(Arrays.copyOfRange(all, 16, 32), other));
        assertThrows(IllegalArgumentException.class, () -> new Drbg(SEED, "pcs/salt").seek(-1));
    }

    @Test
    void blocksAreTheDocumentedHashes() throws Exception {
        // block i = SHA-256(u32 |seed| || seed || u32 |label| || label || u64 i), little-endian
        byte[] label = "pcs/salt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] stream = new byte[96];
        new Drbg(SEED, "pcs/salt").nextBytes(stream);
        for (int i = 0; i < 3; i++) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(new byte[] {(byte) SEED.length, 0, 0, 0});
            md.update(SEED);
            md.update(new byte[] {(byte) label.length, 0, 0, 0});
            md.update(label);
            md.update(new byte[] {(byte) i, 0, 0, 0, 0, 0, 0, 0});
            assertArrayEquals(md.digest(), Arrays.copyOfRange(stream, 32 * i, 32 * i + 32), "block " + i);
        }
    }
}
