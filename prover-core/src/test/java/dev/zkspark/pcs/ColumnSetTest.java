package dev.zkspark.pcs;

import static dev.zkspark.pcs.TensorCodePcsZkTest.seed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.testing.Rand;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Queried columns with shared Merkle path tops ({@link ColumnSet}): exact round trip, fewer bytes, malformed references refused. */
class ColumnSetTest {
    private static OpeningProof honest(SplittableRandom r, List<Claim>[] claims, Commitment[] c) {
        long[] x = TensorCodePcsZkTest.small(r, 1 << 14);
        TensorCodePcs.Committed st = TensorCodePcs.commit(List.of(new TensorCodePcs.Tensor("X", x)), seed("columns"));
        Point pt = Rand.point(r, 14);
        claims[0] = List.of(new Claim("X", pt, Mle.base(x).evaluate(pt)));
        c[0] = st.commitment();
        return TensorCodePcs.open(st, claims[0], TensorCodePcsTest.tr());
    }

    private static byte[] bytes(ColumnSet s) {
        ByteSink out = new ByteSink();
        s.write(out);
        return out.toByteArray();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sharedPathTopsRoundTripExactlyInFewerBytesAndTheOpeningVerifies() throws Exception {
        List<Claim>[] cl = new List[1];
        Commitment[] c = new Commitment[1];
        OpeningProof p = honest(new SplittableRandom(81), cl, c);
        ColumnSet set = new ColumnSet(p.columns, p.salts, p.paths);
        byte[] enc = bytes(set);
        ColumnSet back = ColumnSet.read(new ByteSource(enc), 1 << 10, "pcs");
        long unshared = 4;
        for (int k = 0; k < p.columns.length; k++) {
            assertArrayEquals(p.columns[k], back.column(k));
            assertArrayEquals(p.salts[k], back.salt(k));
            assertTrue(Arrays.deepEquals(p.paths[k], back.path(k)), "path " + k);
            unshared += 4 + 8L * p.columns[k].length + TensorCodePcs.SALT_BYTES + 1 + 32L * p.paths[k].length;
        }
        int q = p.columns.length;
        int depth = p.paths[0].length;
        // q paths into 2^depth leaves share about log2(q) - 1 top levels each
        long sharedAtLeast = 32L * q * (31 - Integer.numberOfLeadingZeros(q) - 2);
        assertTrue(enc.length < unshared - sharedAtLeast, enc.length + " bytes, unshared " + unshared + ", depth " + depth + ", q " + q);
        OpeningProof fromBytes = TensorCodePcsTest.viaBytes(p, c[0].params());
        Verdict ok = TensorCodePcs.verify(c[0], cl[0], fromBytes, TensorCodePcsTest.tr());
        assertTrue(ok.isAccepted(), ok.reason());
    }

    /**
     * What a reference to the wrong earlier column decodes to: a path whose top nodes are another
     * column's. The verifier walks it to another root and rejects.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPathTopTakenFromAnotherColumnIsRejected() {
        List<Claim>[] cl = new List[1];
        Commitment[] c = new Commitment[1];
        OpeningProof p = honest(new SplittableRandom(82), cl, c);
        int depth = p.paths[0].length;
        // a column whose top node differs from column 0's
        int k = 1;
        while (Arrays.equals(p.paths[k][depth - 1], p.paths[0][depth - 1])) {
            k++;
        }
        byte[][][] paths = p.paths.clone();
        paths[k] = p.paths[k].clone();
        for (int d = depth / 2; d < depth; d++) {
            paths[k][d] = p.paths[0][d];
        }
        OpeningProof bad = new OpeningProof(p.batching, p.maskEval, p.evalRow, p.proxRow, p.grindNonce, p.columns, p.salts, paths,
                p.committed);
        Verdict v = TensorCodePcs.verify(c[0], cl[0], bad, TensorCodePcsTest.tr());
        assertFalse(v.isAccepted(), "a borrowed path top");
        assertTrue(v.reason().contains("not in the committed tree"), v.reason());
    }

    @Test
    void malformedReferencesAreRefusedWithAReason() {
        byte[][] a = {node(1), node(2), node(3)};
        byte[][] b = {node(4), node(5), node(3)};
        ColumnSet s = new ColumnSet(new long[][] {{7}, {8}}, new byte[][] {new byte[16], new byte[16]}, new byte[][][] {a, b});
        byte[] enc = bytes(s);
        // layout of column 1: fields (u32 length + 8) + salt 16, then u8 depth, u8 own, u16 ref
        int col1 = 4 + (4 + 8 + 16 + 2 + 3 * 32) + (4 + 8 + 16);
        assertEquals(3, enc[col1]);
        assertEquals(2, enc[col1 + 1], "column 1 sends its two lowest nodes");
        assertEquals(0, enc[col1 + 2] | enc[col1 + 3]);

        byte[] own = enc.clone();
        own[col1 + 1] = 4;
        assertMalformed(own, "own nodes of 3");
        byte[] forward = enc.clone();
        forward[col1 + 2] = 1;
        assertMalformed(forward, "refers to column 1");
        ColumnSet shorter = new ColumnSet(new long[][] {{7}, {8}}, new byte[][] {new byte[16], new byte[16]},
                new byte[][][] {{node(1), node(3)}, b});
        byte[] mixed = bytes(shorter);
        int at = 4 + (4 + 8 + 16 + 2 + 2 * 32) + (4 + 8 + 16);
        mixed[at + 1] = 2;
        byte[] patched = new byte[mixed.length + 2];
        System.arraycopy(mixed, 0, patched, 0, at + 2);
        patched[at + 2] = 0;
        patched[at + 3] = 0;
        System.arraycopy(mixed, at + 2, patched, at + 4, mixed.length - at - 2);
        assertMalformed(patched, "not an earlier path of the same length");

        // the same path through another earlier column that shares its top: decodes to the same
        // path, but is not the one encoding, so a proof cannot be changed without being refused
        byte[][] c = {node(6), node(7), node(3)};
        byte[] three = bytes(new ColumnSet(new long[][] {{7}, {8}, {9}}, new byte[][] {new byte[16], new byte[16], new byte[16]},
                new byte[][][] {a, b, c}));
        int col2 = 4 + (4 + 8 + 16 + 2 + 3 * 32) + (4 + 8 + 16 + 4 + 2 * 32) + (4 + 8 + 16);
        assertEquals(2, three[col2 + 1]);
        assertEquals(0, three[col2 + 2], "column 2 refers to the first column sharing its top");
        byte[] other = three.clone();
        other[col2 + 2] = 1;
        assertMalformed(other, "not in its shortest encoding");
        byte[] longer = new byte[three.length + 32];
        System.arraycopy(three, 0, longer, 0, col2 + 1);
        longer[col2 + 1] = 3; // all three nodes sent, no reference
        System.arraycopy(three, col2 + 4, longer, col2 + 2, 64);
        System.arraycopy(c[2], 0, longer, col2 + 2 + 64, 32);
        byte[] exact = java.util.Arrays.copyOf(longer, col2 + 2 + 96);
        assertMalformed(exact, "not in its shortest encoding");
    }

    /**
     * The encoding (a trie of path tops, linear in the columns) is the one the definition gives by
     * comparing each path with every earlier one: fewest own nodes, then the first such column;
     * checked on paths of a depth-8 tree at 300 random leaves, with repeats.
     */
    @Test
    void theEncodingIsTheShortestWithTheFirstReference() throws Exception {
        SplittableRandom r = new SplittableRandom(83);
        int q = 300;
        int depth = 8;
        long[][] cols = new long[q][];
        byte[][] salts = new byte[q][];
        byte[][][] paths = new byte[q][][];
        for (int i = 0; i < q; i++) {
            int leaf = r.nextInt(1 << depth);
            cols[i] = new long[] {leaf};
            salts[i] = new byte[16];
            paths[i] = new byte[depth][];
            for (int l = 0; l < depth; l++) {
                paths[i][l] = node(1000 * l + ((leaf >>> l) ^ 1)); // the sibling at level l
            }
        }
        ByteSink want = new ByteSink();
        want.u32(q);
        for (int i = 0; i < q; i++) {
            int own = depth;
            int ref = -1;
            for (int k = 0; k < i; k++) {
                int o = depth;
                while (o > 0 && Arrays.equals(paths[i][o - 1], paths[k][o - 1])) {
                    o--;
                }
                if (o < own) {
                    own = o;
                    ref = k;
                }
            }
            want.fields(cols[i]).bytes(salts[i]).u8(depth).u8(own);
            if (own < depth) {
                want.u8(ref & 0xff).u8(ref >>> 8);
            }
            for (int d = 0; d < own; d++) {
                want.bytes(paths[i][d]);
            }
        }
        ColumnSet set = new ColumnSet(cols, salts, paths);
        assertArrayEquals(want.toByteArray(), bytes(set));
        ColumnSet back = ColumnSet.read(new ByteSource(want.toByteArray()), 4, "pcs");
        for (int i = 0; i < q; i++) {
            assertTrue(Arrays.deepEquals(paths[i], back.path(i)), "path " + i);
        }
    }

    private static void assertMalformed(byte[] enc, String reason) {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> ColumnSet.read(new ByteSource(enc), 4, "pcs"));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static byte[] node(int v) {
        byte[] n = new byte[32];
        n[0] = (byte) v;
        n[1] = (byte) (v >>> 8);
        n[2] = (byte) (v >>> 16);
        return n;
    }
}
