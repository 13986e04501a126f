package dev.zkspark.proof;

import dev.zkspark.circuit.InferenceCircuit;
import dev.zkspark.circuit.Relation;
import dev.zkspark.circuit.RelationProof;
import dev.zkspark.circuit.RelationVerifier;
import dev.zkspark.circuit.TensorSpec;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.lookup.LogUp;
import dev.zkspark.lookup.LogUpProof;
import dev.zkspark.lookup.LookupColumn;
import dev.zkspark.lookup.Table;
import dev.zkspark.pcs.Commitment;
import dev.zkspark.pcs.OpeningProof;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.lookup.LogUpZkProof;
import dev.zkspark.pcs.ZkOpeningProof;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.sumcheck.ZkMasks;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies an inference proof against a model commitment and a statement (DESIGN §5.6), without
 * running the model: rebuilds the circuit from public data, replays the transcript, checks every
 * task's relations, every lookup and both openings. Returns the first failing check by name (task,
 * relation or table, and what failed); never throws on malformed input.
 */
public final class InferenceVerifier {
    private InferenceVerifier() {}

    public static Verdict verify(ModelCommitment mc, Statement st, byte[] proofBytes) {
        try {
            return check(mc, st, proofBytes);
        } catch (MalformedInputException e) {
            return Verdict.reject("malformed proof: " + e.getMessage());
        } catch (RuntimeException e) {
            // a proof crafted to reach an unexpected state is still just a rejected proof
            return Verdict.reject("malformed proof: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Verdict check(ModelCommitment mc, Statement st, byte[] proofBytes) throws MalformedInputException {
        ProofFile pf = ProofFile.parse(proofBytes);
        if (!java.util.Arrays.equals(pf.statement(), st.toBytes())) {
            return Verdict.reject("the proof is about another statement (prompt, output or model differ)");
        }
        if (!java.util.Arrays.equals(st.modelDigest(), mc.digest())) {
            return Verdict.reject("the statement names another model commitment");
        }
        if (!java.util.Arrays.equals(st.quantDigest(), mc.params().digest())) {
            return Verdict.reject("the statement names other quantization parameters");
        }
        if (pf.hash() != Hash.SHA256) {
            return Verdict.reject("proof uses hash " + pf.hash().label() + "; this verifier expects SHA-256");
        }
        int[] prompt = st.prompt(), gen = st.generated();
        if (prompt.length == 0 || gen.length == 0) {
            return Verdict.reject("the statement needs a prompt and at least one generated token");
        }
        for (int[] ids : new int[][] {prompt, gen}) {
            for (int id : ids) {
                if (id < 0 || id >= mc.logical().vocab()) {
                    return Verdict.reject("token id " + id + " is outside the model's vocabulary");
                }
            }
        }
        int[] seq = st.forwardTokens();
        int n = InferenceProver.paddedLength(seq.length);
        if (n > mc.config().maxSeq()) {
            return Verdict.reject("the statement is longer than the model's context");
        }
        int[] padded = java.util.Arrays.copyOf(seq, n);
        InferenceCircuit circuit = new InferenceCircuit(mc.config(), mc.logical(), mc.params(), mc.fracBits(), padded, prompt.length, gen);

        if (pf.zeroKnowledge()) {
            return checkZk(mc, st, pf, circuit);
        }
        Commitment.Header wh = section(pf, "witness-commitment", Commitment::readHeader);
        Commitment wc = witnessCommitment(circuit, wh, Map.of());
        if (wc == null) {
            return tooSmall(wh);
        }
        Verdict strong = strongEnough(List.of("witness", "model"), List.of(wc, mc.commitment()));
        if (!strong.isAccepted()) {
            return strong;
        }
        Transcript t = InferenceProver.baseTranscript(st, mc, wc.digest(), false);
        List<Claim> witnessClaims = new ArrayList<>();
        List<Claim> modelClaims = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        expected.add("witness-commitment");
        for (Map.Entry<String, List<Relation>> task : circuit.tasks().entrySet()) {
            String name = "task/" + task.getKey();
            expected.add(name);
            RelationProof rp = section(pf, name, RelationProof::read);
            RelationVerifier.Checked rc = RelationVerifier.verify(task.getValue(), rp, t.fork(name));
            if (!rc.verdict().isAccepted()) {
                return Verdict.reject(task.getKey() + ": " + rc.verdict().reason());
            }
            InferenceProver.split(circuit, rc.claims(), witnessClaims, modelClaims);
        }
        for (Map.Entry<String, Table> e : circuit.tables().entrySet()) {
            Table table = e.getValue();
            String name = "lookup/" + table.name();
            expected.add(name);
            LogUpProof lp = section(pf, name, LogUpProof::read);
            LogUp.Checked lc = LogUp.verify(table, InferenceProver.lookupShapes(circuit, e.getKey()), lp, t.fork(name));
            if (!lc.verdict().isAccepted()) {
                return Verdict.reject("lookup " + table.name() + ": " + lc.verdict().reason());
            }
            witnessClaims.addAll(lc.claims());
        }
        List<String> withOpenings = new ArrayList<>(expected);
        withOpenings.add("opening/witness");
        withOpenings.add("opening/model");
        Verdict sectionsOk = sectionsAre(pf, withOpenings);
        if (!sectionsOk.isAccepted()) {
            return sectionsOk;
        }
        for (String name : expected) {
            t.absorb("section/" + name, pf.section(name).bytes());
        }
        OpeningProof wOpen = section(pf, "opening/witness", in -> OpeningProof.read(in, wc.params()));
        Verdict wv = TensorCodePcs.verify(wc, witnessClaims, wOpen, t);
        if (!wv.isAccepted()) {
            return Verdict.reject("witness opening: " + wv.reason());
        }
        OpeningProof mOpen = section(pf, "opening/model", in -> OpeningProof.read(in, mc.commitment().params()));
        Verdict mv = TensorCodePcs.verify(mc.commitment(), modelClaims, mOpen, t);
        if (!mv.isAccepted()) {
            return Verdict.reject("model opening: " + mv.reason());
        }
        return Verdict.accept();
    }

    /** The zero-knowledge proof: masked sumchecks everywhere, then one joint hiding opening. */
    private static Verdict checkZk(ModelCommitment mc, Statement st, ProofFile pf, InferenceCircuit circuit)
            throws MalformedInputException {
        Commitment.Header wh = section(pf, "witness-commitment", Commitment::readHeader);
        Commitment wc = witnessCommitment(circuit, wh, InferenceProver.maskSizes(circuit));
        if (wc == null) {
            return tooSmall(wh);
        }
        Commitment bm = section(pf, "batch-mask-commitment", Commitment::read);
        Commitment companion = section(pf, "model-companion-commitment", Commitment::read);
        Verdict strong = strongEnough(List.of("witness", "batch mask", "model companion", "model"),
                List.of(wc, bm, companion, mc.commitment()));
        if (!strong.isAccepted()) {
            return strong;
        }
        Transcript t = InferenceProver.baseTranscript(st, mc, WitnessCommitment.digest(wc, bm, companion), true);
        List<LinearClaim> claims = new ArrayList<>();
        List<String> expected = new ArrayList<>(List.of("witness-commitment", "batch-mask-commitment", "model-companion-commitment"));
        for (Map.Entry<String, List<Relation>> task : circuit.tasks().entrySet()) {
            String name = "task/" + task.getKey();
            expected.add(name);
            ZkSumcheck.Proof rp = section(pf, name, ZkSumcheck.Proof::read);
            RelationVerifier.CheckedZk rc = RelationVerifier.verifyZk(task.getValue(), rp,
                    ZkMasks.slotsOnly(InferenceProver.taskMasks(task.getKey())), t.fork(name));
            if (!rc.verdict().isAccepted()) {
                return Verdict.reject(task.getKey() + ": " + rc.verdict().reason());
            }
            claims.addAll(rc.claims());
        }
        for (Map.Entry<String, Table> e : circuit.tables().entrySet()) {
            Table table = e.getValue();
            String name = "lookup/" + table.name();
            expected.add(name);
            LogUpZkProof lp = section(pf, name, LogUpZkProof::read);
            LogUp.CheckedZk lc = LogUp.verifyZk(table, InferenceProver.lookupShapes(circuit, e.getKey()), lp,
                    ZkMasks.slotsOnly(InferenceProver.lookupMasks(e.getKey())), t.fork(name));
            if (!lc.verdict().isAccepted()) {
                return Verdict.reject("lookup " + table.name() + ": " + lc.verdict().reason());
            }
            claims.addAll(lc.claims());
        }
        List<String> withOpening = new ArrayList<>(expected);
        withOpening.add("opening");
        Verdict sectionsOk = sectionsAre(pf, withOpening);
        if (!sectionsOk.isAccepted()) {
            return sectionsOk;
        }
        for (String name : expected) {
            t.absorb("section/" + name, pf.section(name).bytes());
        }
        ZkOpeningProof open = section(pf, "opening", ZkOpeningProof::read);
        Verdict ov = TensorCodePcs.verifyZk(List.of(wc, mc.commitment()), java.util.Arrays.asList(null, companion), bm, claims, open, t);
        if (!ov.isAccepted()) {
            return Verdict.reject("opening: " + ov.reason());
        }
        return Verdict.accept();
    }

    /**
     * The proof's sections are exactly {@code names}, in that order, each with the layer index the
     * prover gives it (a layer task's index, -1 for the rest): the index is not absorbed, so an
     * unchecked one would let a proof's bytes change and still verify.
     */
    private static Verdict sectionsAre(ProofFile pf, List<String> names) {
        List<String> present = new ArrayList<>();
        for (ProofFile.Section s : pf.sections()) {
            present.add(s.name());
        }
        if (!present.equals(names)) {
            return Verdict.reject("proof sections are not the expected ones in the expected order");
        }
        for (ProofFile.Section s : pf.sections()) {
            int layer = s.name().startsWith("task/") ? InferenceProver.layerOf(s.name().substring(5)) : -1;
            if (s.layer() != layer) {
                return Verdict.reject("section " + s.name() + " carries layer " + s.layer() + ", not " + layer);
            }
        }
        return Verdict.accept();
    }

    /** The soundness every commitment's parameters must reach (PcsParams.soundnessBits). */
    static final double MIN_COMMITMENT_BITS = 100;

    /**
     * The parameters of a commitment are the prover's choice (the witness, batch mask and companion
     * are in the proof; the model's in the published commitment): too few queries would make its
     * opening forgeable, so each must reach {@link #MIN_COMMITMENT_BITS}.
     */
    private static Verdict strongEnough(List<String> names, List<Commitment> commitments) {
        for (int i = 0; i < names.size(); i++) {
            double bits = commitments.get(i).params().soundnessBits();
            if (!(bits >= MIN_COMMITMENT_BITS)) {
                return Verdict.reject(String.format(java.util.Locale.ROOT,
                        "the %s commitment's parameters give %.1f bits of soundness, fewer than %.0f", names.get(i), bits,
                        MIN_COMMITMENT_BITS));
            }
        }
        return Verdict.accept();
    }

    private interface Reader<T> {
        T read(ByteSource in) throws MalformedInputException;
    }

    /** Parses a whole section; a missing section or trailing bytes are malformations. */
    private static <T> T section(ProofFile pf, String name, Reader<T> reader) throws MalformedInputException {
        ProofFile.Section s = pf.section(name);
        if (s == null) {
            throw new MalformedInputException("no section " + name);
        }
        ByteSource in = new ByteSource(s.bytes());
        T value = reader.read(in);
        in.expectEnd(name);
        return value;
    }

    /**
     * The witness commitment of a proof: its root and parameters from the proof, its regions laid
     * out here (proof format 5.0 leaves them out) as the prover's commitment lays out the circuit's
     * witness tensors, lookup multiplicities and {@code extra} tensors (masks; sizes in entries):
     * largest first, then by name ({@link TensorCodePcs#layoutOfSizes}). Null if the parameters do
     * not hold that many entries.
     */
    private static Commitment witnessCommitment(InferenceCircuit circuit, Commitment.Header h, Map<String, Integer> extra) {
        return h.withRegions(TensorCodePcs.layoutOfSizes(witnessSizes(circuit, extra)));
    }

    /** The committed witness tensors' numVars by name. */
    private static Map<String, Integer> witnessSizes(InferenceCircuit circuit, Map<String, Integer> extra) {
        Map<String, Integer> want = new HashMap<>();
        for (Map.Entry<String, Integer> e : extra.entrySet()) {
            want.put(e.getKey(), Integer.numberOfTrailingZeros(e.getValue()));
        }
        for (Map.Entry<String, TensorSpec> e : circuit.specs().entrySet()) {
            if (circuit.source(e.getKey()) == InferenceCircuit.Source.WITNESS) {
                want.put(e.getKey(), e.getValue().numVars());
            }
        }
        for (Table table : circuit.tables().values()) {
            want.put(LogUp.multiplicityTensor(table), table.numVars());
        }
        return want;
    }

    private static Verdict tooSmall(Commitment.Header h) {
        return Verdict.reject("the witness commitment's parameters hold " + h.params().entries()
                + " entries, fewer than the circuit's witness tensors need");
    }
}
