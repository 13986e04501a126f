package dev.zkspark.pcs;

import static dev.zkspark.pcs.TensorCodePcsZkTest.checkWith;
import static dev.zkspark.pcs.TensorCodePcsZkTest.claims;
import static dev.zkspark.pcs.TensorCodePcsZkTest.honestWorld;
import static dev.zkspark.pcs.TensorCodePcsZkTest.openWithCompanion;
import static dev.zkspark.pcs.TensorCodePcsZkTest.seed;
import static dev.zkspark.pcs.TensorCodePcsZkTest.tr;
import static dev.zkspark.pcs.TensorCodePcsZkTest.viaBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.SumcheckProof;
import dev.zkspark.testing.Rand;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The committed-rows mode of the tensor-code opening ({@link CommittedRows}): completeness and its negative twins. */
class CommittedRowsTest {
    static Verdict check(TensorCodePcsZkTest.World w, List<LinearClaim> cl, ZkOpeningProof p) {
        return TensorCodePcsZkTest.check(w, cl, p);
    }

    static TensorCodePcsZkTest.World committedWorld(long seed, String s) {
        TensorCodePcsZkTest.World w = honestWorld(new SplittableRandom(seed), seed(s));
        w.model().rowsCommitted = true;
        w.witness().rowsCommitted = true;
        return w;
    }

