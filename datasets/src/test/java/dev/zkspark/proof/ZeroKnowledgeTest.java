package dev.zkspark.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.lookup.LogUpZkProof;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.pcs.ZkOpeningProof;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zero knowledge of whole-inference proofs (docs/ZK.md): what a proof reveals are masked values,
 * never an evaluation of a committed tensor at a point the verifier knows, never a raw weight or
 * activation; and the revealed values of two models with the same public statement look alike.
 * Each property has its negative twin (plain proofs, or a planted leak) to show the test can fail.
 */
class ZeroKnowledgeTest {
    static QuantizedModel tiny;
    static ModelCommitment.Made made;
    static int[] prompt = {1, 7, 9};
    static int[] gen;

    @BeforeAll
    static void setUp() {
        tiny = QuantizedModel.quantize(SyntheticModels.generate(InferenceProofTest.TINY, 5), QuantParams.DEFAULT).forProof();
        made = ModelCommitment.commit(tiny, new byte[32]);
        int[] all = new FixedPointForward(tiny).generate(prompt, 3, -1);
        gen = java.util.Arrays.copyOfRange(all, prompt.length, all.length);
    }

    static byte[] seed(int k) {
        byte[] s = new byte[32];
        s[0] = (byte) k;
        s[1] = (byte) (k >> 8);
        return s;
    }

    /** Every part of one proof, computed step by step (so the test sees the prover's claims too). */
    record Run(InferenceProver.Witnessed w, List<InferenceProver.Part> parts, ProofFile proof) {}

    static Run run(QuantizedModel model, ModelCommitment.Made m, int[] p, int[] g, byte[] seed, boolean zk) {
        InferenceProver.Witnessed w = InferenceProver.witness(m.commitment(), model, p, g, seed, zk);
        WitnessCommitment wc = InferenceProver.commitWitness(w, m.commitment());
        Transcript base = InferenceProver.baseTranscript(w.statement(), m.commitment(), wc.digest(), zk);
        List<InferenceProver.Part> parts = new ArrayList<>();
        for (String task : w.tasks()) {
            parts.add(InferenceProver.proveTask(w, base, task));
        }
        for (String table : w.tables()) {
            parts.add(InferenceProver.proveLookup(w, base, table));
        }
        ProofFile proof = InferenceProver.finish(w.statement(), wc, m.state(), base, parts, new java.util.LinkedHashMap<>());
        return new Run(w, parts, proof);
    }

