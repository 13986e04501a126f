package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.Parallel;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import org.junit.jupiter.api.Test;

/**
 * The proof of work before an opening's queries: the nonce found is the smallest passing one,
 * whatever the thread count (the search runs in rounds of blocks over the threads), and the
 * verifier's check accepts it and refuses the nonces before it.
 */
class GrindTest {
    @Test
    void theSmallestPassingNonceForAnyThreadCount() {
        int threads = Parallel.threads();
        try {
            for (int s = 0; s < 2; s++) {
                Transcript t = Transcript.create(Hash.SHA256, "grind-test", new byte[] {(byte) s});
                Parallel.setThreads(1);
                long serial = TensorCodePcs.grind(t);
                for (int n : new int[] {2, 3}) {
                    Parallel.setThreads(n);
                    assertEquals(serial, TensorCodePcs.grind(t), n + " threads");
                }
                byte[] state = t.state();
                assertTrue(TensorCodePcs.grindOk(state, serial));
                for (long n = 0; n < serial; n++) {
                    assertFalse(TensorCodePcs.grindOk(state, n), "nonce " + n + " passes before " + serial);
                }
                // another transcript state does not accept this nonce (at odds of 2^-GRIND_BITS)
                t.absorb("more", new byte[] {1});
                assertFalse(TensorCodePcs.grindOk(t.state(), serial));
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }
}
