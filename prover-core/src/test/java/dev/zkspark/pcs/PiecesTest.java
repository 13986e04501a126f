package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.LinearClaim.Eval;
import dev.zkspark.poly.LinearClaim.Slots;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.testing.Rand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Zero-padded tensors committed as the pieces of their real entries (Piece, PieceClaims). */
class PiecesTest {
    static final int ROW_BITS = 5;
    static final int COL_BITS = 6;

    static boolean[] prefix(int count, int bits) {
        boolean[] f = new boolean[1 << bits];
        for (int i = 0; i < count; i++) {
            f[i] = true;
        }
        return f;
    }

    /** A [32, 64] tensor whose real part is 24 x 41 (the rest zero), its pieces, and a whole 2^8 tensor. */
    record World(Map<String, long[]> values, List<TensorCodePcs.Tensor> pieced, List<TensorCodePcs.Tensor> whole) {}

    static World world(SplittableRandom r) {
        long[] a = new long[1 << (ROW_BITS + COL_BITS)];
        for (int i = 0; i < 24; i++) {
            for (int j = 0; j < 41; j++) {
                a[(i << COL_BITS) | j] = 1 + r.nextInt(1000);
            }
        }
        long[] b = Rand.small(r, 1 << 8, 1000);
        long[] blind = dev.zkspark.sumcheck.ZkMasks.generate(new byte[32], "blind", 8);
        List<Piece> pieces = Piece.grid(prefix(24, ROW_BITS), ROW_BITS, prefix(41, COL_BITS), COL_BITS);
        Map<String, long[]> v = new HashMap<>(Map.of("A", a, "B", b, "blind", blind));
        return new World(v,
                List.of(new TensorCodePcs.Tensor("A", a, pieces), new TensorCodePcs.Tensor("B", b), new TensorCodePcs.Tensor("blind", blind)),
                List.of(new TensorCodePcs.Tensor("A", a), new TensorCodePcs.Tensor("B", b), new TensorCodePcs.Tensor("blind", blind)));
    }

