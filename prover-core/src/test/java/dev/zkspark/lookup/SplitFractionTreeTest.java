package dev.zkspark.lookup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.field.Goldilocks;
import dev.zkspark.sumcheck.ZkMasks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Lookups whose GKR trees are split into blocks of leaves (what Spark partitions hold): the same
 * proof bytes and claims as the one-JVM trees for every block count and gather size, and a block
 * built from other leaves than the committed ones makes a proof the verifier's claims reject.
 */
class SplitFractionTreeTest {
    /** Columns of 512 + 256 + 100 entries (a 2^10 witness tree) into a 2^4 range table. */
    static LogUpZkTest.Case bigRange(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Table table = Table.range("r16", -8, 4);
        List<LookupColumn> cols = List.of(
                LookupColumn.of("a", LogUpTest.rangeValues(r, 512, -8, 4)),
                LookupColumn.of("b", LogUpTest.rangeValues(r, 256, -8, 4)),
                LookupColumn.of("c", LogUpTest.rangeValues(r, 128, -8, 4)));
        return new LogUpZkTest.Case(table, cols, seed);
    }

    /** Proves with both trees split into {@code count} in-memory blocks built from {@code blockColumns}. */
    static LogUp.ProvedZk proveSplit(LogUpZkTest.Case c, List<LookupColumn> blockColumns, int count, int g, String label) {
        int wv = LogUp.witnessVars(c.shapes());
        return LogUp.proveZk(c.table, c.shapes(), (alpha, beta) -> {
            FractionSubtree[] wit = new FractionSubtree[count];
            FractionSubtree[] tab = new FractionSubtree[count];
            for (int b = 0; b < count; b++) {
                FractionSubtree[] both = LogUp.subtrees(c.table, blockColumns, c.m, alpha, beta, b, count, g);
                wit[b] = both[0];
                tab[b] = both[1];
            }
            return new FractionTree[] {new SplitFractionTree(wv, count, g, SplitFractionTree.inMemory(wit)),
                new SplitFractionTree(c.table.numVars(), count, g, SplitFractionTree.inMemory(tab))};
        }, ZkMasks.of(LogUpZkTest.MASKS, c.masks), LogUpZkTest.tr(label));
    }

    /** The claims' tensors and values (a LinearClaim's slots are arrays, without value equality). */
    static List<String> claimText(LogUp.ProvedZk p) {
        List<String> out = new ArrayList<>();
        p.claims().forEach(lc -> out.add(lc.tensors() + "=" + lc.value()));
        return out;
    }

    @Test
    void splitTreesGiveTheSameProofAndClaimsForAnyBlockCountAndGatherSize() {
        for (LogUpZkTest.Case c : List.of(bigRange(3), LogUpZkTest.pairCase(4), LogUpZkTest.rangeCase(5))) {
            LogUp.ProvedZk whole = c.prove("split");
            byte[] expected = LogUpZkTest.bytes(whole.proof());
            assertTrue(c.fullyAccepted(whole.proof(), "split"));
            for (int count : new int[] {2, 4, 8, 32}) {
                for (int g : new int[] {0, 1, 3, 10}) {
                    LogUp.ProvedZk split = proveSplit(c, c.cols, count, g, "split");
                    assertArrayEquals(expected, LogUpZkTest.bytes(split.proof()), "P=" + count + " g=" + g);
                    assertEquals(claimText(whole), claimText(split), "P=" + count + " g=" + g);
                }
            }
        }
    }

    @Test
    void aBlockBuiltFromOtherLeavesIsCaught() {
        LogUpZkTest.Case c = bigRange(6);
        // one entry of column a changed to another in-table value: the blocks' tree is not the committed columns'
        long[] a = c.cols.get(0).x().clone();
        a[300] = Goldilocks.add(a[300], a[300] == Goldilocks.fromSigned(7) ? Goldilocks.fromSigned(-1) : 1);
        List<LookupColumn> lying = new ArrayList<>(c.cols);
        lying.set(0, LookupColumn.of("a", a));
        for (int count : new int[] {2, 4}) {
            LogUp.ProvedZk honest = proveSplit(c, c.cols, count, 1, "lie");
            assertTrue(c.fullyAccepted(honest.proof(), "lie"), "the honest twin is accepted");
            LogUp.ProvedZk lie = proveSplit(c, lying, count, 1, "lie");
            assertFalse(c.fullyAccepted(lie.proof(), "lie"), "P=" + count + ": a lying block must not pass the committed tensors");
        }
    }

    @Test
    void blocksOfTheWrongTreeAreRefused() {
        LogUpZkTest.Case c = bigRange(7);
        int wv = LogUp.witnessVars(c.shapes());
        // blocks built for 4 blocks handed to a tree split in 2: the top level has the wrong size
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LogUp.proveZk(c.table, c.shapes(), (alpha, beta) -> {
            FractionSubtree[] wit = new FractionSubtree[2];
            for (int b = 0; b < 2; b++) {
                wit[b] = LogUp.subtrees(c.table, c.cols, c.m, alpha, beta, b, 4, 1)[0];
            }
            return new FractionTree[] {new SplitFractionTree(wv, 2, 1, SplitFractionTree.inMemory(wit)), null};
        }, ZkMasks.of(LogUpZkTest.MASKS, c.masks), LogUpZkTest.tr("wrong")));
        assertTrue(e.getMessage().contains("another split"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SplitFractionTree(wv, 1, 0, SplitFractionTree.inMemory(new FractionSubtree[0])));
    }
}
