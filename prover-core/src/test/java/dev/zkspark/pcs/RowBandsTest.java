package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.LinearClaim.Eval;
import dev.zkspark.poly.LinearClaim.Slots;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.sumcheck.TailedOracle;
import dev.zkspark.testing.Rand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Openings of commitments whose data rows are held in bands ({@link RowBands}, here in this JVM
 * the way Spark partitions hold them): the same proof bytes as with the rows at hand, for any band
 * count, truncated commitments included; a band that lies is caught by the verifier, and bands of
 * other rows are refused before any opening.
 */
class RowBandsTest {
    /** Bands of a commitment in memory: each band built only from its own slice and codewords. */
    static final class InMemoryBands implements RowBands {
        final PcsParams p;
        final byte[] seed;
        final BandSlice[] slices;
        final long[][] polys;
        final long[][][] codewords;
        /** Test-only lie: added to entry 0 of band 0's combined rows. */
        long lie;
        /** Test-only lie: added to the first entry of the first column asked for. */
        long columnLie;

        InMemoryBands(TensorCodePcs.Committed st, int count) {
            p = st.commitment().params();
            seed = st.seed;
            slices = new BandSlice[count];
            polys = new long[count][];
            codewords = new long[count][][];
            for (int c = 0; c < count; c++) {
                slices[c] = BandSlice.of(p, c, count);
                polys[c] = st.polySlice(slices[c].lo(), slices[c].len());
                codewords[c] = st.codewordRows(slices[c].firstRow(), slices[c].rows());
            }
        }

        /** The leaves of every column from the bands' digests, by two column ranges. */
        byte[][] leaves() {
            List<TensorCodePcs.BandDigests> digests = new ArrayList<>();
            for (int c = 0; c < slices.length; c++) {
                if (slices[c].rows() > 0) {
                    digests.add(TensorCodePcs.digestBand(p, slices[c].firstRow(), codewords[c]));
                }
            }
            int half = p.codeLength() / 2;
            byte[][] lo = TensorCodePcs.subtreeLeaves(p, columns(digests, 0, half), 0, half, seed);
            byte[][] hi = TensorCodePcs.subtreeLeaves(p, columns(digests, half, 2 * half), half, half, seed);
            byte[][] all = Arrays.copyOf(lo, 2 * half);
            System.arraycopy(hi, 0, all, half, half);
            return all;
        }

        private static List<TensorCodePcs.BandDigests> columns(List<TensorCodePcs.BandDigests> ds, int from, int to) {
            return ds.stream().map(d -> d.columns(from, to)).toList();
        }

        @Override
        public Sumcheck sumcheck(OpeningKernel w) {
            SumcheckChunk[] chunks = new SumcheckChunk[slices.length];
            Fp3 sum = Fp3.ZERO;
            for (int c = 0; c < slices.length; c++) {
                BandSlice.Part part = slices[c].part(p, polys[c], w);
                chunks[c] = part.chunk();
                sum = sum.add(part.sum());
            }
            return new Sumcheck(sum, new ChunkedOracle(chunks, p.numVars()));
        }

        @Override
        public long[][] combineRows(long[][] coefs) {
            long[][] acc = null;
            for (int c = 0; c < slices.length; c++) {
                long[][] part = TensorCodePcs.combineBand(p, polys[c], slices[c].firstRow(), slices[c].rows(), seed, coefs);
                if (acc == null) {
                    acc = part;
                } else {
                    for (int t = 0; t < acc.length; t++) {
                        for (int x = 0; x < acc[t].length; x++) {
                            acc[t][x] = dev.zkspark.field.Goldilocks.add(acc[t][x], part[t][x]);
                        }
                    }
                }
            }
            acc[0][0] = dev.zkspark.field.Goldilocks.add(acc[0][0], lie);
            return acc;
        }