    @Test
    void blocksAreTheFewestAlignedCoverOfAnIndexSet() {
        // 288 of 512: [0, 256) and [256, 288)
        List<long[]> b = Piece.blocks(prefix(288, 9), 9);
        assertEquals(2, b.size());
        assertEquals(List.of(0L, 8L, 256L, 5L), List.of(b.get(0)[0], b.get(0)[1], b.get(1)[0], b.get(1)[1]));
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            boolean[] set = new boolean[1 << 7];
            for (int i = 0; i < set.length; i++) {
                set[i] = r.nextInt(3) != 0;
            }
            boolean[] seen = new boolean[set.length];
            List<long[]> blocks = Piece.blocks(set, 7);
            java.util.Set<Long> starts = new java.util.HashSet<>();
            for (long[] blk : blocks) {
                assertEquals(0, blk[0] % (1L << blk[1]), "aligned");
                starts.add(blk[0] * 64 + blk[1]);
                for (long i = blk[0]; i < blk[0] + (1L << blk[1]); i++) {
                    assertTrue(set[(int) i] && !seen[(int) i], "inside the set, once");
                    seen[(int) i] = true;
                }
            }
            for (long[] blk : blocks) {
                // fewest: a block's sibling is never also a block (the two would be their parent)
                long sibling = blk[0] ^ (1L << blk[1]);
                assertFalse(blk[1] < 7 && starts.contains(sibling * 64 + blk[1]), "siblings merged");
            }
            assertEquals(java.util.Arrays.toString(set), java.util.Arrays.toString(seen));
        }
        Piece p = new Piece(0b1011_0110L, 0b0100_0001L);
        for (long x = 0; x < 32; x++) {
            assertTrue(p.contains(p.index(x)));
            assertEquals(x, p.local(p.index(x)));
        }
        assertFalse(p.contains(0));
        assertTrue(p.overlaps(new Piece(0b1111_1111L, 0)));
        assertFalse(p.overlaps(new Piece(0b1011_0110L, 0b0100_1000L)));
        assertThrows(IllegalArgumentException.class, () -> new Piece(0b11, 0b10));
    }

    @Test
    void aPaddedTensorCommitsOnlyItsRealEntriesAndItsClaimsVerify() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        World w = world(r);
        TensorCodePcs.Committed pieced = TensorCodePcs.commit(w.pieced(), new byte[32]);
        TensorCodePcs.Committed whole = TensorCodePcs.commit(w.whole(), new byte[32]);
        // 24 x 41 = 984 real entries + 256 + 8 fit 2^11; the padded 2048 + 256 + 8 need 2^12
        assertEquals(11, pieced.commitment().params().numVars());
        assertEquals(12, whole.commitment().params().numVars());
        long entries = 0;
        for (Region reg : pieced.commitment().regionsOf("A")) {
            assertTrue(reg.isPiece());
            entries += 1L << reg.numVars();
        }
        assertEquals(24 * 41, entries);
        Commitment reread = TensorCodePcsZkTest.viaBytes(pieced.commitment());
        assertEquals(pieced.commitment().regions(), reread.regions(), "piece names are implied by the table");

        List<Claim> claims = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Point z = Rand.point(r, ROW_BITS + COL_BITS);
            claims.add(new Claim("A", z, Mle.base(w.values().get("A")).evaluate(z)));
        }
        Point zb = Rand.point(r, 8);
        claims.add(new Claim("B", zb, Mle.base(w.values().get("B")).evaluate(zb)));
        OpeningProof proof = TensorCodePcs.open(pieced, claims, TensorCodePcsZkTest.tr());
        Verdict v = TensorCodePcs.verify(reread, claims, proof, TensorCodePcsZkTest.tr());
        assertTrue(v.isAccepted(), v.toString());

        List<Claim> wrong = new ArrayList<>(claims);
        wrong.set(1, new Claim("A", claims.get(1).point(), claims.get(1).value().add(Fp3.ONE)));
        assertFalse(TensorCodePcs.verify(reread, wrong, proof, TensorCodePcsZkTest.tr()).isAccepted(), "a wrong value");
        assertFalse(TensorCodePcs.verify(whole.commitment(), claims, proof, TensorCodePcsZkTest.tr()).isAccepted(),
                "the proof is for the pieced commitment");
        List<Claim> shortPoint = List.of(new Claim("A", Rand.point(r, ROW_BITS), Fp3.ZERO));
        assertFalse(TensorCodePcs.verify(reread, shortPoint, proof, TensorCodePcsZkTest.tr()).isAccepted(), "a point of the wrong size");
        // a piece moved onto padding (fixed bits changed): another commitment, the proof fails
        List<Region> moved = new ArrayList<>(reread.regions());
        for (int i = 0; i < moved.size(); i++) {
            Region g = moved.get(i);
            if (g.isPiece()) {
                long bit = Long.lowestOneBit(~g.freeMask() & ((1L << g.tensorVars()) - 1));
                moved.set(i, new Region(g.name(), g.numVars(), g.offset(), g.tensor(), g.tensorVars(), g.freeMask(), g.fixed() ^ bit));
                break;
            }
        }
        Commitment other = new Commitment(reread.root(), reread.params(), moved);
        assertFalse(TensorCodePcs.verify(other, claims, proof, TensorCodePcsZkTest.tr()).isAccepted(), "a moved piece");
    }

    @Test
    void zeroKnowledgeOpeningsRewriteEvalAndSlotsTermsOntoThePieces() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        World w = world(r);
        TensorCodePcs.Committed pieced = TensorCodePcs.commit(w.pieced(), new byte[32]);
        TensorCodePcs.Committed mask = TensorCodePcs.commitBatchMask(pieced.commitment().params().numVars(), TensorCodePcsZkTest.seed("pieces mask"));
        int real = (3 << COL_BITS) | 40;
        int padding = (30 << COL_BITS) | 2;
        List<LinearClaim.Term> terms = List.of(new Eval("A", Rand.point(r, ROW_BITS + COL_BITS), Rand.ext(r)),
                new Slots("A", new int[] {real, padding}, new Fp3[] {Rand.ext(r), Rand.ext(r)}),
                new Eval("B", Rand.point(r, 8), Fp3.ONE));
        List<LinearClaim.Term> plain = List.of(new Eval("A", Rand.point(r, ROW_BITS + COL_BITS), Fp3.ONE));
        List<LinearClaim> cl = List.of(new LinearClaim(terms, new LinearClaim(terms, Fp3.ZERO).evaluate(w.values()::get)),
                new LinearClaim(plain, new LinearClaim(plain, Fp3.ZERO).evaluate(w.values()::get)));
        ZkOpeningProof proof = TensorCodePcs.openZk(List.of(pieced), mask, cl, TensorCodePcsZkTest.tr());
        List<Commitment> cs = List.of(TensorCodePcsZkTest.viaBytes(pieced.commitment()));
        Verdict v = TensorCodePcs.verifyZk(cs, mask.commitment(), cl, TensorCodePcsZkTest.viaBytes(proof), TensorCodePcsZkTest.tr());
        assertTrue(v.isAccepted(), v.toString());

        LinearClaim bad = new LinearClaim(cl.get(0).terms(), cl.get(0).value().add(Fp3.ONE));
        assertFalse(TensorCodePcs.verifyZk(cs, mask.commitment(), List.of(bad, cl.get(1)), proof, TensorCodePcsZkTest.tr()).isAccepted(),
                "a wrong value");
        List<LinearClaim> badSlot = List.of(new LinearClaim(List.of(new Slots("A", new int[] {1 << 11}, new Fp3[] {Fp3.ONE})), Fp3.ZERO));
        Verdict vs = TensorCodePcs.verifyZk(cs, mask.commitment(), badSlot, proof, TensorCodePcsZkTest.tr());
        assertFalse(vs.isAccepted());
        assertTrue(vs.reason().contains("slot 2048 of A"), vs.reason());
        List<LinearClaim> badPoint = List.of(new LinearClaim(List.of(new Eval("A", Rand.point(r, 9), Fp3.ONE)), Fp3.ZERO));
        assertFalse(TensorCodePcs.verifyZk(cs, mask.commitment(), badPoint, proof, TensorCodePcsZkTest.tr()).isAccepted());
        // a claim on the padding's value other than zero cannot be opened
        List<LinearClaim.Term> pad = List.of(new Slots("A", new int[] {padding}, new Fp3[] {Fp3.ONE}));
        List<LinearClaim> padClaim = List.of(new LinearClaim(pad, Fp3.ONE));
        assertFalse(TensorCodePcs.verifyZk(cs, mask.commitment(), padClaim, proof, TensorCodePcsZkTest.tr()).isAccepted());
    }

    @Test
    void badPieceTablesAreRefused() throws Exception {
        World w = world(new SplittableRandom(9));
        long[] a = w.values().get("A").clone();
        a[(30 << COL_BITS) | 1] = 5;
        List<Piece> pieces = Piece.grid(prefix(24, ROW_BITS), ROW_BITS, prefix(41, COL_BITS), COL_BITS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TensorCodePcs.Tensor("A", a, pieces));
        assertTrue(e.getMessage().contains("outside its pieces"), e.getMessage());
        List<Piece> overlapping = new ArrayList<>(pieces);
        overlapping.add(pieces.get(0));
        assertThrows(IllegalArgumentException.class, () -> new TensorCodePcs.Tensor("A", w.values().get("A"), overlapping));

        Commitment c = TensorCodePcs.commit(w.pieced(), new byte[32]).commitment();
        List<Region> regions = new ArrayList<>(c.regions());
        Region first = c.regionsOf("A").get(0);
        Region twin = new Region(TensorCodePcs.pieceName("A", 99), first.numVars(), first.offset(), "A", first.tensorVars(),
                first.freeMask(), first.fixed());
        regions.add(twin);
        MalformedInputException m = assertThrows(MalformedInputException.class, () -> TensorCodePcsZkTest.viaBytes(new Commitment(c.root(), c.params(), regions)));
        assertTrue(m.getMessage().contains("overlap"), m.getMessage());
        List<Region> both = new ArrayList<>(c.regions());
        both.add(new Region("A", 4, 0));
        m = assertThrows(MalformedInputException.class, () -> TensorCodePcsZkTest.viaBytes(new Commitment(c.root(), c.params(), both)));
        assertTrue(m.getMessage().contains("both whole and in pieces"), m.getMessage());
        List<Region> sized = new ArrayList<>(c.regions());
        sized.add(new Region(TensorCodePcs.pieceName("A", 98), 0, 0, "A", first.tensorVars() + 1, 0, (1L << first.tensorVars())));
        m = assertThrows(MalformedInputException.class, () -> TensorCodePcsZkTest.viaBytes(new Commitment(c.root(), c.params(), sized)));
        assertTrue(m.getMessage().contains("disagree on its size"), m.getMessage());
    }
}