    static byte[] encode(Fp3 v) {
        return new ByteSink().ext(v).toByteArray();
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void noRevealedValueIsAnEvaluationOfACommittedTensorAtAClaimedPoint() {
        Run zk = run(tiny, made, prompt, gen, seed(1), true);
        byte[] bytes = zk.proof().toBytes();
        assertTrue(InferenceVerifier.verify(made.commitment(), zk.w().statement(), bytes).isAccepted());
        assertTrue(zk.proof().zeroKnowledge());
        int evaluations = 0;
        for (InferenceProver.Part part : zk.parts()) {
            for (LinearClaim c : part.linearClaims()) {
                for (LinearClaim.Term t : c.terms()) {
                    if (t instanceof LinearClaim.Eval e) {
                        Fp3 trueValue = Mle.base(zk.w().values(e.tensor())).evaluate(e.point());
                        if (trueValue.isBase()) {
                            continue; // a constant tensor (all zero limbs, say): its value is public anyway
                        }
                        assertFalse(contains(bytes, encode(trueValue)), part.section() + ": " + e.tensor() + "~(r) is in the proof");
                        evaluations++;
                    }
                }
            }
        }
        assertTrue(evaluations > 100, "evaluations checked: " + evaluations);

        // negative twin: a plain proof reveals exactly these evaluations
        Run plain = run(tiny, made, prompt, gen, seed(1), false);
        byte[] pb = plain.proof().toBytes();
        int found = 0, total = 0;
        for (InferenceProver.Part part : plain.parts()) {
            if (!part.section().startsWith("task/")) {
                continue; // lookups' leaf values are lines through revealed values: computable, not literal
            }
            List<Claim> claims = new ArrayList<>(part.witnessClaims());
            claims.addAll(part.modelClaims());
            for (Claim c : claims) {
                total++;
                Fp3 trueValue = Mle.base(plain.w().values(c.tensor())).evaluate(c.point());
                if (trueValue.isBase()) {
                    total--;
                } else if (contains(pb, encode(trueValue))) {
                    found++;
                }
            }
        }
        assertTrue(total > 100, "plain claims checked: " + total);
        assertEquals(total, found, "a plain proof carries the evaluations of the tensors it claims");
    }

    /**
     * Windows of three consecutive raw entries of every weight and activation tensor, keeping those
     * with at least two entries other than 0 and 1 (a base-field value lifted to F_p^3 puts a
     * random byte before zeros, which a window of small values could match by chance).
     */
    static Set<String> rawWindows(InferenceProver.Witnessed w, List<String> tensors) {
        Set<String> out = new HashSet<>();
        for (String name : tensors) {
            long[] v = w.values(name);
            for (int i = 0; i + 2 < v.length; i++) {
                int informative = 0;
                for (int k = 0; k < 3; k++) {
                    informative += Long.compareUnsigned(v[i + k], 1) > 0 ? 1 : 0;
                }
                if (informative >= 2) {
                    out.add(v[i] + "," + v[i + 1] + "," + v[i + 2]);
                }
            }
        }
        return out;
    }

    static int rawHits(byte[] bytes, Set<String> windows) {
        int hits = 0;
        for (int i = 0; i + 24 <= bytes.length; i++) {
            long a = 0, b = 0, c = 0;
            for (int k = 7; k >= 0; k--) {
                a = (a << 8) | (bytes[i + k] & 0xFF);
                b = (b << 8) | (bytes[i + 8 + k] & 0xFF);
                c = (c << 8) | (bytes[i + 16 + k] & 0xFF);
            }
            if (windows.contains(a + "," + b + "," + c)) {
                hits++;
            }
        }
        return hits;
    }

    @Test
    void noProofContainsRawWeightsOrActivations() {
        Run zk = run(tiny, made, prompt, gen, seed(2), true);
        List<String> tensors = new ArrayList<>();
        for (QuantizedModel.QTensor q : tiny.tensors()) {
            tensors.add(q.name());
        }
        tensors.addAll(List.of("embed.x", "layer0.q", "layer0.attn", "layer1.gate", "layer1.silu", "logits"));
        Set<String> windows = rawWindows(zk.w(), tensors);
        assertTrue(windows.size() > 1000);
        byte[] bytes = zk.proof().toBytes();
        assertEquals(0, rawHits(bytes, windows));
        // negative twin: the scan finds raw values planted in a section
        long[] leak = zk.w().values("logits");
        ByteSink planted = new ByteSink();
        planted.bytes(bytes);
        for (int i = 0; i < 8; i++) {
            planted.field(leak[i]);
        }
        assertTrue(rawHits(planted.toByteArray(), windows) > 0);
    }

    /** The revealed field elements of a zero-knowledge proof: every sumcheck value, final and opening value. */
    static List<Fp3> revealed(ProofFile pf) throws Exception {
        List<Fp3> out = new ArrayList<>();
        for (ProofFile.Section s : pf.sections()) {
            ByteSource in = new ByteSource(s.bytes());
            if (s.name().startsWith("task/")) {
                out.addAll(ZkSumcheck.Proof.read(in).revealed());
            } else if (s.name().startsWith("lookup/")) {
                out.addAll(LogUpZkProof.read(in).revealed());
            } else if (s.name().equals("opening")) {
                out.addAll(ZkOpeningProof.read(in).revealed());
            }
        }
        return out;
    }

    /** Counts of the top four bits of each value's base coordinate (16 bins). */
    static long[] histogram(List<Fp3> values) {
        long[] h = new long[16];
        for (Fp3 v : values) {
            h[(int) (Long.divideUnsigned(v.c0, Long.divideUnsigned(Goldilocks.P, 16) + 1))]++;
        }
        return h;
    }

    /** Pearson's chi-square statistic of two histograms against each other (15 degrees of freedom). */
    static double chiSquare(long[] a, long[] b) {
        double na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            na += a[i];
            nb += b[i];
        }
        double chi = 0;
        for (int i = 0; i < a.length; i++) {
            double pooled = (a[i] + b[i]) / (na + nb);
            double ea = pooled * na, eb = pooled * nb;
            if (pooled > 0) {
                chi += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
            }
        }
        return chi;
    }

