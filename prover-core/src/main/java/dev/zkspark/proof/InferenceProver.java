package dev.zkspark.proof;

import dev.zkspark.circuit.InferenceCircuit;
import dev.zkspark.circuit.RelationProver;
import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.lookup.LogUp;
import dev.zkspark.lookup.Table;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.model.Witness;
import dev.zkspark.pcs.OpeningProof;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.poly.Claim;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves a statement about a committed model (DESIGN §5): runs the fixed-point forward pass over
 * the padded sequence, commits the witness, proves every task (embedding, each layer, the head with
 * the argmax) from its own forked transcript, proves every lookup table once, then batches all
 * claims into one opening of the witness commitment and one of the model commitment.
 */
public final class InferenceProver {
    public static final String PROTOCOL = "zkspark-inference-v1";

    private InferenceProver() {}

    /** The proof file and how long each part took (milliseconds, for benchmarks). */
    public record Proved(ProofFile proof, Statement statement, Map<String, Double> timings, long witnessElements) {}

    /**
     * @param model the model padded for proving (the one the commitment was made from)
     * @param proverSeed secret randomness for the witness commitment's hiding (DRBG-expanded)
     */
    public static Proved prove(ModelCommitment.Made committed, QuantizedModel model, int[] prompt, int[] generated,
            byte[] proverSeed) {
        return prove(committed, model, prompt, generated, proverSeed, w -> { });
    }

