package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The commitment's soundness bound and the parameter search (issue 4; bound of 2026-12-02). */
class PcsParamsTest {
    /**
     * The bound, recomputed by hand for one parameter set: proximity parameter e = (1 - K/N)/2
     * (the unique decoding radius), query error 2^-16 (1 - e)^q, field error
     * ((rows + 3) N + 2 + 2 numVars)/p^3. A change of the bound (such as the delta/3 radius it had
     * before, which gives 67.7 bits here) fails this test.
     */
    @Test
    void soundnessBitsFollowTheUniqueDecodingBound() {
        PcsParams p = new PcsParams(20, 8, 12, 14, 126);
        double k = 4096 + 126;
        double n = 16384;
        double e = (1 - k / n) / 2;
        double err = Math.pow(1 - e, 126) * Math.pow(2, -16) + ((256 + 3) * n + 2 + 40) / Math.pow(2, 3 * 64);
        assertEquals(-Math.log(err) / Math.log(2), p.soundnessBits(), 1e-6);
        assertEquals(100.32, p.soundnessBits(), 0.01);
        double oldRadius = (1 - (k - 1) / n) / 3;
        assertTrue(-Math.log(Math.pow(1 - oldRadius, 126) * Math.pow(2, -16)) / Math.log(2) < 90);
    }

    /**
     * choose() returns parameters that reach the target with the fewest queries for their shape:
     * one query fewer misses 100 bits (or leaves the allowed rates), for per-proof and reusable
     * (zk budget 8) commitments of 2^10 to 2^26 entries; and every chosen code has rate in [1/4, 1/2].
     */
    @Test
    void chosenParametersReachTheTargetWithTheFewestQueries() {
        for (int vars = 10; vars <= 26; vars += 4) {
            for (int budget : new int[] {1, 8}) {
                PcsParams p = PcsParams.choose(vars, 100, budget);
                assertTrue(p.soundnessBits() >= 100, p.toString());
                double rate = (double) p.messageLength() / p.codeLength();
                assertTrue(rate >= 0.25 && rate <= 0.5, p + " rate " + rate);
                PcsParams fewer = new PcsParams(vars, p.rowVars(), p.colVars(), p.codeVars(), p.queries() - 1, budget);
                double fewerRate = (double) fewer.messageLength() / fewer.codeLength();
                assertTrue(fewer.soundnessBits() < 100 || fewerRate < 0.25, fewer + " also reaches the target");
            }
        }
    }
}