        @Override
        public long[][] columns(int[] js) {
            long[][] out = new long[js.length][0];
            for (int c = 0; c < slices.length; c++) {
                long[][] part = TensorCodePcs.bandColumns(codewords[c], js);
                for (int x = 0; x < js.length; x++) {
                    long[] joined = Arrays.copyOf(out[x], out[x].length + part[x].length);
                    System.arraycopy(part[x], 0, joined, out[x].length, part[x].length);
                    out[x] = joined;
                }
            }
            out[0][0] = dev.zkspark.field.Goldilocks.add(out[0][0], columnLie);
            return out;
        }
    }

    /** The distributed oracle's shape with the chunks in an array. */
    static final class ChunkedOracle extends TailedOracle {
        SumcheckChunk[] chunks;

        ChunkedOracle(SumcheckChunk[] chunks, int numVars) {
            super(numVars - Integer.numberOfTrailingZeros(chunks.length));
            this.chunks = chunks;
        }

        @Override
        protected Fp3[][] distributedRoundValues(boolean[] active, int deg) {
            Fp3[][] sum = new Fp3[active.length][];
            for (SumcheckChunk c : chunks) {
                addPartial(sum, c.roundValues(active, deg));
            }
            return sum;
        }

        @Override
        protected void distributedFold(boolean[] active, Fp3 r) {
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = chunks[c].fold(active, r);
            }
        }