    @Test
    void committedRowsOpeningVerifiesFromBytesAndEveryPartIsChecked() throws Exception {
        TensorCodePcsZkTest.World w = committedWorld(61, "committed");
        List<LinearClaim> cl = claims(new SplittableRandom(62), w);
        ZkOpeningProof p = viaBytes(TensorCodePcs.openZk(w.states(), w.mask(), cl, tr()));
        for (int k = 0; k < 2; k++) {
            assertNotNull(p.opening(k).committed(), "opening " + k + " commits its rows");
            assertEquals(0, p.opening(k).evalRow().length);
        }
        assertNull(p.opening(2).committed(), "the batch mask sends its rows");
        Verdict ok = check(w, cl, p);
        assertTrue(ok.isAccepted(), ok.reason());

        for (int k = 0; k < 2; k++) {
            LigeroOpening o = p.opening(k);
            CommittedRows.Proof c = o.committed();
            byte[] root = c.root();
            root[5] ^= 1;
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(root, c.sumcheck(), c.inner()))), "rows root " + k);
            SumcheckProof sc = c.sumcheck();
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(),
                    sc.withRoundValue(0, 0, sc.round(0)[0].add(Fp3.ONE)), c.inner()))), "row sumcheck round 0 of " + k);
            int last = sc.numRounds() - 1;
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(),
                    sc.withRoundValue(last, 1, sc.round(last)[1].add(Fp3.ONE)), c.inner()))), "row sumcheck last round of " + k);
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(),
                    sc.withFinalEval(0, 0, sc.finalEvals(0)[0].add(Fp3.ONE)), c.inner()))), "claimed P(r) of " + k);
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(),
                    sc.withFinalEval(0, 1, sc.finalEvals(0)[1].add(Fp3.ONE)), c.inner()))), "claimed W(r) of " + k);
            LigeroOpening in = c.inner();
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(), sc,
                    in.withColumnEntry(1, 0, Goldilocks.add(in.column(1)[0], 1))))), "inner column of " + k);
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(), sc,
                    in.withEvalRow(3, in.evalRow()[3].add(Fp3.ONE))))), "inner row entry of " + k);
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(), sc,
                    in.withMaskEval(in.maskEval().add(Fp3.ONE))))), "inner y_R of " + k);
            // the inner opening may not itself commit its rows (no unbounded nesting)
            assertRejected(w, cl, p.withOpening(k, o.withCommitted(new CommittedRows.Proof(c.root(), sc, in.withCommitted(c)))),
                    "nested committed rows of " + k);
            // the outer columns and y_R are still checked (now through the row claims)
            assertRejected(w, cl, p.withOpening(k, o.withColumnEntry(2, 0, Goldilocks.add(o.column(2)[0], 1))), "outer column of " + k);
            assertRejected(w, cl, p.withOpening(k, o.withMaskEval(o.maskEval().add(Fp3.ONE))), "outer y_R of " + k);
            assertRejected(w, cl, p.withOpening(k, o.withGrindNonce(o.grindNonce() + 1)), "grinding nonce of " + k);
        }
        // a false claim, opened honestly in this mode, is rejected
        List<LinearClaim> wrong = new java.util.ArrayList<>(cl);
        wrong.set(1, new LinearClaim(cl.get(1).terms(), cl.get(1).value().add(Fp3.ONE)));
        assertRejected(w, wrong, TensorCodePcs.openZk(w.states(), w.mask(), wrong, tr()), "false claim");
        assertRejected(w, wrong, p, "proof of other claims");
    }

    @Test
    void committedRowsWithACompanionVerifyAndRejectTampering() throws Exception {
        TensorCodePcsZkTest.World w = committedWorld(63, "committed-companion");
        List<LinearClaim> cl = claims(new SplittableRandom(64), w);
        TensorCodePcsZkTest.WithCompanion o = openWithCompanion(w, cl, "cr-1", tr());
        ZkOpeningProof p = viaBytes(o.proof());
        assertNotNull(p.opening(0).committed());
        Commitment comp = o.companion().commitment();
        Commitment mask = o.mask().commitment();
        Verdict ok = checkWith(w, comp, mask, cl, p);
        assertTrue(ok.isAccepted(), ok.reason());
        assertFalse(checkWith(w, comp, mask, cl, p.withCompanion(0, p.companion(0).withColumnEntry(3, 1, 12345))).isAccepted(),
                "companion column");
        CommittedRows.Proof c = p.opening(0).committed();
        SumcheckProof sc = c.sumcheck();
        assertFalse(checkWith(w, comp, mask, cl, p.withOpening(0, p.opening(0).withCommitted(new CommittedRows.Proof(c.root(),
                sc.withRoundValue(1, 0, sc.round(1)[0].add(Fp3.ONE)), c.inner())))).isAccepted(), "row sumcheck");
        Commitment other = TensorCodePcs.commitCompanion(w.model().commitment().params(), seed("cr-2/companion")).commitment();
        assertFalse(checkWith(w, other, mask, cl, p).isAccepted(), "another companion");
    }

    @Test
    void plainOpeningsCommitTheirRowsToo() throws Exception {
        SplittableRandom r = new SplittableRandom(72);
        long[] x = TensorCodePcsZkTest.small(r, 1 << 10);
        TensorCodePcs.Committed st = TensorCodePcs.commit(List.of(new TensorCodePcs.Tensor("X", x)), seed("plain"));
        st.rowsCommitted = true;
        Point pt = Rand.point(r, 10);
        List<Claim> cl = List.of(new Claim("X", pt, Mle.base(x).evaluate(pt)));
        Commitment c = st.commitment();
        OpeningProof p = TensorCodePcsTest.viaBytes(TensorCodePcs.open(st, cl, tr()), c.params());
        assertNotNull(p.committed);
        assertTrue(TensorCodePcs.verify(c, cl, p, tr()).isAccepted());
        List<Claim> wrong = List.of(new Claim("X", pt, cl.get(0).value().add(Fp3.ONE)));
        assertFalse(TensorCodePcs.verify(c, wrong, p, tr()).isAccepted(), "another value");
        assertFalse(TensorCodePcs.verify(c, wrong, TensorCodePcs.open(st, wrong, tr()), tr()).isAccepted(), "false claim opened");
        SumcheckProof sc = p.committed.sumcheck();
        OpeningProof bad = new OpeningProof(p.batching, p.maskEval, p.evalRow, p.proxRow, p.grindNonce, p.columns, p.salts, p.paths,
                new CommittedRows.Proof(p.committed.root(), sc.withFinalEval(0, 0, sc.finalEvals(0)[0].add(Fp3.ONE)), p.committed.inner()));
        assertFalse(TensorCodePcs.verify(c, cl, bad, tr()).isAccepted(), "claimed P(r)");
        LigeroOpening in = p.committed.inner();
        bad = new OpeningProof(p.batching, p.maskEval, p.evalRow, p.proxRow, p.grindNonce, p.columns, p.salts, p.paths,
                new CommittedRows.Proof(p.committed.root(), sc, in.withColumnEntry(0, 2, Goldilocks.add(in.column(0)[2], 1))));
        assertFalse(TensorCodePcs.verify(c, cl, bad, tr()).isAccepted(), "inner column");
        byte[] bytes = bytesOf(p);
        for (int trial = 0; trial < 100; trial++) {
            byte[] flipped = bytes.clone();
            int at = r.nextInt(bytes.length);
            flipped[at] ^= (byte) (1 << r.nextInt(8));
            try {
                ByteSource src = new ByteSource(flipped);
                OpeningProof q = OpeningProof.read(src, c.params());
                src.expectEnd("opening");
                assertFalse(TensorCodePcs.verify(c, cl, q, tr()).isAccepted(), "a flip at byte " + at + " was accepted");
            } catch (MalformedInputException e) {
                assertNotNull(e.getMessage());
            }
        }
    }

    private static byte[] bytesOf(OpeningProof p) {
        dev.zkspark.core.ByteSink s = new dev.zkspark.core.ByteSink();
        p.write(s);
        return s.toByteArray();
    }

    @Test
    void byteFlipsAndTruncationsOfACommittedRowsProofAreRejectedWithoutExceptions() throws Exception {
        TensorCodePcsZkTest.World w = committedWorld(65, "committed-bytes");
        List<LinearClaim> cl = claims(new SplittableRandom(66), w);
        byte[] good = TensorCodePcs.openZk(w.states(), w.mask(), cl, tr()).toBytes();
        SplittableRandom r = new SplittableRandom(67);
        for (int trial = 0; trial < 300; trial++) {
            byte[] bad = good.clone();
            int at;
            if (trial % 3 == 0) {
                at = r.nextInt(good.length);
                bad = java.util.Arrays.copyOf(good, at);
            } else {
                at = r.nextInt(good.length);
                bad[at] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                ByteSource src = new ByteSource(bad);
                ZkOpeningProof q = ZkOpeningProof.read(src);
                src.expectEnd("zk opening");
                assertFalse(check(w, cl, q).isAccepted(), "a change at byte " + at + " (trial " + trial + ") was accepted");
            } catch (MalformedInputException e) {
                assertNotNull(e.getMessage());
            }
        }
    }

    @Test
    void sentAndCommittedModesBothVerifyForParametersWhereCommittedIsSmaller() throws Exception {
        long[] x = TensorCodePcsZkTest.small(new SplittableRandom(68), 1 << 20);
        long[] blind = dev.zkspark.sumcheck.ZkMasks.generate(seed("big"), "blind", 8);
        List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("X", x), new TensorCodePcs.Tensor("blind", blind));
        TensorCodePcs.Committed st = TensorCodePcs.commit(ts, seed("big"));
        PcsParams p = st.commitment().params();
        assertTrue(p.committedRowsSmaller(), "2^20 entries: committing the rows is the smaller opening, " + p);
        Point pt = Rand.point(new SplittableRandom(69), 20);
        List<LinearClaim> cl = List.of(LinearClaim.of(new Claim("X", pt, Mle.base(x).evaluate(pt))));
        TensorCodePcs.Committed mask = TensorCodePcs.commitBatchMask(p.numVars(), seed("big/mask"));
        ZkOpeningProof auto = TensorCodePcs.openZk(List.of(st), mask, cl, tr());
        assertNotNull(auto.opening(0).committed(), "the prover picks the committed mode");
        assertTrue(TensorCodePcs.verifyZk(List.of(st.commitment()), mask.commitment(), cl, viaBytes(auto), tr()).isAccepted());
        st.rowsCommitted = false;
        ZkOpeningProof sent = TensorCodePcs.openZk(List.of(st), mask, cl, tr());
        assertNull(sent.opening(0).committed());
        assertTrue(TensorCodePcs.verifyZk(List.of(st.commitment()), mask.commitment(), cl, viaBytes(sent), tr()).isAccepted());
        assertTrue(auto.byteSize() < sent.byteSize(), auto.byteSize() + " vs " + sent.byteSize());
        long est = p.committedProofBytes();
        int actual = auto.opening(0).byteSize();
        assertTrue(Math.abs(actual - est) < est / 10, "estimate " + est + " vs " + actual + " bytes");
        List<LinearClaim> wrong = List.of(new LinearClaim(cl.get(0).terms(), cl.get(0).value().add(Fp3.ONE)));
        assertFalse(TensorCodePcs.verifyZk(List.of(st.commitment()), mask.commitment(), wrong, auto, tr()).isAccepted());
    }

    /** Interleaved random F_p^3 vector of n entries. */
    static long[] randomExt(SplittableRandom r, int n) {
        long[] a = new long[3 * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = Goldilocks.reduce(r.nextLong());
        }
        return a;
    }

    /**
     * The row claims directly: the verifier's values come from the true rows v and u (as the
     * columns would give them); a prover committing any other v or u, or claiming another
     * evaluation, is rejected by the claims' sumcheck and weights, not by anything else.
     */
    @Test
    void committingOtherRowsThanTheColumnsImplyIsRejected() {
        Rows c = Rows.random(71, new PcsParams(9, 2, 7, 9, 40));
        PcsParams p = c.p;
        int k = p.messageLength();
        long[] v = c.v;
        long[] u = c.u;
        long[] b = c.b;
        int[] js = c.js;
        Fp3[][] enc = c.enc;
        Fp3 target = c.target;
        assertTrue(run(p, v, u, js, enc, b, target).isAccepted(), "honest rows");
        assertFalse(run(p, v, u, js, enc, b, target.add(Fp3.ONE)).isAccepted(), "another evaluation");
        for (int[] change : new int[][] {{0, 5, 0}, {0, p.cols() + 3, 2}, {1, 0, 1}, {1, k - 1, 0}}) {
            long[] v2 = v.clone();
            long[] u2 = u.clone();
            long[] row = change[0] == 0 ? v2 : u2;
            int at = 3 * change[1] + change[2];
            row[at] = Goldilocks.add(row[at], 1);
            Verdict bad = run(p, v2, u2, js, enc, b, target);
            assertFalse(bad.isAccepted(), "row " + change[0] + " entry " + change[1] + " coordinate " + change[2]);
            assertTrue(bad.reason().contains("committed rows"), bad.reason());
        }
    }

    /**
     * Random rows v and u of p's message length, column weights b, query positions js (with a
     * repeated one, which is fine), the values enc the columns imply and the evaluation target.
     */
    private record Rows(PcsParams p, long[] v, long[] u, long[] b, int[] js, Fp3[][] enc, Fp3 target) {
        static Rows random(long seed, PcsParams p) {
            SplittableRandom r = new SplittableRandom(seed);
            int k = p.messageLength();
            long[] v = randomExt(r, k);
            long[] u = randomExt(r, k);
            long[] b = Mle.eqTable(Rand.point(r, p.colVars())).data();
            int[] js = new int[p.queries()];
            for (int x = 0; x < js.length; x++) {
                js[x] = r.nextInt(p.codeLength());
            }
            js[3] = js[7];
            Fp3 target = Fp3.ZERO;
            for (int i = 0; i < p.cols(); i++) {
                target = target.add(Fp3.get(b, i).mul(Fp3.get(v, i)));
            }
            return new Rows(p, v, u, b, js, new Fp3[][] {encodeAt(p, v, js), encodeAt(p, u, js)}, target);
        }
    }

    private static Verdict run(PcsParams p, long[] v, long[] u, int[] js, Fp3[][] enc, long[] b, Fp3 target) {
        return CommittedRows.verify(p, nestedProof(p, v, u, js, b, false), js, enc[0], enc[1], b, target, verifierAfterRoot(p, v, u, js, b),
                PcsParams.ROW_LEVELS);
    }

    /** The committed-rows proof of (v, u); {@code nested}: the inner opening commits its rows too. */
    private static CommittedRows.Proof nestedProof(PcsParams p, long[] v, long[] u, int[] js, long[] b, boolean nested) {
        dev.zkspark.transcript.Transcript tp = tr();
        CommittedRows.Prover pr = CommittedRows.commit(p, v, u, seed("rows"), tp, PcsParams.ROW_LEVELS);
        pr.inner().rowsCommitted = nested;
        return CommittedRows.prove(pr, js, b, tp);
    }

    /** A verifier's transcript in the state after the rows' root (the same root for both modes: it commits v and u only). */
    private static dev.zkspark.transcript.Transcript verifierAfterRoot(PcsParams p, long[] v, long[] u, int[] js, long[] b) {
        dev.zkspark.transcript.Transcript tv = tr();
        CommittedRows.absorbRoot(tv, nestedProof(p, v, u, js, b, false).root());
        return tv;
    }

    /**
     * The inner opening of committed rows may commit its own rows (ROW_LEVELS = 2): the nested
     * proof verifies from bytes, every nested part is checked, and a nesting deeper than the
     * levels allow is refused by the reader and the verifier.
     */
    @Test
    void nestedCommittedRowsVerifyAndEveryNestedPartIsChecked() throws Exception {
        assertEquals(2, PcsParams.ROW_LEVELS, "this test nests once");
        Rows c = Rows.random(73, new PcsParams(14, 7, 7, 9, 40));
        CommittedRows.Proof nested = nestedProof(c.p, c.v, c.u, c.js, c.b, true);
        CommittedRows.Proof innerNested = nested.inner().committed();
        assertNotNull(innerNested, "the inner opening commits its rows");
        assertNull(innerNested.inner().committed(), "the innermost opening sends its rows");
        assertTrue(verifyNested(c, nested, c.target, PcsParams.ROW_LEVELS).isAccepted(), "nested rows");
        // from bytes: the inner opening read with one level left
        dev.zkspark.core.ByteSink out = new dev.zkspark.core.ByteSink();
        nested.inner().write(out);
        LigeroOpening reread = LigeroOpening.read(new ByteSource(out.toByteArray()), PcsParams.ROW_LEVELS - 1);
        CommittedRows.Proof fromBytes = new CommittedRows.Proof(nested.root(), nested.sumcheck(), reread);
        assertTrue(verifyNested(c, fromBytes, c.target, PcsParams.ROW_LEVELS).isAccepted(), "nested rows from bytes");
        try {
            LigeroOpening.read(new ByteSource(out.toByteArray()), 0);
            org.junit.jupiter.api.Assertions.fail("a committed inner opening with no level left was read");
        } catch (MalformedInputException e) {
            assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
        }
        Verdict tooDeep = verifyNested(c, nested, c.target, 1);
        assertFalse(tooDeep.isAccepted(), "a nested proof where one level is allowed");
        // negative twins: the nested root, a nested column entry, the innermost row, the nested sumcheck
        LigeroOpening in = nested.inner();
        byte[] root2 = innerNested.root();
        root2[0] ^= 1;
        LigeroOpening[] bad = {
                in.withCommitted(new CommittedRows.Proof(root2, innerNested.sumcheck(), innerNested.inner())),
                in.withColumnEntry(1, 2, 12345),
                in.withCommitted(new CommittedRows.Proof(innerNested.root(), innerNested.sumcheck(),
                        innerNested.inner().withEvalRow(0, innerNested.inner().evalRow()[0].add(Fp3.ONE)))),
                in.withCommitted(new CommittedRows.Proof(innerNested.root(), innerNested.sumcheck().withRoundValue(1, 0, innerNested.sumcheck().round(1)[0].add(Fp3.ONE)), innerNested.inner())),
        };
        String[] what = {"nested root", "nested column", "innermost row", "nested sumcheck"};
        for (int i = 0; i < bad.length; i++) {
            CommittedRows.Proof pr = new CommittedRows.Proof(nested.root(), nested.sumcheck(), bad[i]);
            assertFalse(verifyNested(c, pr, c.target, PcsParams.ROW_LEVELS).isAccepted(), what[i]);
        }
        assertFalse(verifyNested(c, nested, c.target.add(Fp3.ONE), PcsParams.ROW_LEVELS).isAccepted(),
                "another evaluation through nested rows");
    }

    private static Verdict verifyNested(Rows c, CommittedRows.Proof proof, Fp3 target, int levels) {
        return CommittedRows.verify(c.p, proof, c.js, c.enc[0], c.enc[1], c.b, target, verifierAfterRoot(c.p, c.v, c.u, c.js, c.b), levels);
    }

    /** sum_i row_i omega^(j i): the codeword of an interleaved F_p^3 message at positions js. */
    private static Fp3[] encodeAt(PcsParams p, long[] row, int[] js) {
        Fp3[] out = new Fp3[js.length];
        long omega = Goldilocks.rootOfUnity(p.codeVars());
        for (int x = 0; x < js.length; x++) {
            long z = Goldilocks.pow(omega, js[x]);
            Fp3 acc = Fp3.ZERO;
            long zi = 1;
            for (int i = 0; i < p.messageLength(); i++) {
                acc = acc.add(Fp3.get(row, i).mul(zi));
                zi = Goldilocks.mul(zi, z);
            }
            out[x] = acc;
        }
        return out;
    }

    @Test
    void truncatedPowerSumMatchesTheDefinition() {
        SplittableRandom r = new SplittableRandom(70);
        for (int m = 0; m <= 6; m++) {
            Point pt = Rand.point(r, m);
            long z = Goldilocks.reduce(r.nextLong());
            long[] eq = Mle.eqTable(pt).data();
            for (long len = 0; len <= (1L << m); len++) {
                Fp3 want = Fp3.ZERO;
                for (int i = 0; i < len; i++) {
                    want = want.add(Fp3.get(eq, i).mul(Goldilocks.pow(z, i)));
                }
                assertEquals(want, CommittedRows.truncatedPowers(pt, z, m, len), "m=" + m + " len=" + len);
            }
        }
    }

    @Test
    void innerParametersReachTheirTargetAndTheOuterBoundCountsThem() {
        for (PcsParams p : new PcsParams[] {PcsParams.chooseFor(1L << 20, 100, 1), PcsParams.chooseFor(15_000_000L, 100, 64),
                PcsParams.chooseFor(1L << 10, 100, 1)}) {
            PcsParams in = CommittedRows.innerParams(p, PcsParams.ROW_LEVELS - 1);
            assertNotNull(in);
            assertTrue(in.soundnessBits(PcsParams.ROW_LEVELS - 1) >= PcsParams.INNER_BITS, in.toString());
            assertTrue(p.soundnessBits() < p.sentSoundnessBits(), "the committed mode's error is added");
            assertTrue(p.soundnessBits() >= 100, p.toString());
            assertEquals(in.numVars(), PcsParams.varsFor(TensorCodePcs.totalEntries(CommittedRows.regions(p))));
        }
    }

    private static void assertRejected(TensorCodePcsZkTest.World w, List<LinearClaim> cl, ZkOpeningProof p, String what) throws Exception {
        Verdict v = check(w, cl, p);
        assertFalse(v.isAccepted(), what);
        // and the same from bytes, where the writer allows it
        try {
            assertFalse(check(w, cl, viaBytes(p)).isAccepted(), what + " (from bytes)");
        } catch (MalformedInputException e) {
            assertNotNull(e.getMessage(), what);
        }
    }
}
