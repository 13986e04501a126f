package dev.zkspark.circuit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.circuit.TensorSpec.Axis;
import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RelationTest {
    static final Axis T = new Axis("t", 2), J = new Axis("j", 3), O = new Axis("o", 2);
    static final TensorSpec X = TensorSpec.of("x", T, J), W = TensorSpec.of("w", O, J), Y = TensorSpec.of("y", T, O),
            YR = TensorSpec.of("y.rem", T, O), R = TensorSpec.of("r", T), N = TensorSpec.of("n", T, J), NR = TensorSpec.of("n.rem", T, J),
            MASK = TensorSpec.of("mask", T, J);

    static Transcript transcript() {
        return Transcript.create(Hash.SHA256, "relation-test", new byte[] {1});
    }

    static long[] field(long[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Goldilocks.fromSigned(v[i]);
        }
        return out;
    }

    /** Signed witness: Y = rescale_4(X W^T); N = rescale_3(mask * X * r broadcast). */
    static Map<String, long[]> witness(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] x = new long[32], w = new long[32], r = new long[4], mask = new long[32];
        for (int i = 0; i < 32; i++) {
            x[i] = rnd.nextInt(2001) - 1000;
            w[i] = rnd.nextInt(201) - 100;
            mask[i] = (i % 8) <= (i / 8) ? 1 : 0;
        }
        for (int i = 0; i < 4; i++) {
            r[i] = rnd.nextInt(50) + 1;
        }
        long[] y = new long[16], yr = new long[16];
        for (int t = 0; t < 4; t++) {
            for (int o = 0; o < 4; o++) {
                long acc = 0;
                for (int j = 0; j < 8; j++) {
                    acc += x[t * 8 + j] * w[o * 8 + j];
                }
                y[t * 4 + o] = (acc + 8) >> 4;
                yr[t * 4 + o] = acc - (y[t * 4 + o] << 4);
            }
        }
        long[] n = new long[32], nr = new long[32];
        for (int i = 0; i < 32; i++) {
            long raw = mask[i] * x[i] * r[i / 8];
            n[i] = (raw + 4) >> 3;
            nr[i] = raw - (n[i] << 3);
        }
        Map<String, long[]> m = new HashMap<>();
        m.put("x", x);
        m.put("w", w);
        m.put("y", y);
        m.put("y.rem", yr);
        m.put("r", r);
        m.put("n", n);
        m.put("n.rem", nr);
        m.put("mask", mask);
        return m;
    }

    static List<Relation> relations(long[] mask) {
        Relation matmul = Relation.builder("matmul").fold(T, O).sum(J)
                .lhs(16, Relation.committed(Y)).lhs(1, Relation.committed(YR))
                .term(1, Relation.committed(X), Relation.committed(W)).build();
        Relation hadamard = Relation.builder("hadamard").eq(J, T)
                .term(8, Relation.committed(N)).term(1, Relation.committed(NR))
                .term(-1, Relation.publicTensor(MASK, field(mask)), Relation.committed(X), Relation.committed(R)).build();
        return List.of(matmul, hadamard);
    }

    static RelationVerifier.Checked roundTrip(Map<String, long[]> w, long[] publicMask) {
        List<Relation> rels = relations(publicMask);
        RelationProver.Proved p = RelationProver.prove(rels, name -> field(w.get(name)), transcript());
        ByteSink s = new ByteSink();
        p.proof().write(s);
        RelationProof back;
        try {
            back = RelationProof.read(new ByteSource(s.toByteArray()));
        } catch (dev.zkspark.core.MalformedInputException e) {
            throw new AssertionError(e);
        }
        RelationVerifier.Checked c = RelationVerifier.verify(rels, back, transcript());
        if (c.verdict().isAccepted()) {
            assertEquals(p.claims().size(), c.claims().size());
        }
        return c;
    }

    /** True iff every claim holds on the (honest) tensors: what the commitment opening enforces. */
    static boolean claimsHold(List<Claim> claims, Map<String, long[]> w) {
        for (Claim c : claims) {
            if (!Mle.base(field(w.get(c.tensor()))).evaluate(c.point()).equals(c.value())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void honestWitnessIsAcceptedAndItsClaimsHold() {
        Map<String, long[]> w = witness(1);
        RelationVerifier.Checked c = roundTrip(w, w.get("mask"));
        assertTrue(c.verdict().isAccepted(), c.verdict().reason());
        assertTrue(claimsHold(c.claims(), w));
        assertEquals(2 + 2 + 4, c.claims().size()); // lhs y, y.rem; finals x, w; n, n.rem, x, r (the mask is public)
    }

    @Test
    void wrongOutputsRemaindersOrPublicTensorsAreRejected() {
        for (String tensor : new String[] {"y", "y.rem", "n", "n.rem", "r"}) {
            Map<String, long[]> w = witness(2);
            w.get(tensor)[1] += 1;
            RelationVerifier.Checked c = roundTrip(w, w.get("mask"));
            // either the sumcheck fails, or it passes only with claims the commitment would refuse
            assertFalse(c.verdict().isAccepted() && claimsHold(c.claims(), witness(2)), tensor);
        }
        Map<String, long[]> w = witness(3);
        long[] otherMask = w.get("mask").clone();
        otherMask[0] = 1 - otherMask[0];
        otherMask[31] = 1 - otherMask[31];
        // the prover used one mask, the verifier builds another: rejected at the public evaluation or the sumcheck
        List<Relation> proverRels = relations(w.get("mask"));
        RelationProver.Proved p = RelationProver.prove(proverRels, name -> field(w.get(name)), transcript());
        assertFalse(RelationVerifier.verify(relations(otherMask), p.proof(), transcript()).verdict().isAccepted());
    }

    @Test
    void malformedProofsAreRejectedWithoutThrowing() {
        Map<String, long[]> w = witness(4);
        List<Relation> rels = relations(w.get("mask"));
        RelationProver.Proved p = RelationProver.prove(rels, name -> field(w.get(name)), transcript());
        ByteSink s = new ByteSink();
        p.proof().write(s);
        byte[] bytes = s.toByteArray();
        SplittableRandom rnd = new SplittableRandom(9);
        int rejected = 0;
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = bytes.clone();
            int pos = rnd.nextInt(b.length);
            b[pos] ^= (byte) (1 << rnd.nextInt(8));
            RelationProof q;
            try {
                q = RelationProof.read(new ByteSource(b));
            } catch (dev.zkspark.core.MalformedInputException e) {
                rejected++;
                continue;
            }
            RelationVerifier.Checked c = RelationVerifier.verify(rels, q, transcript());
            if (!c.verdict().isAccepted() || !claimsHold(c.claims(), w)) {
                rejected++;
            }
        }
        assertEquals(200, rejected);
    }

    // ------------------------------------------------------------ zero knowledge

    static final String MASKS = "zk/relations";

    static long[] zkMasks(List<Relation> rels, long seed) {
        dev.zkspark.sumcheck.ZkMasks count = dev.zkspark.sumcheck.ZkMasks.slotsOnly(MASKS);
        RelationProver.reserveZk(rels, count);
        byte[] s = java.nio.ByteBuffer.allocate(16).putLong(seed).putLong(seed * 31).array();
        return dev.zkspark.sumcheck.ZkMasks.generate(s, "relations", dev.zkspark.sumcheck.ZkMasks.tensorSize(count.used()));
    }

    /** Proves in ZK, round-trips the bytes, verifies; returns the verifier's claims or null if rejected. */
    static List<dev.zkspark.poly.LinearClaim> zkRoundTrip(Map<String, long[]> w, long[] publicMask, long[] masks) throws Exception {
        List<Relation> rels = relations(publicMask);
        RelationProver.ProvedZk p = RelationProver.proveZk(rels, name -> field(w.get(name)),
                dev.zkspark.sumcheck.ZkMasks.of(MASKS, masks), transcript());
        ByteSink s = new ByteSink();
        p.proof().write(s);
        var back = dev.zkspark.sumcheck.ZkSumcheck.Proof.read(new ByteSource(s.toByteArray()));
        RelationVerifier.CheckedZk c = RelationVerifier.verifyZk(rels, back, dev.zkspark.sumcheck.ZkMasks.slotsOnly(MASKS), transcript());
        if (!c.verdict().isAccepted()) {
            return null;
        }
        assertEquals(p.claims().size(), c.claims().size());
        return c.claims();
    }

    static boolean linearClaimsHold(List<dev.zkspark.poly.LinearClaim> claims, Map<String, long[]> w, long[] masks) {
        for (dev.zkspark.poly.LinearClaim c : claims) {
            if (!c.holds(name -> name.equals(MASKS) ? masks : field(w.get(name)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A worker's chunk built alone (RelationProver.chunkZk, the split layer tasks of prove-job)
     * holds exactly its share of the whole tables: the chunks' sums add up to the whole's, and
     * folding every chunk's local variables and then the assembled rest with the same random
     * challenges gives the whole tables' final values. Negative twin: another witness's chunk does not.
     */
    @Test
    void chunksBuiltAloneAreSlicesOfTheWholeTables() {
        Map<String, long[]> w = witness(21);
        List<Relation> rels = List.of(relations(w.get("mask")).get(1)); // hadamard: no left side, one instance
        java.util.function.Function<String, long[]> values = name -> field(w.get(name));
        dev.zkspark.sumcheck.SumcheckChunk whole = RelationProver.chunkZk(rels, values, transcript(), 0, 1);
        int n = whole.remainingVars(0);
        assertEquals(1, whole.numInstances());
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        Fp3[] rs = new Fp3[n];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = new Fp3(Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()));
        }
        boolean[] all = new boolean[whole.numInstances()];
        java.util.Arrays.fill(all, true);
        dev.zkspark.sumcheck.SumcheckChunk folded = whole;
        for (Fp3 x : rs) {
            folded = folded.fold(all, x);
        }
        for (int count : new int[] {2, 4, 8}) {
            int k = Integer.numberOfTrailingZeros(count);
            dev.zkspark.sumcheck.SumcheckChunk[] chunks = new dev.zkspark.sumcheck.SumcheckChunk[count];
            Fp3[] sums = null;
            for (int c = 0; c < count; c++) {
                dev.zkspark.sumcheck.SumcheckChunk ch = RelationProver.chunkZk(rels, values, transcript(), c, count);
                Fp3[] cs = ch.sums();
                sums = sums == null ? cs : new Fp3[] {sums[0].add(cs[0])};
                for (int i = 0; i < n - k; i++) {
                    ch = ch.fold(all, rs[i]);
                }
                chunks[c] = ch;
            }
            assertEquals(whole.sums()[0], sums[0], count + " chunks");
            dev.zkspark.sumcheck.SumcheckChunk rest = dev.zkspark.sumcheck.SumcheckChunk.assemble(chunks);
            for (int i = n - k; i < n; i++) {
                rest = rest.fold(all, rs[i]);
            }
            assertArrayEquals(folded.values(0), rest.values(0), count + " chunks");
        }
        Map<String, long[]> other = witness(22);
        // (both witnesses are honest, so every chunk's sum is 0: compare the folded tables instead)
        dev.zkspark.sumcheck.SumcheckChunk otherChunk = RelationProver.chunkZk(rels, name -> field(other.get(name)), transcript(), 1, 2);
        dev.zkspark.sumcheck.SumcheckChunk ownChunk = RelationProver.chunkZk(rels, values, transcript(), 1, 2);
        for (int i = 0; i < n - 1; i++) {
            otherChunk = otherChunk.fold(all, rs[i]);
            ownChunk = ownChunk.fold(all, rs[i]);
        }
        assertFalse(java.util.Arrays.equals(ownChunk.values(0), otherChunk.values(0)));
        assertThrows(IllegalArgumentException.class, () -> RelationProver.chunkZk(rels, values, transcript(), 0, 64));
    }

    @Test
    void zeroKnowledgeProofIsAcceptedAndItsClaimsHold() throws Exception {
        Map<String, long[]> w = witness(11);
        long[] masks = zkMasks(relations(w.get("mask")), 11);
        List<dev.zkspark.poly.LinearClaim> claims = zkRoundTrip(w, w.get("mask"), masks);
        assertTrue(claims != null, "rejected");
        assertTrue(linearClaimsHold(claims, w, masks));
        // y and y.rem are now finals of the left-hand instance, x, w, n, n.rem, r of the right-hand ones,
        // plus the masking polynomial's claim
        assertEquals(2 + 2 + 4 + 1, claims.size());
        for (dev.zkspark.poly.LinearClaim c : claims) {
            assertTrue(c.tensors().size() == 1 ? c.tensors().get(0).equals(MASKS) : c.tensors().get(1).equals(MASKS),
                    "every revealed evaluation carries a mask: " + c.tensors());
        }
    }

    @Test
    void zeroKnowledgeProofOfAWrongWitnessFails() throws Exception {
        for (String tensor : new String[] {"y", "y.rem", "n", "n.rem", "r"}) {
            Map<String, long[]> w = witness(12);
            long[] masks = zkMasks(relations(w.get("mask")), 12);
            w.get(tensor)[1] += 1;
            List<dev.zkspark.poly.LinearClaim> claims = zkRoundTrip(w, w.get("mask"), masks);
            assertFalse(claims != null && linearClaimsHold(claims, witness(12), masks), tensor);
        }
        Map<String, long[]> w = witness(13);
        long[] masks = zkMasks(relations(w.get("mask")), 13);
        long[] otherMask = w.get("mask").clone();
        otherMask[0] = 1 - otherMask[0];
        List<Relation> proverRels = relations(w.get("mask"));
        RelationProver.ProvedZk p = RelationProver.proveZk(proverRels, name -> field(w.get(name)),
                dev.zkspark.sumcheck.ZkMasks.of(MASKS, masks), transcript());
        RelationVerifier.CheckedZk c = RelationVerifier.verifyZk(relations(otherMask), p.proof(),
                dev.zkspark.sumcheck.ZkMasks.slotsOnly(MASKS), transcript());
        assertFalse(c.verdict().isAccepted() && linearClaimsHold(c.claims(), w, masks), "another public tensor");
    }

    @Test
    void tamperedZeroKnowledgeProofsAreRejectedWithoutThrowing() {
        Map<String, long[]> w = witness(14);
        List<Relation> rels = relations(w.get("mask"));
        long[] masks = zkMasks(rels, 14);
        RelationProver.ProvedZk p = RelationProver.proveZk(rels, name -> field(w.get(name)),
                dev.zkspark.sumcheck.ZkMasks.of(MASKS, masks), transcript());
        ByteSink s = new ByteSink();
        p.proof().write(s);
        byte[] bytes = s.toByteArray();
        SplittableRandom rnd = new SplittableRandom(15);
        int rejected = 0;
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = bytes.clone();
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
            dev.zkspark.sumcheck.ZkSumcheck.Proof q;
            try {
                q = dev.zkspark.sumcheck.ZkSumcheck.Proof.read(new ByteSource(b));
            } catch (dev.zkspark.core.MalformedInputException e) {
                rejected++;
                continue;
            }
            RelationVerifier.CheckedZk c = RelationVerifier.verifyZk(rels, q, dev.zkspark.sumcheck.ZkMasks.slotsOnly(MASKS), transcript());
            if (!c.verdict().isAccepted() || !linearClaimsHold(c.claims(), w, masks)) {
                rejected++;
            }
        }
        assertEquals(200, rejected);
    }
}