        @Override
        protected SumcheckChunk gather() {
            return SumcheckChunk.assemble(chunks);
        }
    }

    static TensorCodePcs.Committed remote(TensorCodePcs.Committed st, int count) {
        InMemoryBands b = new InMemoryBands(st, count);
        return TensorCodePcs.remote(st.commitment(), b.leaves(), st.seed, b);
    }

    /** A model of 2^14 + 2^12 + 8 entries and a witness of 2^16 + 16 + 8 (truncated to 96 of 128 rows), claims on each. */
    record Setup(TensorCodePcsZkTest.World world, List<LinearClaim> claims) {}

    static Setup setup(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] s = TensorCodePcsZkTest.seed("bands-" + seed);
        TensorCodePcsZkTest.World w = TensorCodePcsZkTest.world(Rand.small(r, 1 << 14, 1 << 20), Rand.small(r, 1 << 12, 1 << 20),
                Rand.small(r, 1 << 16, 1 << 20), dev.zkspark.sumcheck.ZkMasks.generate(s, "mu", 16), s);
        List<LinearClaim> cl = List.of(
                w.claim(List.of(new Eval("W1", Rand.point(r, 14), Fp3.ONE))),
                w.claim(List.of(new Eval("X", Rand.point(r, 16), Fp3.of(3)), new Eval("W2", Rand.point(r, 12), Rand.ext(r)))),
                w.claim(List.of(TensorCodePcsZkTest.ext("mu", 0, Fp3.ONE))),
                w.claim(List.of(new Slots("X", new int[] {5, 40_000}, new Fp3[] {Rand.ext(r), Fp3.of(7)}),
                        new Slots("W1", new int[] {16_000}, new Fp3[] {Fp3.of(2)}))));
        return new Setup(w, cl);
    }

    static byte[] open(Setup s, TensorCodePcs.Committed model, TensorCodePcs.Committed witness, String proofSeed) {
        TensorCodePcs.Committed comp = TensorCodePcs.commitCompanion(model.commitment().params(), TensorCodePcsZkTest.seed(proofSeed + "/c"));
        int n = Math.max(model.commitment().params().numVars(), witness.commitment().params().numVars());
        TensorCodePcs.Committed mask = TensorCodePcs.commitBatchMask(n + 1, TensorCodePcsZkTest.seed(proofSeed + "/m"));
        return TensorCodePcs.openZk(List.of(model, witness), Arrays.asList(comp, null), mask, s.claims(), TensorCodePcsZkTest.tr()).toBytes();
    }

    @Test
    void bandedRowsGiveTheSameBytesForEveryBandCount() throws Exception {
        Setup s = setup(5);
        TensorCodePcs.Committed model = s.world().model();
        TensorCodePcs.Committed witness = s.world().witness();
        assertTrue(witness.commitment().params().truncated(), witness.commitment().params().toString());
        byte[] local = open(s, model, witness, "p");
        int most = BandSlice.maxCount(witness.commitment().params());
        assertTrue(most >= 4, "the witness splits into " + most + " bands");
        for (int count = 1; count <= most; count *= 2) {
            int mc = BandSlice.count(model.commitment().params(), count);
            assertArrayEquals(local, open(s, remote(model, mc), remote(witness, count), "p"), count + " bands");
            // one held here, one in bands
            assertArrayEquals(local, open(s, model, remote(witness, count), "p"), count + " witness bands");
            assertArrayEquals(local, open(s, remote(model, mc), witness, "p"), mc + " model bands");
        }
        // the last witness band holds no data row (truncated): it still takes part
        BandSlice last = BandSlice.of(witness.commitment().params(), most - 1, most);
        assertEquals(0, last.rows(), last.toString());

        // and the bytes verify
        Commitment comp = TensorCodePcs.commitCompanion(model.commitment().params(), TensorCodePcsZkTest.seed("p/c")).commitment();
        int n = Math.max(model.commitment().params().numVars(), witness.commitment().params().numVars());
        Commitment mask = TensorCodePcs.commitBatchMask(n + 1, TensorCodePcsZkTest.seed("p/m")).commitment();
        ZkOpeningProof proof = ZkOpeningProof.read(new dev.zkspark.core.ByteSource(local));
        assertTrue(TensorCodePcs.verifyZk(s.world().commitments(), Arrays.asList(comp, null), mask, s.claims(), proof,
                TensorCodePcsZkTest.tr()).isAccepted());
    }

    @Test
    void aLyingBandIsRejectedAndForeignRowsAreRefused() throws Exception {
        Setup s = setup(6);
        TensorCodePcs.Committed model = s.world().model();
        TensorCodePcs.Committed witness = s.world().witness();
        InMemoryBands b = new InMemoryBands(witness, 4);
        b.lie = 1;
        byte[] bytes = open(s, model, TensorCodePcs.remote(witness.commitment(), b.leaves(), witness.seed, b), "q");
        Commitment comp = TensorCodePcs.commitCompanion(model.commitment().params(), TensorCodePcsZkTest.seed("q/c")).commitment();
        int n = Math.max(model.commitment().params().numVars(), witness.commitment().params().numVars());
        Commitment mask = TensorCodePcs.commitBatchMask(n + 1, TensorCodePcsZkTest.seed("q/m")).commitment();
        ZkOpeningProof proof = ZkOpeningProof.read(new dev.zkspark.core.ByteSource(bytes));
        assertFalse(TensorCodePcs.verifyZk(s.world().commitments(), Arrays.asList(comp, null), mask, s.claims(), proof,
                TensorCodePcsZkTest.tr()).isAccepted(), "a wrong combined row");

        // bands that return other entries of a column than they committed: the opener recomputes the
        // tree's low levels from the columns around each queried one and refuses before any proof
        InMemoryBands cb = new InMemoryBands(witness, 4);
        cb.columnLie = 1;
        TensorCodePcs.Committed lying = TensorCodePcs.remote(witness.commitment(), cb.leaves(), witness.seed, cb);
        IllegalStateException wrongColumn = assertThrows(IllegalStateException.class, () -> open(s, model, lying, "q"));
        assertTrue(wrongColumn.getMessage().contains("do not give the committed tree"), wrongColumn.getMessage());

        // the bands of another witness do not give this commitment's root
        TensorCodePcs.Committed other = setup(7).world().witness();
        InMemoryBands ob = new InMemoryBands(other, 4);
        assertThrows(IllegalArgumentException.class, () -> TensorCodePcs.remote(witness.commitment(), ob.leaves(), witness.seed, ob));
        // a plain opening needs the rows here
        TensorCodePcs.Committed r = remote(witness, 2);
        assertThrows(UnsupportedOperationException.class, () -> TensorCodePcs.open(r, List.of(), TensorCodePcsZkTest.tr()));
    }
}