    /** As above; {@code tamper} edits the committed values first (tests of a cheating prover only). */
    static Proved prove(ModelCommitment.Made committed, QuantizedModel model, int[] prompt, int[] generated,
            byte[] proverSeed, java.util.function.Consumer<Map<String, long[]>> tamper) {
        ModelCommitment mc = committed.commitment();
        Map<String, Double> timings = new LinkedHashMap<>();
        Statement st = new Statement(mc.digest(), mc.params().digest(), prompt, generated);
        if (prompt.length == 0 || generated.length == 0) {
            throw ZksparkException.badInput("a statement needs at least one prompt token and one generated token");
        }
        int[] seq = st.forwardTokens();
        int n = Integer.highestOneBit(seq.length);
        n = n < seq.length ? n << 1 : n;
        if (n > model.config().maxSeq()) {
            throw ZksparkException.badInput("prompt plus generated tokens (" + (seq.length + 1) + ") exceed the model's "
                    + model.config().maxSeq() + " positions");
        }
        int[] padded = java.util.Arrays.copyOf(seq, n);
        long t0 = System.nanoTime();
        FixedPointForward fx = new FixedPointForward(model);
        Witness w = fx.witness(padded);
        long[][] logits = w.logits();
        for (int i = 0; i < generated.length; i++) {
            int pos = prompt.length - 1 + i;
            int best = FixedPointForward.argmax(java.util.Arrays.copyOf(logits[pos], mc.logical().vocab()));
            if (best != generated[i]) {
                throw ZksparkException.badInput("the committed model does not generate these tokens: at output position " + i
                        + " it picks token " + best + ", not " + generated[i]);
            }
        }
        timings.put("witness (fixed-point inference)", ms(t0));
        t0 = System.nanoTime();
        InferenceCircuit circuit = new InferenceCircuit(mc.config(), mc.logical(), mc.params(), mc.fracBits(), padded, prompt.length,
                generated);
        InferenceWitness iw = InferenceWitness.derive(circuit, w, mc.params(), InferenceWitness.normEps(mc.config(), mc.params()),
                generated, prompt.length, mc.logical());
        tamper.accept(iw.values);
        timings.put("auxiliary tensors and multiplicities", ms(t0));
        t0 = System.nanoTime();
        List<TensorCodePcs.Tensor> tensors = new ArrayList<>();
        long elements = 0;
        for (Map.Entry<String, long[]> e : iw.values.entrySet()) {
            tensors.add(new TensorCodePcs.Tensor(e.getKey(), e.getValue()));
            elements += e.getValue().length;
        }
        byte[] seed = Hash.SHA256.digest("zkspark/witness".getBytes(StandardCharsets.UTF_8), proverSeed, st.toBytes());
        TensorCodePcs.Committed wc = TensorCodePcs.commit(tensors, seed);
        timings.put("witness commitment", ms(t0));

        Transcript t = Transcript.create(Hash.SHA256, PROTOCOL, st.toBytes());
        t.absorb("model-commitment", mc.digest());
        t.absorb("witness-commitment", wc.commitment().digest());
        List<ProofFile.Section> sections = new ArrayList<>();
        sections.add(new ProofFile.Section("witness-commitment", -1, wc.commitment().toBytes()));
        List<Claim> witnessClaims = new ArrayList<>();
        List<Claim> modelClaims = new ArrayList<>();
        Map<String, long[]> all = new java.util.HashMap<>(iw.values);
        t0 = System.nanoTime();
        for (QuantizedModel.QTensor q : model.tensors()) {
            all.put(q.name(), InferenceWitness.field(q.values()));
        }
        // tasks and lookup tables are independent (each has its own fork): prove them concurrently,
        // then assemble in canonical order, so the bytes never depend on scheduling
        List<String> taskNames = new ArrayList<>(circuit.tasks().keySet());
        RelationProver.Proved[] taskProofs = new RelationProver.Proved[taskNames.size()];
        double[] taskMs = new double[taskNames.size()];
        java.util.stream.IntStream.range(0, taskNames.size()).parallel().forEach(i -> {
            long s0 = System.nanoTime();
            taskProofs[i] = RelationProver.prove(circuit.tasks().get(taskNames.get(i)), all::get, t.fork("task/" + taskNames.get(i)));
            taskMs[i] = ms(s0);
        });
        for (int i = 0; i < taskNames.size(); i++) {
            String name = taskNames.get(i);
            sections.add(new ProofFile.Section("task/" + name, layerOf(name), bytes(taskProofs[i].proof()::write)));
            split(circuit, taskProofs[i].claims(), witnessClaims, modelClaims);
            timings.merge("relations: " + kindOf(name) + " (cpu)", taskMs[i], Double::sum);
        }
        List<Table> tables = new ArrayList<>(circuit.tables().values());
        LogUp.Proved[] lookupProofs = new LogUp.Proved[tables.size()];
        double[] lookupMs = new double[tables.size()];
        java.util.stream.IntStream.range(0, tables.size()).parallel().forEach(i -> {
            long s0 = System.nanoTime();
            Table table = tables.get(i);
            lookupProofs[i] = LogUp.prove(table, iw.columns(circuit, table.name()), iw.values.get(LogUp.multiplicityTensor(table)),
                    t.fork("lookup/" + table.name()));
            lookupMs[i] = ms(s0);
        });
        for (int i = 0; i < tables.size(); i++) {
            sections.add(new ProofFile.Section("lookup/" + tables.get(i).name(), -1, bytes(lookupProofs[i].proof()::write)));
            witnessClaims.addAll(lookupProofs[i].claims());
            timings.merge("lookups: logUp-GKR (cpu)", lookupMs[i], Double::sum);
        }
        timings.put("tasks and lookups (wall)", ms(t0));
        for (ProofFile.Section s : sections) {
            t.absorb("section/" + s.name(), s.bytes());
        }
        t0 = System.nanoTime();
        OpeningProof wOpen = TensorCodePcs.open(wc, witnessClaims, t);
        sections.add(new ProofFile.Section("opening/witness", -1, bytes(wOpen::write)));
        timings.put("opening: witness", ms(t0));
        t0 = System.nanoTime();
        OpeningProof mOpen = TensorCodePcs.open(committed.state(), modelClaims, t);
        sections.add(new ProofFile.Section("opening/model", -1, bytes(mOpen::write)));
        timings.put("opening: model", ms(t0));
        return new Proved(new ProofFile(Hash.SHA256, 0, st.toBytes(), sections), st, timings, elements);
    }

    static void split(InferenceCircuit circuit, List<Claim> claims, List<Claim> witness, List<Claim> model) {
        for (Claim c : claims) {
            (circuit.source(c.tensor()) == InferenceCircuit.Source.MODEL ? model : witness).add(c);
        }
    }

    static int layerOf(String task) {
        return task.startsWith("layer") ? Integer.parseInt(task.substring(5)) : -1;
    }

    static String kindOf(String task) {
        return task.startsWith("layer") ? "layers" : task;
    }

    static byte[] bytes(java.util.function.Consumer<ByteSink> writer) {
        ByteSink s = new ByteSink();
        writer.accept(s);
        return s.toByteArray();
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
