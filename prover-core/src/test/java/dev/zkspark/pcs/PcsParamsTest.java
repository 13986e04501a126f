package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import org.junit.jupiter.api.Test;

/** The commitment's soundness bound and the parameter search (issue 4; bound of 2026-12-02). */
class PcsParamsTest {
    /**
     * The bound, recomputed by hand for one parameter set: proximity parameter e = (1 - K/N)/2
     * (the unique decoding radius), query error 2^-20 (1 - e)^q (20 bits of grinding), field error
     * ((rows + 3) N + 2 + 2 numVars)/p^3, plus what the committed-rows mode may add: its inner
     * opening's 2^-104 and (2q + 1 + 128)/p^3. A change of the bound (such as the delta/3 radius it
     * had before, which gives 67.7 bits here with 16 bits of grinding) fails this test.
     */
    @Test
    void soundnessBitsFollowTheUniqueDecodingBound() {
        PcsParams p = new PcsParams(20, 8, 12, 14, 126);
        double k = 4096 + 126;
        double n = 16384;
        double e = (1 - k / n) / 2;
        double field = Math.pow(2, 3 * 64);
        double sent = Math.pow(1 - e, 126) * Math.pow(2, -20) + ((256 + 3) * n + 2 + 40) / field;
        assertEquals(-Math.log(sent) / Math.log(2), p.sentSoundnessBits(), 1e-6);
        assertEquals(104.32, p.sentSoundnessBits(), 0.01);
        double all = sent + Math.pow(2, -104) + (2 * 126 + 1 + 128) / field;
        assertEquals(-Math.log(all) / Math.log(2), p.soundnessBits(), 1e-6);
        assertEquals(103.15, p.soundnessBits(), 0.01);
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

    /**
     * A polynomial that just overflows a power of two commits only the rows it needs: chooseFor
     * costs every shape by its data rows, gives choose()'s parameters for a full power of two,
     * and the row count survives the encoding (written only when rows are left out, so earlier
     * commitments keep their bytes).
     */
    @Test
    void truncatedMatricesCommitOnlyTheRowsTheEntriesNeed() throws Exception {
        for (int vars = 10; vars <= 26; vars += 4) {
            assertEquals(PcsParams.choose(vars, 100, 8), PcsParams.chooseFor(1L << vars, 100, 8));
        }
        long entries = (1L << 24) + (1L << 22) + 16;
        PcsParams p = PcsParams.chooseFor(entries, 100, 1);
        assertEquals(25, p.numVars());
        assertTrue(p.truncated(), p.toString());
        assertTrue(p.entries() >= entries && p.entries() < entries + 32L * p.cols(), p + " holds " + p.entries());
        assertEquals(0, p.rows() % PcsParams.CHUNK_ROWS);
        assertTrue(p.soundnessBits() >= 100);
        assertTrue(p.estimatedProofBytes() < PcsParams.choose(25, 100, 1).estimatedProofBytes());

        ByteSink out = new ByteSink();
        p.write(out);
        ByteSource in = new ByteSource(out.toByteArray());
        assertEquals(p, PcsParams.read(in));
        in.expectEnd("params");
        ByteSink full = new ByteSink();
        PcsParams.choose(25, 100, 1).write(full);
        assertEquals(8, full.toByteArray().length, "all rows committed: the original encoding");

        // all rows written with the flag, a row count off the chunk grid, more rows than the matrix
        byte[] b = out.toByteArray();
        byte[] flaggedFull = b.clone();
        int at = b.length - 4;
        int rows = 1 << p.rowVars();
        flaggedFull[at] = (byte) rows;
        flaggedFull[at + 1] = (byte) (rows >>> 8);
        flaggedFull[at + 2] = (byte) (rows >>> 16);
        flaggedFull[at + 3] = (byte) (rows >>> 24);
        assertThrows(MalformedInputException.class, () -> PcsParams.read(new ByteSource(flaggedFull)));
        assertThrows(IllegalArgumentException.class,
                () -> new PcsParams(p.numVars(), p.rowVars(), p.colVars(), p.codeVars(), p.queries(), 1, p.rows() - 1));
        assertThrows(IllegalArgumentException.class,
                () -> new PcsParams(p.numVars(), p.rowVars(), p.colVars(), p.codeVars(), p.queries(), 1, 2 * rows));
        assertFalse(PcsParams.choose(25, 100, 1).truncated());
    }

    /**
     * Code lengths are bounded for a split opening's driver (O(code length) state): a reused
     * commitment's code is at most twice its best sent-rows shape's, a per-proof one's at most that
     * or the smallest power of two of at least entries/128 positions; within the bound the choice
     * is no larger in bytes than the sent-rows shape, and the unbounded choice (the negative twin)
     * would go past the bound for large commitments.
     */
    @Test
    void codeLengthsStayWithinTheSplitDriversBound() {
        boolean unboundedWider = false;
        for (long entries : new long[] {1L << 12, 3_500_000L, 16_000_000L, 77_300_000L}) {
            for (int budget : new int[] {1, 8}) {
                PcsParams sent = PcsParams.chooseFor(entries, 100, budget, true, PcsParams.ROW_LEVELS, 30);
                PcsParams p = PcsParams.chooseFor(entries, 100, budget);
                int bound = sent.codeVars() + 1;
                if (budget == 1) {
                    bound = Math.max(bound, PcsParams.varsFor((entries + 127) / 128));
                }
                assertTrue(p.codeVars() <= bound, p + " past 2^" + bound);
                assertTrue(p.soundnessBits() >= 100, p.toString());
                assertTrue(p.estimatedProofBytes() <= sent.estimatedProofBytes(), p + " vs " + sent);
                PcsParams free = PcsParams.chooseFor(entries, 100, budget, false, PcsParams.ROW_LEVELS, 30);
                assertTrue(free.estimatedProofBytes() <= p.estimatedProofBytes());
                unboundedWider |= free.codeVars() > bound;
            }
        }
        assertTrue(unboundedWider, "the bound binds somewhere");
    }
}
