package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import dev.zkspark.testing.Rand;
import org.junit.jupiter.api.Test;

class TensorCodePcsTest {
    static final byte[] SEED = "0123456789abcdef0123456789abcdef".getBytes();

    static Transcript tr() {
        return Transcript.create(Hash.SHA256, "pcs-test", new byte[] {3});
    }

    static long[] values(SplittableRandom r, int n, int bound) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = Goldilocks.fromSigned(r.nextInt(2 * bound) - bound);
        }
        return a;
    }

    static Point point(SplittableRandom r, int n) {
        return Rand.point(r, n);
    }

    static List<Claim> claims(SplittableRandom r, List<TensorCodePcs.Tensor> ts, int perTensor) {
        List<Claim> out = new ArrayList<>();
        for (TensorCodePcs.Tensor t : ts) {
            for (int k = 0; k < perTensor; k++) {
                Point p = point(r, Integer.numberOfTrailingZeros(t.values().length));
                out.add(new Claim(t.name(), p, Mle.base(t.values()).evaluate(p)));
            }
        }
        return out;
    }

    static OpeningProof viaBytes(OpeningProof p, PcsParams params) throws MalformedInputException {
        ByteSink s = new ByteSink();
        p.write(s);
        ByteSource src = new ByteSource(s.toByteArray());
        OpeningProof q = OpeningProof.read(src, params);
        src.expectEnd("opening");
        return q;
    }

    static Commitment commitmentViaBytes(Commitment c) throws MalformedInputException {
        return Commitment.read(new ByteSource(c.toBytes()));
    }

    @Test
    void completenessOverSizesAndStackedRegions() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        for (int log : new int[] {0, 1, 2, 5, 8, 11, 14}) {
            List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("t", values(r, 1 << log, 1 << 20)));
            TensorCodePcs.Committed st = TensorCodePcs.commit(ts, SEED);
            List<Claim> cl = claims(r, ts, 2);
            OpeningProof p = TensorCodePcs.open(st, cl, tr());
            Verdict v = TensorCodePcs.verify(commitmentViaBytes(st.commitment()), cl, viaBytes(p, st.commitment().params()), tr());
            assertTrue(v.isAccepted(), "2^" + log + ": " + v);
        }
        List<TensorCodePcs.Tensor> stacked = List.of(
                new TensorCodePcs.Tensor("a", values(r, 1 << 10, 1000)),
                new TensorCodePcs.Tensor("b", values(r, 1 << 6, 1000)),
                new TensorCodePcs.Tensor("c", values(r, 1 << 10, 1000)),
                new TensorCodePcs.Tensor("d", values(r, 1, 1000)));
        TensorCodePcs.Committed st = TensorCodePcs.commit(stacked, SEED);
        List<Claim> cl = claims(r, stacked, 3);
        assertTrue(TensorCodePcs.verify(st.commitment(), cl, TensorCodePcs.open(st, cl, tr()), tr()).isAccepted());
    }

    @Test
    void completenessAt2to22Once() {
        SplittableRandom r = new SplittableRandom(2);
        List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("big", values(r, 1 << 22, 1 << 16)));
        TensorCodePcs.Committed st = TensorCodePcs.commit(ts, SEED);
        List<Claim> cl = claims(r, ts, 1);
        assertTrue(TensorCodePcs.verify(st.commitment(), cl, TensorCodePcs.open(st, cl, tr()), tr()).isAccepted());
    }

    @Test
    void everyTamperingIsRejected() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("w", values(r, 1 << 12, 1 << 16)),
                new TensorCodePcs.Tensor("x", values(r, 1 << 8, 1 << 16)));
        TensorCodePcs.Committed st = TensorCodePcs.commit(ts, SEED);
        Commitment c = st.commitment();
        List<Claim> cl = claims(r, ts, 2);
        OpeningProof good = TensorCodePcs.open(st, cl, tr());
        assertTrue(TensorCodePcs.verify(c, cl, good, tr()).isAccepted());

        OpeningProof p = viaBytes(good, c.params());
        p.columns[3][5] = Goldilocks.add(p.columns[3][5], 1);
        assertFalse(TensorCodePcs.verify(c, cl, p, tr()).isAccepted(), "column value");
        p = viaBytes(good, c.params());
        p.columns[0][c.params().rows()] = Goldilocks.add(p.columns[0][c.params().rows()], 1);
        assertFalse(TensorCodePcs.verify(c, cl, p, tr()).isAccepted(), "mask entry of a column");
        p = viaBytes(good, c.params());
        p.paths[2][1][0] ^= 1;
        assertFalse(TensorCodePcs.verify(c, cl, p, tr()).isAccepted(), "Merkle path");
        p = viaBytes(good, c.params());
        p.salts[1][0] ^= 1;
        assertFalse(TensorCodePcs.verify(c, cl, p, tr()).isAccepted(), "salt");
        p = viaBytes(good, c.params());
        p.evalRow[7] = p.evalRow[7].add(Fp3.ONE);
        assertFalse(TensorCodePcs.verify(c, cl, p, tr()).isAccepted(), "evaluation row");
        p = viaBytes(good, c.params());
        p.proxRow[c.params().messageLength() - 1] = p.proxRow[c.params().messageLength() - 1].add(Fp3.ONE);
        assertFalse(TensorCodePcs.verify(c, cl, p, tr()).isAccepted(), "proximity row (padding part)");
        p = viaBytes(good, c.params());
        OpeningProof maskLie = new OpeningProof(p.batching, p.maskEval.add(Fp3.ONE), p.evalRow, p.proxRow, p.grindNonce, p.columns,
                p.salts, p.paths);
        assertFalse(TensorCodePcs.verify(c, cl, maskLie, tr()).isAccepted(), "mask evaluation");
        // the proof of work: another nonce (its hash has the required zero bits with probability 2^-20)
        OpeningProof noWork = new OpeningProof(p.batching, p.maskEval, p.evalRow, p.proxRow, p.grindNonce + 1, p.columns, p.salts,
                p.paths);
        var lazy = TensorCodePcs.verify(c, cl, noWork, tr());
        assertFalse(lazy.isAccepted(), "grinding nonce");
        assertTrue(lazy.reason().contains("proof of work"), lazy.reason());

        List<Claim> wrongValue = new ArrayList<>(cl);
        wrongValue.set(1, new Claim(cl.get(1).tensor(), cl.get(1).point(), cl.get(1).value().add(Fp3.ONE)));
        assertFalse(TensorCodePcs.verify(c, wrongValue, good, tr()).isAccepted(), "claimed value");
        // an honest prover cannot open a false claim either
        assertFalse(TensorCodePcs.verify(c, wrongValue, TensorCodePcs.open(st, wrongValue, tr()), tr()).isAccepted(), "false claim opened");
        List<Claim> wrongRegion = new ArrayList<>(cl);
        Claim onX = cl.get(2);
        Point p8 = onX.point();
        wrongRegion.set(2, new Claim("w", point(r, 12), onX.value()));
        assertFalse(TensorCodePcs.verify(c, wrongRegion, good, tr()).isAccepted(), "region id");
        List<Claim> unknown = new ArrayList<>(cl);
        unknown.set(2, new Claim("nope", p8, onX.value()));
        assertFalse(TensorCodePcs.verify(c, unknown, good, tr()).isAccepted(), "unknown region");

        TensorCodePcs.Committed other = TensorCodePcs.commit(List.of(new TensorCodePcs.Tensor("w", values(r, 1 << 12, 1 << 16)),
                new TensorCodePcs.Tensor("x", values(r, 1 << 8, 1 << 16))), SEED);
        assertFalse(TensorCodePcs.verify(other.commitment(), cl, good, tr()).isAccepted(), "another commitment");
        assertFalse(TensorCodePcs.verify(c, cl, good, Transcript.create(Hash.SHA256, "pcs-test", new byte[] {4})).isAccepted(), "another statement");
    }

    @Test
    void malformedBytesNeverThrowAnythingElse() throws Exception {
        SplittableRandom r = new SplittableRandom(4);
        List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("w", values(r, 1 << 10, 1 << 16)));
        TensorCodePcs.Committed st = TensorCodePcs.commit(ts, SEED);
        List<Claim> cl = claims(r, ts, 1);
        ByteSink s = new ByteSink();
        TensorCodePcs.open(st, cl, tr()).write(s);
        byte[] b = s.toByteArray();
        int rejected = 0;
        for (int trial = 0; trial < 150; trial++) {
            byte[] x = b.clone();
            if (trial % 3 == 0) {
                x = java.util.Arrays.copyOf(x, r.nextInt(x.length));
            } else {
                x[r.nextInt(x.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                ByteSource src = new ByteSource(x);
                OpeningProof q = OpeningProof.read(src, st.commitment().params());
                src.expectEnd("opening");
                if (!TensorCodePcs.verify(st.commitment(), cl, q, tr()).isAccepted()) {
                    rejected++;
                }
            } catch (MalformedInputException e) {
                rejected++;
            }
        }
        assertEquals(150, rejected);
    }

    @Test
    void rootIsTheSameForAnyBandSplitAndDeterministicInTheSeed() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("w", values(r, 1 << 14, 1 << 16)));
        PcsParams p = new PcsParams(14, 8, 6, 9, 100); // 256 rows = 8 chunks of 32
        byte[] root1 = TensorCodePcs.commit(ts, SEED, p, 1).commitment().root();
        for (int bands : new int[] {2, 3, 8}) {
            assertArrayEquals(root1, TensorCodePcs.commit(ts, SEED, p, bands).commitment().root(), bands + " bands");
        }
        // bands computed separately (as different workers would) and combined in any order
        TensorCodePcs.Committed whole = TensorCodePcs.commit(ts, SEED, p, 1);
        long[] poly = whole.poly;
        List<TensorCodePcs.Band> bands = new ArrayList<>();
        bands.add(TensorCodePcs.encodeBand(p, poly, 160, 96, SEED));
        bands.add(TensorCodePcs.encodeBand(p, poly, 0, 64, SEED));
        bands.add(TensorCodePcs.encodeBand(p, poly, 64, 96, SEED));
        assertArrayEquals(root1, TensorCodePcs.combine(p, whole.commitment().regions(), poly, bands, SEED).commitment().root());
        // digests alone (a driver that never sees an entry), joined whole or from column-range subtrees
        List<TensorCodePcs.BandDigests> digests = bands.stream().map(TensorCodePcs.BandDigests::of).toList();
        var regions = whole.commitment().regions();
        assertArrayEquals(root1, TensorCodePcs.commitmentFromDigests(p, regions, digests, SEED).root());
        for (int ranges : new int[] {1, 2, 4, 64, p.codeLength()}) {
            List<byte[]> roots = new ArrayList<>();
            for (int i = ranges - 1; i >= 0; i--) { // any order of the tasks; the roots go in column order
                int[] cols = TensorCodePcs.columnRange(p, i, ranges);
                roots.add(0, TensorCodePcs.subtreeRoot(p, digests.stream().map(d -> d.columns(cols[0], cols[0] + cols[1])).toList(),
                        cols[0], cols[1], SEED));
            }
            assertArrayEquals(root1, TensorCodePcs.commitmentFromSubtrees(p, regions, roots).root(), ranges + " column ranges");
            // negative twins: a changed chunk digest, or two ranges swapped, give another root
            int[] cols = TensorCodePcs.columnRange(p, 0, ranges);
            List<TensorCodePcs.BandDigests> slices = new ArrayList<>(digests.stream().map(d -> d.columns(cols[0], cols[0] + cols[1])).toList());
            byte[][] firstChunk = slices.get(1).chunkDigests()[0]; // a fresh array; its digests are shared
            firstChunk[0] = firstChunk[0].clone();
            firstChunk[0][3] ^= 1;
            List<byte[]> bad = new ArrayList<>(roots);
            bad.set(0, TensorCodePcs.subtreeRoot(p, slices, cols[0], cols[1], SEED));
            assertFalse(java.util.Arrays.equals(root1, TensorCodePcs.commitmentFromSubtrees(p, regions, bad).root()), ranges + " ranges");
            if (ranges > 1) {
                List<byte[]> swapped = new ArrayList<>(roots);
                java.util.Collections.swap(swapped, 0, 1);
                assertFalse(java.util.Arrays.equals(root1, TensorCodePcs.commitmentFromSubtrees(p, regions, swapped).root()));
            }
        }
        assertEquals(8, TensorCodePcs.columnRangeCount(p, 12));
        assertEquals(p.codeLength(), TensorCodePcs.columnRangeCount(p, 1 << 30));
        assertThrows(IllegalArgumentException.class, () -> TensorCodePcs.columnRange(p, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> TensorCodePcs.subtreeRoot(p, digests, 1, p.codeLength() / 2, SEED));
        assertThrows(IllegalArgumentException.class, () -> TensorCodePcs.subtreeRoot(p, digests, 0, p.codeLength() / 2, SEED));
        assertThrows(IllegalArgumentException.class, () -> TensorCodePcs.commitmentFromSubtrees(p, regions, List.of(root1, root1, root1)));
        // determinism: same seed, same proof bytes; another seed, another root
        List<Claim> cl = claims(r, ts, 1);
        ByteSink a = new ByteSink();
        ByteSink b = new ByteSink();
        TensorCodePcs.open(TensorCodePcs.commit(ts, SEED, p, 1), cl, tr()).write(a);
        TensorCodePcs.open(TensorCodePcs.commit(ts, SEED, p, 3), cl, tr()).write(b);
        assertArrayEquals(a.toByteArray(), b.toByteArray());
        byte[] otherSeed = "fedcba9876543210fedcba9876543210".getBytes();
        assertFalse(java.util.Arrays.equals(root1, TensorCodePcs.commit(ts, otherSeed, p, 1).commitment().root()));
    }

    /** Every field element an opening reveals (rows, mask value, columns). */
    static List<Long> revealed(OpeningProof p) {
        List<Long> out = new ArrayList<>();
        for (Fp3[] row : new Fp3[][] {p.evalRow, p.proxRow, {p.maskEval}}) {
            for (Fp3 e : row) {
                out.add(e.c0);
                out.add(e.c1);
                out.add(e.c2);
            }
        }
        for (long[] c : p.columns) {
            for (long v : c) {
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void openingsHideTheTensor() {
        // two different tensors with the same value at the opening point: they agree only on entry 0,
        // and the claim is at the hypercube point 0
        SplittableRandom r = new SplittableRandom(6);
        int n = 12;
        long[] a = values(r, 1 << n, 100);
        long[] b = values(r, 1 << n, 100);
        b[0] = a[0];
        assertFalse(java.util.Arrays.equals(a, b));
        Point zero = Point.ofBase(new long[n]);
        double[] chis = new double[2];
        int which = 0;
        for (long[] t : new long[][] {a, b}) {
            TensorCodePcs.Committed st = TensorCodePcs.commit(List.of(new TensorCodePcs.Tensor("t", t)), SEED);
            Claim claim = new Claim("t", zero, Fp3.of(a[0]));
            OpeningProof proof = TensorCodePcs.open(st, List.of(claim), tr());
            assertTrue(TensorCodePcs.verify(st.commitment(), List.of(claim), proof, tr()).isAccepted());
            List<Long> rev = revealed(proof);
            Set<Long> raw = new HashSet<>();
            for (long v : t) {
                raw.add(v);
            }
            long hits = rev.stream().filter(raw::contains).count();
            assertEquals(0, hits, "no raw tensor entry among " + rev.size() + " revealed elements");
            // top 4 bits of uniform Goldilocks elements are uniform (p is within 2^-32 of 2^64)
            int[] buckets = new int[16];
            for (long v : rev) {
                buckets[(int) (v >>> 60)]++;
            }
            double expected = rev.size() / 16.0;
            double chi = 0;
            for (int c : buckets) {
                chi += (c - expected) * (c - expected) / expected;
            }
            chis[which++] = chi;
            // 15 degrees of freedom: 37.7 is the 0.1% critical value
            assertTrue(chi < 37.7, "revealed elements look non-uniform: chi-square " + chi);
        }
    }
}