    @Test
    void twoModelsWithTheSameStatementRevealIndistinguishableValues() throws Exception {
        // a second model with other weights that generates the same token from some prompt
        QuantizedModel other = QuantizedModel.quantize(SyntheticModels.generate(InferenceProofTest.TINY, 77), QuantParams.DEFAULT)
                .forProof();
        ModelCommitment.Made otherMade = ModelCommitment.commit(other, new byte[32]);
        int[] p = null;
        int[] g = null;
        for (int a = 1; a < 32 && p == null; a++) {
            for (int b = 1; b < 32 && p == null; b++) {
                int[] cand = {a, b};
                int ta = new FixedPointForward(tiny).generate(cand, 1, -1)[2];
                if (ta == new FixedPointForward(other).generate(cand, 1, -1)[2]) {
                    p = cand;
                    g = new int[] {ta};
                }
            }
        }
        assertTrue(p != null, "no common generation found");
        List<Fp3> a = new ArrayList<>(), b = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            a.addAll(revealed(run(tiny, made, p, g, seed(100 + k), true).proof()));
            b.addAll(revealed(run(other, otherMade, p, g, seed(200 + k), true).proof()));
        }
        long[] ha = histogram(a), hb = histogram(b);
        long[] uniform = new long[16];
        java.util.Arrays.fill(uniform, a.size() / 16);
        // 15 degrees of freedom: 50 is exceeded with probability about 1e-5
        assertTrue(chiSquare(ha, uniform) < 50, "model A's revealed values are not uniform: " + chiSquare(ha, uniform));
        assertTrue(chiSquare(ha, hb) < 50, "the two models are distinguishable: " + chiSquare(ha, hb));
        // negative twin: the same test tells apart a sample where one value in ten is a raw activation
        List<Fp3> leaky = new ArrayList<>(a);
        long[] raw = run(tiny, made, p, g, seed(300), true).w().values("layer0.attn");
        for (int i = 0; i < leaky.size(); i += 10) {
            leaky.set(i, Fp3.of(raw[i % raw.length]));
        }
        assertTrue(chiSquare(histogram(leaky), hb) > 50, "the test has no power: " + chiSquare(histogram(leaky), hb));
    }

    @Test
    void commitmentsWithTooFewQueriesAreRefused() throws Exception {
        // the prover picks the witness commitment's parameters: one query would make its opening
        // forgeable, so the verifier checks the soundness of every commitment's parameters
        Run zk = run(tiny, made, prompt, gen, seed(7), true);
        assertTrue(InferenceVerifier.verify(made.commitment(), zk.w().statement(), zk.proof().toBytes()).isAccepted());
        List<ProofFile.Section> secs = new ArrayList<>(zk.proof().sections());
        // the section is the commitment's root and parameters (format 5.0)
        dev.zkspark.pcs.Commitment.Header wc = dev.zkspark.pcs.Commitment.readHeader(new ByteSource(secs.get(0).bytes()));
        dev.zkspark.pcs.PcsParams p = wc.params();
        dev.zkspark.pcs.PcsParams weak = new dev.zkspark.pcs.PcsParams(p.numVars(), p.rowVars(), p.colVars(), p.codeVars(), 1,
                p.zkBudget());
        ByteSink out = new ByteSink();
        new dev.zkspark.pcs.Commitment.Header(wc.root(), weak).write(out);
        secs.set(0, new ProofFile.Section(secs.get(0).name(), -1, out.toByteArray()));
        byte[] forged = new ProofFile(zk.proof().hash(), ProofFile.FLAG_ZK, zk.proof().statement(), secs).toBytes();
        var v = InferenceVerifier.verify(made.commitment(), zk.w().statement(), forged);
        assertFalse(v.isAccepted());
        assertTrue(v.reason().contains("bits of soundness"), v.reason());
    }
}
