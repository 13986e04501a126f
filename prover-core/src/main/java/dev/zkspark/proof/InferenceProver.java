package dev.zkspark.proof;

import dev.zkspark.circuit.InferenceCircuit;
import dev.zkspark.circuit.RelationProver;
import dev.zkspark.core.ByteSink;
import dev.zkspark.core.Parallel;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.field.Fp3;
import dev.zkspark.lookup.LogUp;
import dev.zkspark.lookup.Table;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.model.Witness;
import dev.zkspark.pcs.Commitment;
import dev.zkspark.pcs.OpeningProof;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.lookup.LookupColumn;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
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
 *
 * <p>The steps are public so that they can run in different places (spark-jobs runs each task on an
 * executor): {@link #witness} and {@link #commitWitness} are deterministic functions of the model,
 * the statement and the prover seed, so any JVM recomputes the same witness and commitment;
 * {@link #proveTask} and {@link #proveLookup} need only the witness and the base transcript
 * ({@link #baseTranscript}: statement and both commitment digests); {@link #finish} absorbs the
 * parts in canonical order and makes the two openings. {@link #prove} runs them all here, and any
 * other schedule of the same steps writes the same bytes.
 */
public final class InferenceProver {
    public static final String PROTOCOL = "zkspark-inference-v1";
    /** The zero-knowledge protocol has its own id, so its transcripts never coincide with the plain one's. */
    public static final String PROTOCOL_ZK = "zkspark-inference-zk-v1";
    /** The blinding region of a zero-knowledge witness commitment (and of every model commitment). */
    public static final String BLIND = "zk/blind";
    static final int BLIND_SIZE = 16;

    private InferenceProver() {}

    /** The proof file and how long each part took (milliseconds, for benchmarks). */
    public record Proved(ProofFile proof, Statement statement, Map<String, Double> timings, long witnessElements) {}

    /** The witness of one statement: the circuit and every committed value (witness and model tensors). */
    public static final class Witnessed {
        private final Statement statement;
        private final InferenceCircuit circuit;
        private final InferenceWitness iw;
        private final Map<String, long[]> all;
        private final long elements;
        private final Map<String, long[]> masks; // zero knowledge: masks tensors and the blinding region; else empty
        private final byte[] proverSeed;

        private Witnessed(Statement statement, InferenceCircuit circuit, InferenceWitness iw, Map<String, long[]> all, long elements,
                Map<String, long[]> masks, byte[] proverSeed) {
            this.statement = statement;
            this.circuit = circuit;
            this.iw = iw;
            this.all = all;
            this.elements = elements;
            this.masks = masks;
            this.proverSeed = proverSeed.clone();
        }

        /** A committed tensor's values (witness, model or masks), for tests; null if there is none. */
        long[] values(String tensor) {
            return all.get(tensor);
        }

        /** Whether this witness is proved in zero knowledge (then it carries committed masks). */
        public boolean zeroKnowledge() {
            return !masks.isEmpty();
        }

        public Statement statement() {
            return statement;
        }

        /** The task names (embedding, layers, head) in canonical order. */
        public List<String> tasks() {
            return new ArrayList<>(circuit.tasks().keySet());
        }

        /** The lookup table names in canonical order. */
        public List<String> tables() {
            return new ArrayList<>(circuit.tables().keySet());
        }

        /**
         * A rough cost of proving a task or a lookup table, in nanoseconds of one core on the
         * 2-core machine the README's figures come from, only to order the parts largest first:
         * a task's relations about 4 ns per entry of their axes and term (the stories15M shape at
         * sequence 128: 4.3 s estimated and measured per layer, 13 s estimated and 10 s measured
         * for the head; its embedding, a public one-hot selection summed over the vocabulary, is
         * estimated at 17 s and takes 0.6 s, which only moves it to the front), a table's lookups
         * about 0.5 microseconds per witness or table entry (the 13-bit limb table, 37.0M
         * lookups: 18 s).
         */
        double workEstimate(String part) {
            if (circuit.tasks().containsKey(part)) {
                double work = 0;
                for (dev.zkspark.circuit.Relation r : circuit.tasks().get(part)) {
                    int bits = 0;
                    for (List<dev.zkspark.circuit.TensorSpec.Axis> axes : List.of(r.eqAxes(), r.foldAxes(), r.sumAxes())) {
                        for (dev.zkspark.circuit.TensorSpec.Axis a : axes) {
                            bits += a.bits();
                        }
                    }
                    work += Math.scalb(4.0 * (r.rhs().size() + r.lhs().size()), bits);
                }
                return work;
            }
            long entries = circuit.tables().get(part).size();
            for (InferenceCircuit.Column c : circuit.columns().get(part)) {
                entries += iw.values.get(c.x()).length;
            }
            return 500.0 * entries;
        }

        public long witnessElements() {
            return elements;
        }
    }

    /**
     * One proved task or lookup table: its proof section and the claims it leaves on the witness and
     * the model commitments (serializable, so a part can be computed in another JVM).
     */
    public record Part(String section, int layer, byte[] bytes, List<Claim> witnessClaims, List<Claim> modelClaims,
            List<LinearClaim> linearClaims, double ms) implements java.io.Serializable {}

    /**
     * Proves in zero knowledge (the default).
     *
     * @param model the model padded for proving (the one the commitment was made from)
     * @param proverSeed secret randomness for the commitments' hiding and the zero-knowledge masks
     *     (DRBG-expanded); at least 16 bytes
     */
    public static Proved prove(ModelCommitment.Made committed, QuantizedModel model, int[] prompt, int[] generated,
            byte[] proverSeed) {
        return prove(committed, model, prompt, generated, proverSeed, true, w -> { }, Steps.NONE);
    }

    /** Progress of {@link #prove}: the number of steps once known, then each step as it ends (from any thread). */
    public interface Steps {
        Steps NONE = new Steps() {
            @Override
            public void total(int steps) {}

            @Override
            public void done(String step) {}
        };

        void total(int steps);

        void done(String step);
    }

    /**
     * As above, reporting the steps: the witness, its commitment, every task and lookup table, and
     * the two openings.
     */
    public static Proved prove(ModelCommitment.Made committed, QuantizedModel model, int[] prompt, int[] generated,
            byte[] proverSeed, Steps steps) {
        return prove(committed, model, prompt, generated, proverSeed, true, w -> { }, steps);
    }

    /**
     * As above, choosing zero knowledge: {@code zk = false} (for benchmarks only) proves the same
     * statement soundly but reveals evaluations of the witness and the weights; the proof says so.
     */
    public static Proved prove(ModelCommitment.Made committed, QuantizedModel model, int[] prompt, int[] generated,
            byte[] proverSeed, boolean zk, Steps steps) {
        return prove(committed, model, prompt, generated, proverSeed, zk, w -> { }, steps);
    }

    /** As above; {@code tamper} edits the committed values first (tests of a cheating prover only). */
    static Proved prove(ModelCommitment.Made committed, QuantizedModel model, int[] prompt, int[] generated,
            byte[] proverSeed, boolean zk, java.util.function.Consumer<Map<String, long[]>> tamper) {
        return prove(committed, model, prompt, generated, proverSeed, zk, tamper, Steps.NONE);
    }

    private static Proved prove(ModelCommitment.Made committed, QuantizedModel model, int[] prompt, int[] generated,
            byte[] proverSeed, boolean zk, java.util.function.Consumer<Map<String, long[]>> tamper, Steps onStep) {
        ModelCommitment mc = committed.commitment();
        Map<String, Double> timings = new LinkedHashMap<>();
        Witnessed w = witness(mc, model, prompt, generated, proverSeed, zk, tamper, timings);
        onStep.total((zk ? 3 : 4) + w.tasks().size() + w.tables().size());
        onStep.done("witness");
        long t0 = System.nanoTime();
        WitnessCommitment wc = commitWitness(w, mc);
        timings.put("witness commitment", ms(t0));
        onStep.done("witness commitment");
        Transcript base = baseTranscript(w.statement(), mc, wc.digest(), w.zeroKnowledge());

        // tasks and lookup tables are independent (each has its own fork): prove them concurrently,
        // then assemble in canonical order, so the bytes never depend on scheduling
        t0 = System.nanoTime();
        List<String> tasks = w.tasks();
        List<String> tables = w.tables();
        Part[] parts = new Part[tasks.size() + tables.size()];
        // largest first from one queue (each thread takes the next part), so no large part starts
        // last while the other threads have run out of work
        Integer[] order = new Integer[parts.length];
        double[] work = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            order[i] = i;
            work[i] = w.workEstimate(i < tasks.size() ? tasks.get(i) : tables.get(i - tasks.size()));
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(work[b], work[a]));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.stream.IntStream.range(0, Math.min(parts.length, Parallel.threads())).parallel().forEach(runner -> {
            for (int k = next.getAndIncrement(); k < parts.length; k = next.getAndIncrement()) {
                int i = order[k];
                parts[i] = i < tasks.size() ? proveTask(w, base, tasks.get(i)) : proveLookup(w, base, tables.get(i - tasks.size()));
                onStep.done(parts[i].section());
            }
        });
        for (Part part : parts) {
            String key = part.section().startsWith("task/") ? "relations: " + kindOf(part.section().substring(5)) : "lookups: logUp-GKR";
            timings.merge(key + " (cpu)", part.ms(), Double::sum);
        }
        timings.put("tasks and lookups (wall)", ms(t0));
        ProofFile proof = finish(w.statement(), wc, committed.state(), base, List.of(parts), timings, onStep);
        return new Proved(proof, w.statement(), timings, w.witnessElements());
    }

    /**
     * Runs the fixed-point forward pass over the padded sequence, checks that the model generates
     * the claimed tokens (greedy, ties to the lowest id) and derives every committed value: with
     * {@code zk}, also the zero-knowledge masks (from the prover seed and the statement).
     */
    public static Witnessed witness(ModelCommitment mc, QuantizedModel model, int[] prompt, int[] generated, byte[] proverSeed,
            boolean zk) {
        return witness(mc, model, prompt, generated, proverSeed, zk, v -> { }, new LinkedHashMap<>());
    }

    private static Witnessed witness(ModelCommitment mc, QuantizedModel model, int[] prompt, int[] generated, byte[] proverSeed,
            boolean zk, java.util.function.Consumer<Map<String, long[]>> tamper, Map<String, Double> timings) {
        Statement st = new Statement(mc.digest(), mc.params().digest(), prompt, generated);
        if (prompt.length == 0 || generated.length == 0) {
            throw ZksparkException.badInput("a statement needs at least one prompt token and one generated token");
        }
        int[] seq = st.forwardTokens();
        int n = paddedLength(seq.length);
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
                generated, mc.logical());
        tamper.accept(iw.values);
        timings.put("auxiliary tensors and multiplicities", ms(t0));
        long elements = 0;
        for (long[] v : iw.values.values()) {
            elements += v.length;
        }
        Map<String, long[]> all = new java.util.HashMap<>(iw.values);
        all.putAll(fieldTensors(model));
        Map<String, long[]> masks = new java.util.LinkedHashMap<>();
        if (zk) {
            byte[] seed = maskSeed(proverSeed, st);
            for (Map.Entry<String, Integer> e : maskSizes(circuit).entrySet()) {
                masks.put(e.getKey(), dev.zkspark.sumcheck.ZkMasks.generate(seed, e.getKey(), e.getValue()));
            }
            all.putAll(masks);
        }
        return new Witnessed(st, circuit, iw, all, elements, masks, proverSeed);
    }

    /**
     * The zero-knowledge tensors of a circuit's witness commitment and their sizes: one masks tensor
     * per task and per lookup table (as many slots as its protocol takes, see ZkMasks), and the
     * blinding region. Prover and verifier derive them alike.
     */
    static Map<String, Integer> maskSizes(InferenceCircuit circuit) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<dev.zkspark.circuit.Relation>> e : circuit.tasks().entrySet()) {
            dev.zkspark.sumcheck.ZkMasks m = dev.zkspark.sumcheck.ZkMasks.slotsOnly(taskMasks(e.getKey()));
            RelationProver.reserveZk(e.getValue(), m);
            out.put(m.tensor(), dev.zkspark.sumcheck.ZkMasks.tensorSize(m.used()));
        }
        for (String table : circuit.tables().keySet()) {
            dev.zkspark.sumcheck.ZkMasks m = dev.zkspark.sumcheck.ZkMasks.slotsOnly(lookupMasks(table));
            LogUp.reserveZk(circuit.tables().get(table), lookupShapes(circuit, table), m);
            out.put(m.tensor(), dev.zkspark.sumcheck.ZkMasks.tensorSize(m.used()));
        }
        out.put(BLIND, BLIND_SIZE);
        return out;
    }

    static String taskMasks(String task) {
        return "zk/task/" + task;
    }

    static String lookupMasks(String table) {
        return "zk/lookup/" + table;
    }

    /** The shapes of the columns looked up in one table (what the verifier knows of them). */
    static List<LookupColumn.Shape> lookupShapes(InferenceCircuit circuit, String table) {
        List<LookupColumn.Shape> shapes = new ArrayList<>();
        for (InferenceCircuit.Column c : circuit.columns().get(table)) {
            shapes.add(new LookupColumn.Shape(c.x(), c.y(), circuit.specs().get(c.x()).numVars()));
        }
        return shapes;
    }

    /**
     * The proved sequence length for a forward pass over {@code length} tokens: the next power of
     * two, and at least 2 so that the sequence axis has a variable (a one-token statement, one prompt
     * token and one generated token, is proved over two positions; the causal mask keeps the
     * zero-token padding from touching the real position).
     */
    static int paddedLength(int length) {
        int n = Integer.highestOneBit(Math.max(1, length));
        n = n < length ? n << 1 : n;
        return Math.max(2, n);
    }

    /** Field-embedded weights per model, shared by every witness of that model (one copy, not one per proof). */
    private static final Map<QuantizedModel, Map<String, long[]>> FIELD_TENSORS = new java.util.WeakHashMap<>();

    private static Map<String, long[]> fieldTensors(QuantizedModel model) {
        synchronized (FIELD_TENSORS) {
            return FIELD_TENSORS.computeIfAbsent(model, m -> {
                Map<String, long[]> f = new java.util.HashMap<>();
                for (QuantizedModel.QTensor q : m.tensors()) {
                    f.put(q.name(), InferenceWitness.field(q.values()));
                }
                return java.util.Collections.unmodifiableMap(f);
            });
        }
    }

    /**
     * The hiding commitment to the witness (with, for zero knowledge, its masks and blinding region)
     * and, for zero knowledge, the batching mask; their randomness is derived from the prover seed
     * and the statement.
     */
    public static WitnessCommitment commitWitness(Witnessed w, ModelCommitment mc) {
        TensorCodePcs.Committed wc = TensorCodePcs.commit(witnessTensors(w), witnessSeed(w.proverSeed, w.statement()));
        if (!w.zeroKnowledge()) {
            return new WitnessCommitment(wc, null, null);
        }
        return withMasks(wc, w.proverSeed, w.statement(), mc);
    }

    /** What the witness commitment commits: the witness's tensors, then (zero knowledge) its masks. */
    public static List<TensorCodePcs.Tensor> witnessTensors(Witnessed w) {
        List<TensorCodePcs.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, long[]> e : w.iw.values.entrySet()) {
            tensors.add(new TensorCodePcs.Tensor(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, long[]> e : w.masks.entrySet()) {
            tensors.add(new TensorCodePcs.Tensor(e.getKey(), e.getValue()));
        }
        return tensors;
    }

    /** The witness commitment's seed for this witness (its prover seed and statement). */
    public static byte[] witnessSeed(Witnessed w) {
        return witnessSeed(w.proverSeed, w.statement());
    }

    /** The witness commitment's seed (salts, padding, mask rows) for a prover seed and statement. */
    public static byte[] witnessSeed(byte[] proverSeed, Statement st) {
        return Hash.SHA256.digest("zkspark/witness".getBytes(StandardCharsets.UTF_8), proverSeed, st.toBytes());
    }

    /**
     * The zero-knowledge witness commitment of {@link #commitWitness} for a witness whose rows are
     * held in bands elsewhere (spark-jobs): {@code witness} is the commitment made then, the
     * leaves are its columns' (checked against its root), and the batching mask and the model's
     * companion are derived again from the prover seed and the statement (small commitments).
     *
     * @throws IllegalArgumentException if the leaves do not give the witness commitment's root
     */
    public static WitnessCommitment remoteWitness(Statement st, byte[] proverSeed, ModelCommitment mc, Commitment witness, byte[][] leaves,
            dev.zkspark.pcs.RowBands bands) {
        return withMasks(TensorCodePcs.remote(witness, leaves, witnessSeed(proverSeed, st), bands), proverSeed, st, mc);
    }

    /**
     * The zero-knowledge witness commitment made from its bands' leaves (a distributed commit):
     * the same commitment and digest as {@link #commitWitness} when the bands hold that witness's rows.
     */
    public static WitnessCommitment remoteWitness(Statement st, byte[] proverSeed, ModelCommitment mc, TensorCodePcs.Layout layout,
            byte[][] leaves, dev.zkspark.pcs.RowBands bands) {
        return withMasks(TensorCodePcs.remote(layout, leaves, witnessSeed(proverSeed, st), bands), proverSeed, st, mc);
    }

    private static WitnessCommitment withMasks(TensorCodePcs.Committed wc, byte[] proverSeed, Statement st, ModelCommitment mc) {
        // the model commitment is reused by every proof: its opening takes fresh mask rows and a
        // fresh blinding row from this proof's companion, and the batching sumcheck gets the
        // companion's b variable (one more mask variable)
        int vars = Math.max(wc.commitment().params().numVars(), mc.commitment().params().numVars()) + 1;
        byte[] maskSeed = Hash.SHA256.digest("zkspark/batch-mask".getBytes(StandardCharsets.UTF_8), proverSeed, st.toBytes());
        byte[] companionSeed = Hash.SHA256.digest("zkspark/model-companion".getBytes(StandardCharsets.UTF_8), proverSeed, st.toBytes());
        return new WitnessCommitment(wc, TensorCodePcs.commitBatchMask(vars, maskSeed),
                TensorCodePcs.commitCompanion(mc.commitment().params(), companionSeed));
    }

    /**
     * The transcript every task forks from: the protocol (plain or zero knowledge), the statement,
     * then the model and witness commitment digests ({@link WitnessCommitment#digest}).
     */
    public static Transcript baseTranscript(Statement st, ModelCommitment mc, byte[] witnessCommitmentDigest, boolean zk) {
        Transcript t = Transcript.create(Hash.SHA256, zk ? PROTOCOL_ZK : PROTOCOL, st.toBytes());
        t.absorb("model-commitment", mc.digest());
        t.absorb("witness-commitment", witnessCommitmentDigest);
        return t;
    }

    /** Proves one task (embedding, layerN, head) from its fork of {@code base} (which is not advanced). */
    public static Part proveTask(Witnessed w, Transcript base, String task) {
        long t0 = System.nanoTime();
        if (w.zeroKnowledge()) {
            String name = taskMasks(task);
            RelationProver.ProvedZk p = RelationProver.proveZk(w.circuit.tasks().get(task), w.all::get,
                    dev.zkspark.sumcheck.ZkMasks.of(name, w.masks.get(name)), base.fork("task/" + task));
            return new Part("task/" + task, layerOf(task), bytes(p.proof()::write), List.of(), List.of(), p.claims(), ms(t0));
        }
        RelationProver.Proved p = RelationProver.prove(w.circuit.tasks().get(task), w.all::get, base.fork("task/" + task));
        List<Claim> witness = new ArrayList<>();
        List<Claim> model = new ArrayList<>();
        split(w.circuit, p.claims(), witness, model);
        return new Part("task/" + task, layerOf(task), bytes(p.proof()::write), witness, model, List.of(), ms(t0));
    }

    // ------------------------------------------------ a layer task split over workers (issue 7)

    /**
     * What a prover that holds no witness (a Spark driver) needs to run a zero-knowledge task's
     * sumcheck whose tables live on workers: the task's relations are public (the circuit is built
     * from the commitment and the statement), its masks are derived from the request's prover seed
     * and the statement (as {@link #witness} derives them), and the transcript is the task's fork,
     * advanced past the relations' challenges.
     */
    public static final class TaskPlan {
        private final String task;
        private final RelationProver.ZkPlan plan;
        private final dev.zkspark.sumcheck.ZkMasks masks;
        private final Transcript t;

        private TaskPlan(String task, RelationProver.ZkPlan plan, dev.zkspark.sumcheck.ZkMasks masks, Transcript t) {
            this.task = task;
            this.plan = plan;
            this.masks = masks;
            this.t = t;
        }

        public int numVars() {
            return plan.numVars();
        }

        /** Chunks a task can be split into: at most 2^minVars (every instance keeps a variable per chunk bit). */
        public int maxChunks() {
            return 1 << Math.min(plan.minVars(), 20);
        }
    }

    /**
     * Plans every task of a zero-knowledge proof (canonical order) from public data and the
     * request's prover seed: the circuit and the mask sizes are derived once for all of them.
     */
    public static Map<String, TaskPlan> planTasks(ModelCommitment mc, Statement st, byte[] proverSeed, Transcript base) {
        InferenceCircuit circuit = circuit(mc, st);
        Map<String, Integer> sizes = maskSizes(circuit);
        byte[] seed = maskSeed(proverSeed, st);
        Map<String, TaskPlan> plans = new LinkedHashMap<>();
        for (Map.Entry<String, List<dev.zkspark.circuit.Relation>> e : circuit.tasks().entrySet()) {
            String task = e.getKey();
            String name = taskMasks(task);
            long[] maskValues = dev.zkspark.sumcheck.ZkMasks.generate(seed, name, sizes.get(name));
            Transcript t = base.fork("task/" + task);
            RelationProver.ZkPlan plan = RelationProver.planZk(e.getValue(), t);
            plans.put(task, new TaskPlan(task, plan, dev.zkspark.sumcheck.ZkMasks.of(name, maskValues), t));
        }
        return plans;
    }

    /** A worker's chunk {@code index} of {@code count} of a zero-knowledge task's tables (see {@link #planTasks}). */
    public static dev.zkspark.sumcheck.SumcheckChunk taskChunk(Witnessed w, Transcript base, String task, int index, int count) {
        if (!w.zeroKnowledge()) {
            throw ZksparkException.unsupported("a task split over workers for a plain (--no-zk) proof");
        }
        return RelationProver.chunkZk(w.circuit.tasks().get(task), w.all::get, base.fork("task/" + task), index, count);
    }

    /**
     * Finishes a planned task with its tables held by {@code oracle} and the instances' true sums:
     * the same {@link Part} as {@link #proveTask} on the whole witness ({@code ms} is its time).
     */
    public static Part proveTask(TaskPlan plan, dev.zkspark.sumcheck.RoundOracle oracle, Fp3[] sums, double ms) {
        RelationProver.ProvedZk p = RelationProver.proveZk(plan.plan, oracle, sums, plan.masks, plan.t);
        return new Part("task/" + plan.task, layerOf(plan.task), bytes(p.proof()::write), List.of(), List.of(), p.claims(), ms);
    }

    // ------------------------------------------ a lookup table's GKR trees split over workers (issue 7)

    /**
     * What a prover that holds no witness (a Spark driver) needs to prove the zero-knowledge
     * lookups into one table with the trees' leaves on workers: the table and the columns' shapes
     * are public, the masks are derived from the request's prover seed and the statement, and the
     * transcript is the table's fork of the base transcript.
     */
    public static final class LookupPlan {
        private final String table;
        private final Table t;
        private final List<LookupColumn.Shape> shapes;
        private final dev.zkspark.sumcheck.ZkMasks masks;
        private final Transcript transcript;

        private LookupPlan(String table, Table t, List<LookupColumn.Shape> shapes, dev.zkspark.sumcheck.ZkMasks masks, Transcript transcript) {
            this.table = table;
            this.t = t;
            this.shapes = shapes;
            this.masks = masks;
            this.transcript = transcript;
        }

        /** The witness tree's leaf variables. */
        public int witnessVars() {
            return LogUp.witnessVars(shapes);
        }

        /** The table tree's leaf variables. */
        public int tableVars() {
            return t.numVars();
        }
    }

    /** Plans every lookup table of a zero-knowledge proof (canonical order) from public data and the prover seed. */
    public static Map<String, LookupPlan> planLookups(ModelCommitment mc, Statement st, byte[] proverSeed, Transcript base) {
        InferenceCircuit circuit = circuit(mc, st);
        Map<String, Integer> sizes = maskSizes(circuit);
        byte[] seed = maskSeed(proverSeed, st);
        Map<String, LookupPlan> plans = new LinkedHashMap<>();
        for (Map.Entry<String, Table> e : circuit.tables().entrySet()) {
            String name = lookupMasks(e.getKey());
            long[] maskValues = dev.zkspark.sumcheck.ZkMasks.generate(seed, name, sizes.get(name));
            plans.put(e.getKey(), new LookupPlan(e.getKey(), e.getValue(), lookupShapes(circuit, e.getKey()),
                    dev.zkspark.sumcheck.ZkMasks.of(name, maskValues), base.fork("lookup/" + e.getKey())));
        }
        return plans;
    }

    /**
     * Proves a planned table's lookups with its trees wherever {@code trees} builds them: the same
     * {@link Part} as {@link #proveLookup(Witnessed, Transcript, String)} ({@code ms} adds the setup time).
     */
    public static Part proveLookup(LookupPlan plan, LogUp.Trees trees, double setupMs) {
        long t0 = System.nanoTime();
        LogUp.ProvedZk p = LogUp.proveZk(plan.t, plan.shapes, trees, plan.masks, plan.transcript);
        return new Part("lookup/" + plan.table, -1, bytes(p.proof()::write), List.of(), List.of(), p.claims(), setupMs + ms(t0));
    }

    /** A worker's block {@code c} of {@code count} of a table's two trees (see {@link LogUp#subtrees}). */
    public static dev.zkspark.lookup.FractionSubtree[] lookupSubtrees(Witnessed w, String tableName, Fp3 alpha, Fp3 beta, int c, int count,
            int gatherVars) {
        if (!w.zeroKnowledge()) {
            throw ZksparkException.unsupported("lookup trees split over workers for a plain (--no-zk) proof");
        }
        Table table = w.circuit.tables().get(tableName);
        return LogUp.subtrees(table, w.iw.columns(w.circuit, tableName), w.iw.values.get(LogUp.multiplicityTensor(table)), alpha, beta, c,
                count, gatherVars);
    }

    /** The seed of a statement's zero-knowledge masks (secret: from the request's prover seed). */
    private static byte[] maskSeed(byte[] proverSeed, Statement st) {
        return Hash.SHA256.digest("zkspark/zk-masks".getBytes(StandardCharsets.UTF_8), proverSeed, st.toBytes());
    }

    /** The circuit of a statement, as {@link #witness} builds it (public data only). */
    private static InferenceCircuit circuit(ModelCommitment mc, Statement st) {
        int[] seq = st.forwardTokens();
        int[] padded = java.util.Arrays.copyOf(seq, paddedLength(seq.length));
        return new InferenceCircuit(mc.config(), mc.logical(), mc.params(), mc.fracBits(), padded, st.prompt().length, st.generated());
    }

    /** Proves every lookup into one table from its fork of {@code base} (which is not advanced). */
    public static Part proveLookup(Witnessed w, Transcript base, String tableName) {
        long t0 = System.nanoTime();
        Table table = w.circuit.tables().get(tableName);
        if (w.zeroKnowledge()) {
            String name = lookupMasks(tableName);
            LogUp.ProvedZk p = LogUp.proveZk(table, w.iw.columns(w.circuit, tableName), w.iw.values.get(LogUp.multiplicityTensor(table)),
                    dev.zkspark.sumcheck.ZkMasks.of(name, w.masks.get(name)), base.fork("lookup/" + tableName));
            return new Part("lookup/" + tableName, -1, bytes(p.proof()::write), List.of(), List.of(), p.claims(), ms(t0));
        }
        LogUp.Proved p = LogUp.prove(table, w.iw.columns(w.circuit, tableName), w.iw.values.get(LogUp.multiplicityTensor(table)),
                base.fork("lookup/" + tableName));
        return new Part("lookup/" + tableName, -1, bytes(p.proof()::write), p.claims(), List.of(), List.of(), ms(t0));
    }

    /**
     * Absorbs the witness commitment and every part (tasks first, then lookup tables, each in
     * canonical order) into {@code base}, then opens the witness and the model commitments once each.
     */
    public static ProofFile finish(Statement st, WitnessCommitment wc, TensorCodePcs.Committed modelState, Transcript base,
            List<Part> parts, Map<String, Double> timings) {
        return finish(st, wc, modelState, base, parts, timings, Steps.NONE);
    }

    private static ProofFile finish(Statement st, WitnessCommitment wc, TensorCodePcs.Committed modelState, Transcript base,
            List<Part> parts, Map<String, Double> timings, Steps onStep) {
        if (wc.zeroKnowledge()) {
            return finishZk(st, wc, modelState, base, parts, timings, onStep);
        }
        List<ProofFile.Section> sections = new ArrayList<>();
        sections.add(new ProofFile.Section("witness-commitment", -1, wc.commitment().headerBytes()));
        List<Claim> witnessClaims = new ArrayList<>();
        List<Claim> modelClaims = new ArrayList<>();
        for (Part part : parts) {
            sections.add(new ProofFile.Section(part.section(), part.layer(), part.bytes()));
            witnessClaims.addAll(part.witnessClaims());
            modelClaims.addAll(part.modelClaims());
        }
        for (ProofFile.Section s : sections) {
            base.absorb("section/" + s.name(), s.bytes());
        }
        long t0 = System.nanoTime();
        OpeningProof wOpen = TensorCodePcs.open(wc.witness(), witnessClaims, base);
        sections.add(new ProofFile.Section("opening/witness", -1, bytes(wOpen::write)));
        timings.put("opening: witness", ms(t0));
        onStep.done("opening/witness");
        t0 = System.nanoTime();
        OpeningProof mOpen = TensorCodePcs.open(modelState, modelClaims, base);
        sections.add(new ProofFile.Section("opening/model", -1, bytes(mOpen::write)));
        timings.put("opening: model", ms(t0));
        onStep.done("opening/model");
        return new ProofFile(Hash.SHA256, 0, st.toBytes(), sections);
    }

    /**
     * The zero-knowledge proof's last step: absorbs the commitments and every part, then opens all
     * linear claims (on the witness, its masks and the model) with one joint hiding opening.
     */
    private static ProofFile finishZk(Statement st, WitnessCommitment wc, TensorCodePcs.Committed modelState, Transcript base,
            List<Part> parts, Map<String, Double> timings, Steps onStep) {
        List<ProofFile.Section> sections = new ArrayList<>();
        sections.add(new ProofFile.Section("witness-commitment", -1, wc.commitment().headerBytes()));
        sections.add(new ProofFile.Section("batch-mask-commitment", -1, wc.batchMask().commitment().toBytes()));
        sections.add(new ProofFile.Section("model-companion-commitment", -1, wc.modelCompanion().commitment().toBytes()));
        List<LinearClaim> claims = new ArrayList<>();
        for (Part part : parts) {
            sections.add(new ProofFile.Section(part.section(), part.layer(), part.bytes()));
            claims.addAll(part.linearClaims());
        }
        for (ProofFile.Section s : sections) {
            base.absorb("section/" + s.name(), s.bytes());
        }
        long t0 = System.nanoTime();
        dev.zkspark.pcs.ZkOpeningProof open = TensorCodePcs.openZk(List.of(wc.witness(), modelState),
                java.util.Arrays.asList(null, wc.modelCompanion()), wc.batchMask(), claims, base);
        sections.add(new ProofFile.Section("opening", -1, bytes(open::write)));
        timings.put("opening: witness and model (zero knowledge)", ms(t0));
        onStep.done("opening");
        return new ProofFile(Hash.SHA256, ProofFile.FLAG_ZK, st.toBytes(), sections);
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
