package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.testing.Rand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Commitments whose rows past the data are left out (PcsParams.dataRows): plain and zk openings. */
class TruncatedCommitmentTest {
    record World(Map<String, long[]> values, List<TensorCodePcs.Tensor> tensors) {}

    /** 2^16 + 2^14 + 8 entries: 2^17 would be 60% padding rows. */
    static World world(SplittableRandom r) {
        long[] x = Rand.small(r, 1 << 16, 1 << 20);
        long[] y = Rand.small(r, 1 << 14, 1 << 20);
        long[] blind = dev.zkspark.sumcheck.ZkMasks.generate(new byte[32], "blind", 8);
        return new World(Map.of("X", x, "Y", y, "blind", blind),
                List.of(new TensorCodePcs.Tensor("X", x), new TensorCodePcs.Tensor("Y", y), new TensorCodePcs.Tensor("blind", blind)));
    }

    static List<Claim> claims(SplittableRandom r, World w) {
        List<Claim> out = new ArrayList<>();
        for (String t : new String[] {"X", "Y", "X"}) {
            long[] v = w.values().get(t);
            Point z = Rand.point(r, Mle.log2Exact(v.length));
            out.add(new Claim(t, z, Mle.base(v).evaluate(z)));
        }
        return out;
    }

    @Test
    void onlyTheDataRowsAreCommittedAndOpened() throws Exception {
        SplittableRandom r = new SplittableRandom(21);
        World w = world(r);
        TensorCodePcs.Committed st = TensorCodePcs.commit(w.tensors(), new byte[32]);
        PcsParams p = st.commitment().params();
        assertEquals(17, p.numVars());
        assertTrue(p.truncated(), p.toString());
        assertTrue(p.entries() < 1L << 17 && p.entries() >= (1L << 16) + (1L << 14) + 8, p.toString());
        Commitment c = TensorCodePcsZkTest.viaBytes(st.commitment());
        assertEquals(p, c.params());

        List<Claim> cl = claims(r, w);
        OpeningProof proof = TensorCodePcs.open(st, cl, TensorCodePcsZkTest.tr());
        Verdict v = TensorCodePcs.verify(c, cl, proof, TensorCodePcsZkTest.tr());
        assertTrue(v.isAccepted(), v.toString());
        List<Claim> wrong = new ArrayList<>(cl);
        wrong.set(2, new Claim("X", cl.get(2).point(), cl.get(2).value().add(Fp3.ONE)));
        assertFalse(TensorCodePcs.verify(c, wrong, proof, TensorCodePcsZkTest.tr()).isAccepted(), "a wrong value");

        // the same tensors with every row committed: a larger proof of the same claims
        PcsParams fullRows = PcsParams.choose(17, 100);
        TensorCodePcs.Committed full = TensorCodePcs.commit(w.tensors(), new byte[32], fullRows, 1);
        OpeningProof fullProof = TensorCodePcs.open(full, cl, TensorCodePcsZkTest.tr());
        assertTrue(TensorCodePcs.verify(full.commitment(), cl, fullProof, TensorCodePcsZkTest.tr()).isAccepted());
        assertTrue(proof.byteSize() < fullProof.byteSize(), proof.byteSize() + " vs " + fullProof.byteSize());
        // a proof for one layout does not verify against the other
        assertFalse(TensorCodePcs.verify(full.commitment(), cl, proof, TensorCodePcsZkTest.tr()).isAccepted());
        assertFalse(TensorCodePcs.verify(c, cl, fullProof, TensorCodePcsZkTest.tr()).isAccepted());
    }

    @Test
    void zeroKnowledgeOpeningsOfTruncatedCommitmentsVerify() throws Exception {
        SplittableRandom r = new SplittableRandom(22);
        World w = world(r);
        TensorCodePcs.Committed st = TensorCodePcs.commit(w.tensors(), TensorCodePcsZkTest.seed("truncated"));
        assertTrue(st.commitment().params().truncated());
        TensorCodePcs.Committed mask = TensorCodePcs.commitBatchMask(st.commitment().params().numVars(), TensorCodePcsZkTest.seed("mask"));
        List<LinearClaim> cl = new ArrayList<>(LinearClaim.ofAll(claims(r, w)));
        List<LinearClaim.Term> slots = List.of(new LinearClaim.Slots("Y", new int[] {3, (1 << 14) - 1}, new Fp3[] {Rand.ext(r), Fp3.ONE}));
        cl.add(new LinearClaim(slots, new LinearClaim(slots, Fp3.ZERO).evaluate(w.values()::get)));
        ZkOpeningProof proof = TensorCodePcs.openZk(List.of(st), mask, cl, TensorCodePcsZkTest.tr());
        List<Commitment> cs = List.of(TensorCodePcsZkTest.viaBytes(st.commitment()));
        Verdict v = TensorCodePcs.verifyZk(cs, mask.commitment(), cl, TensorCodePcsZkTest.viaBytes(proof), TensorCodePcsZkTest.tr());
        assertTrue(v.isAccepted(), v.toString());
        List<LinearClaim> wrong = new ArrayList<>(cl);
        wrong.set(0, new LinearClaim(cl.get(0).terms(), cl.get(0).value().add(Fp3.ONE)));
        assertFalse(TensorCodePcs.verifyZk(cs, mask.commitment(), wrong, proof, TensorCodePcsZkTest.tr()).isAccepted(), "a wrong value");
    }
}
