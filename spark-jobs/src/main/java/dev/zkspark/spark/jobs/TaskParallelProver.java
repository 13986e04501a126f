package dev.zkspark.spark.jobs;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.field.Fp3;
import dev.zkspark.lookup.FractionSubtree;
import dev.zkspark.lookup.FractionTree;
import dev.zkspark.lookup.SplitFractionTree;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.proof.InferenceProver;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.ProofFile;
import dev.zkspark.proof.Statement;
import dev.zkspark.proof.WitnessCommitment;
import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.RequestSpec;
import dev.zkspark.spark.sumcheck.SparkFractionBlocks;
import dev.zkspark.spark.sumcheck.SparkRoundBatch;
import dev.zkspark.spark.sumcheck.SparkRowBands;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.transcript.Transcript;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Proves each request as <em>many</em> Spark tasks whose parts the driver aggregates into one proof
 * (DESIGN §5-§6): every layer task (embedding, each layer, head) and every lookup table of every
 * request is its own unit of work, spread over the cluster's partitions, and the proof's bytes are
 * exactly those of {@link InferenceProver#prove} in one JVM.
 *
 * <p>Three Spark jobs: (A) per request, generate greedily and commit the witness (returns the
 * tokens and the commitment's bytes); (B) all (request, task) pairs in one job: each rebuilds the
 * request's witness (deterministic) and proves its task from its fork of the base transcript,
 * returning the section and its claims; (C) per request, absorb the parts in canonical order and
 * open the witness and model commitments. The driver holds only commitment bytes, statements,
 * sections and claims: never a weight or an activation. Executors recompute a request's witness and
 * its commitment when they need them (cached per JVM), which is safe because both are deterministic
 * functions of the model, the statement and the request's seed, so a retried task also reproduces
 * its bytes.
 */
public final class TaskParallelProver implements Serializable {
    private static final long serialVersionUID = 1L;

    private final InferenceRequestProver prover;
    private final byte[] modelCommitment;
    /** Chunks each layer task's sumcheck is split into (1: every task is one Spark task). */
    private final int sumcheckChunks;
    /** Requests whose split sumchecks run in one lockstep batch (share their rounds' Spark jobs). */
    private final int batchRequests;
    /** What the last {@link #prove} did with split sumchecks (driver-side statistics). */
    private transient Split split = Split.NONE;

    public TaskParallelProver(InferenceRequestProver prover, byte[] modelCommitment) {
        this(prover, modelCommitment, 1);
    }

    /**
     * @param sumcheckChunks a power of two: with more than 1, every zero-knowledge layer task
     *     (embedding, each layer, head) is proved with its sumcheck split into that many chunks (at
     *     most as many as its smallest instance allows), one per Spark partition: the partitions
     *     fold their chunks and the driver adds their round values and draws the challenges
     *     ({@link SparkRoundBatch}: the tasks of a request in lockstep, DESIGN §6). Same proof bytes for any value.
     */
    public TaskParallelProver(InferenceRequestProver prover, byte[] modelCommitment, int sumcheckChunks) {
        this(prover, modelCommitment, sumcheckChunks, DEFAULT_BATCH_REQUESTS);
    }

    /** Requests per lockstep batch unless told otherwise: each partition holds its chunk of all of theirs. */
    public static final int DEFAULT_BATCH_REQUESTS = 4;

    /**
     * @param batchRequests with split sumchecks, how many requests' tasks run in one lockstep batch
     *     (their rounds share Spark jobs; each partition holds its chunk of every one of their
     *     tasks, so memory grows with it); same proof bytes for any value
     */
    public TaskParallelProver(InferenceRequestProver prover, byte[] modelCommitment, int sumcheckChunks, int batchRequests) {
        if (batchRequests < 1) {
            throw ZksparkException.badInput("--batch-requests must be at least 1, not " + batchRequests);
        }
        if (sumcheckChunks < 1 || Integer.bitCount(sumcheckChunks) != 1) {
            throw ZksparkException.badInput("--sumcheck-partitions must be a power of two, not " + sumcheckChunks);
        }
        if (sumcheckChunks > 1 && !prover.zeroKnowledge()) {
            throw ZksparkException.unsupported("--sumcheck-partitions for plain (--no-zk) proofs; the split sumcheck is the "
                    + "zero-knowledge one");
        }
        // split openings encode the model's rows band by band: no executor needs its whole state
        this.prover = sumcheckChunks > 1 ? prover.withLeanModel() : prover;
        this.modelCommitment = modelCommitment.clone();
        this.sumcheckChunks = sumcheckChunks;
        this.batchRequests = batchRequests;
    }

    /**
     * Split sumchecks of the last run: layer tasks proved that way, the Spark jobs they took and the
     * field-element bytes they collected; and the openings run with their rows in bands, their Spark
     * jobs and the bytes the bands sent to the driver.
     */
    public record Split(int tasks, int sparkJobs, long bytesCollected, int openings, int openingJobs, long openingBytes, int commits,
            int commitJobs, long commitBytes, int lookups, int lookupJobs, long lookupBytes) {
        static final Split NONE = new Split(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        Split plusTasks(int n, int jobs, long bytes) {
            return new Split(tasks + n, sparkJobs + jobs, bytesCollected + bytes, openings, openingJobs, openingBytes, commits, commitJobs,
                    commitBytes, lookups, lookupJobs, lookupBytes);
        }

        Split plusOpening(int jobs, long bytes) {
            return new Split(tasks, sparkJobs, bytesCollected, openings + 1, openingJobs + jobs, openingBytes + bytes, commits, commitJobs,
                    commitBytes, lookups, lookupJobs, lookupBytes);
        }

        Split plusCommit(int jobs, long bytes) {
            return new Split(tasks, sparkJobs, bytesCollected, openings, openingJobs, openingBytes, commits + 1, commitJobs + jobs,
                    commitBytes + bytes, lookups, lookupJobs, lookupBytes);
        }

        Split plusLookup(int jobs, long bytes) {
            return new Split(tasks, sparkJobs, bytesCollected, openings, openingJobs, openingBytes, commits, commitJobs, commitBytes,
                    lookups + 1, lookupJobs + jobs, lookupBytes + bytes);
        }
    }

    /**
     * Configuration key: with split sumchecks, a lookup table's GKR layers run on the partitions
     * until each block has 2^g nodes left, then the driver gathers them (and the tree's top above
     * the level where each block has 2^g nodes is the driver's); a table whose witness tree has no
     * such layer (2^(g+1) P leaves or fewer) stays one Spark task. Same bytes for any g.
     */
    public static final String LOOKUP_GATHER_VARS = "zkspark.lookup.gatherVars";

    /** 2^10 nodes per block: at most 96 KiB gathered per block and layer; fewer Spark jobs than 2^0. */
    public static final int DEFAULT_LOOKUP_GATHER_VARS = 10;

    public Split lastSplit() {
        return split;
    }

    /** The published model commitment's bytes. */
    public byte[] modelCommitment() {
        return modelCommitment.clone();
    }

    /** Stage A's result for one request: its statement tokens and witness commitment digest, or why not. */
    record Started(String id, String error, InferenceRequestProver.Generated gen, byte[] witnessDigest, byte[] witnessCommitment,
            List<String> tasks, List<String> tables, double ms) implements Serializable {}

    /** One unit of stage B. */
    record Unit(int request, String id, int[] prompt, int[] generated, byte[] witnessDigest, String name, boolean lookup)
            implements Serializable {}

    /** Stage B's result. */
    record Done(int request, int index, InferenceProver.Part part, String error) implements Serializable {}

    /** Stage C's input and result. */
    record Finish(int request, String id, int[] prompt, int[] generated, List<InferenceProver.Part> parts) implements Serializable {}

    record Finished(int request, byte[] proof, double ms, String error) implements Serializable {}

    /**
     * Proves the requests with {@code partitions} partitions for the (request, task) job (at least
     * 1). A request that cannot be proved gets a failed record with its reason.
     */
    public List<ProofRecord> prove(SparkSession spark, List<RequestSpec> requests, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (requests.isEmpty()) {
            return List.of();
        }
        int p = Math.max(1, partitions);
        List<Started> started = new ArrayList<>(jsc.parallelize(requests, Math.min(p, requests.size())).map(this::start).collect());
        split = Split.NONE;
        if (sumcheckChunks > 1) {
            // the witness commitments by row bands on the partitions, one request after the other
            for (int i = 0; i < started.size(); i++) {
                if (started.get(i).error() == null) {
                    started.set(i, commitSplit(jsc, started.get(i)));
                }
            }
        }

        List<Unit> units = new ArrayList<>();
        Map<Integer, List<String>> names = new LinkedHashMap<>();
        List<Done> splitDone = new ArrayList<>();
        java.util.Set<String> splitTasks = new java.util.HashSet<>(); // "request/task" proved by split sumchecks
        if (sumcheckChunks > 1) {
            List<Integer> group = new ArrayList<>();
            for (int i = 0; i < started.size(); i++) {
                if (started.get(i).error() == null) {
                    group.add(i);
                }
                if (group.size() == batchRequests || (i == started.size() - 1 && !group.isEmpty())) {
                    for (Done d : proveSplit(jsc, group, started)) {
                        splitDone.add(d);
                        if (d.error() == null) {
                            splitTasks.add(d.request() + "/" + started.get(d.request()).tasks().get(d.index()));
                        }
                    }
                    group = new ArrayList<>();
                }
            }
            // lookup tables with large trees: on the driver, the trees' leaves in blocks on the partitions
            for (int i = 0; i < started.size(); i++) {
                if (started.get(i).error() == null) {
                    splitDone.addAll(proveSplitLookups(jsc, i, started.get(i), splitTasks));
                }
            }
        }
        for (int i = 0; i < started.size(); i++) {
            Started s = started.get(i);
            if (s.error() != null) {
                continue;
            }
            byte[] digest = s.witnessDigest();
            List<String> unitNames = new ArrayList<>();
            for (String task : s.tasks()) {
                if (!splitTasks.contains(i + "/" + task)) { // after a split failure the request fails anyway
                    units.add(new Unit(i, s.id(), s.gen().prompt(), s.gen().generated(), digest, task, false));
                }
                unitNames.add(task);
            }
            for (String table : s.tables()) {
                if (!splitTasks.contains(i + "/" + table)) {
                    units.add(new Unit(i, s.id(), s.gen().prompt(), s.gen().generated(), digest, table, true));
                }
                unitNames.add(table);
            }
            names.put(i, unitNames);
        }
        boolean failFirstAttempt = spark.sparkContext().getConf().getBoolean(ProveRequests.FAIL_FIRST_ATTEMPT, false);
        String oomFor = spark.sparkContext().getConf().get(ProveRequests.OUT_OF_MEMORY_FOR, null);
        List<Done> done = new ArrayList<>(splitDone);
        done.addAll(units.isEmpty() ? List.of() : jsc.parallelize(units, Math.min(p, units.size())).map(u -> {
            if (failFirstAttempt) {
                ProveRequests.injectFailure();
            }
            return proveUnit(u, oomFor);
        }).collect());
        Map<Integer, InferenceProver.Part[]> parts = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> e : names.entrySet()) {
            parts.put(e.getKey(), new InferenceProver.Part[e.getValue().size()]);
        }
        Map<Integer, String> errors = new LinkedHashMap<>();
        for (Done d : done) {
            if (d.error() != null) {
                errors.putIfAbsent(d.request(), d.error());
            } else {
                parts.get(d.request())[d.index()] = d.part();
            }
        }

        List<Finish> finishes = new ArrayList<>();
        for (Map.Entry<Integer, InferenceProver.Part[]> e : parts.entrySet()) {
            if (errors.containsKey(e.getKey())) {
                continue;
            }
            Started s = started.get(e.getKey());
            finishes.add(new Finish(e.getKey(), s.id(), s.gen().prompt(), s.gen().generated(), List.of(e.getValue())));
        }
        Map<Integer, Finished> finished = new LinkedHashMap<>();
        if (sumcheckChunks > 1) {
            // the openings run here, one request after the other, their rows in bands on the partitions
            for (Finish f : finishes) {
                Finished r = finishSplit(jsc, f, started.get(f.request()));
                if (r.error() != null) {
                    errors.put(r.request(), r.error());
                } else {
                    finished.put(r.request(), r);
                }
            }
        } else if (!finishes.isEmpty()) {
            for (Finished f : jsc.parallelize(finishes, Math.min(p, finishes.size())).map(this::finish).collect()) {
                if (f.error() != null) {
                    errors.put(f.request(), f.error());
                } else {
                    finished.put(f.request(), f);
                }
            }
        }

        List<ProofRecord> out = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            Started s = started.get(i);
            if (s.error() != null || errors.containsKey(i)) {
                out.add(ProofRecord.failed(s.id(), s.error() != null ? s.error() : errors.get(i)));
                continue;
            }
            double ms = s.ms() + finished.get(i).ms();
            for (InferenceProver.Part part : parts.get(i)) {
                ms += part.ms();
            }
            Statement st = statement(s.gen().prompt(), s.gen().generated());
            out.add(new ProofRecord(s.id(), ProofRecord.PROVED, null, s.gen().prompt(), s.gen().generated(), s.gen().text(),
                    st.toBytes(), finished.get(i).proof(), s.gen().witnessMs(), ms));
        }
        out.sort(Comparator.comparing(ProofRecord::id, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    Started start(RequestSpec r) {
        try {
            InferenceRequestProver.Generated g = prover.generate(r);
            long t0 = System.nanoTime();
            Witnessed w = witnessed(r.id(), g.prompt(), g.generated());
            if (sumcheckChunks > 1) {
                // committed by bands afterwards (commitSplit): only the public layout, with a zero root
                TensorCodePcs.Layout l = w.layout();
                byte[] layout = new dev.zkspark.pcs.Commitment(new byte[32], l.params(), l.regions()).toBytes();
                return new Started(r.id(), null, g, null, layout, w.witness().tasks(), w.witness().tables(), (System.nanoTime() - t0) / 1e6);
            }
            return new Started(r.id(), null, g, w.commitment().digest(), w.commitment().commitment().toBytes(), w.witness().tasks(),
                    w.witness().tables(), (System.nanoTime() - t0) / 1e6);
        } catch (RuntimeException e) {
            return new Started(r.id(), ProveRequests.reason(e), null, null, null, List.of(), List.of(), 0);
        } catch (OutOfMemoryError e) {
            return new Started(r.id(), ProveRequests.outOfMemory(), null, null, null, List.of(), List.of(), 0);
        }
    }

    Done proveUnit(Unit u, String oomFor) {
        try {
            ProveRequests.injectOutOfMemory(oomFor, u.id());
            return proveUnitOrThrow(u);
        } catch (RuntimeException e) {
            return new Done(u.request(), -1, null, ProveRequests.reason(e));
        } catch (OutOfMemoryError e) {
            return new Done(u.request(), -1, null, ProveRequests.outOfMemory());
        }
    }

    private Done proveUnitOrThrow(Unit u) {
        Witnessed w = witnessed(u.id(), u.prompt(), u.generated());
        Transcript base = InferenceProver.baseTranscript(w.witness().statement(), commitment(), u.witnessDigest(),
                w.witness().zeroKnowledge());
        InferenceProver.Part part = u.lookup() ? InferenceProver.proveLookup(w.witness(), base, u.name())
                : InferenceProver.proveTask(w.witness(), base, u.name());
        int index = u.lookup() ? w.witness().tasks().size() + w.witness().tables().indexOf(u.name()) : w.witness().tasks().indexOf(u.name());
        return new Done(u.request(), index, part, null);
    }

    /**
     * Proves the layer tasks of a group of requests on the driver with their sumchecks' tables
     * split over the cluster: each of the P partitions rebuilds each request's witness (cached per
     * JVM) and builds only chunk c of every task's tables; the driver plans every task from public
     * data and the request's seed ({@link InferenceProver#planTasks}) and runs all the group's
     * tasks' sumchecks in lockstep over one {@link SparkRoundBatch} per chunk count, so each round
     * of all of them is one Spark job (DESIGN §6: every sumcheck in the same round shares a job).
     * Tasks too small to split into P chunks are left out (they stay ordinary units). A request
     * whose planning fails gets one Done with the reason; if a shared batch fails, its requests are
     * proved again one at a time, so one failing request does not fail the others.
     */
    private List<Done> proveSplit(JavaSparkContext jsc, List<Integer> group, List<Started> started) {
        List<Done> planFailures = new ArrayList<>();
        List<Integer> planned = new ArrayList<>();
        // chunk count (P, or fewer for a task whose smallest instance is small) -> the group's members
        Map<Integer, List<Member>> byCount = new java.util.TreeMap<>();
        for (int i : group) {
            Started s = started.get(i);
            long t0 = System.nanoTime();
            try {
                Statement st = statement(s.gen().prompt(), s.gen().generated());
                Transcript base = InferenceProver.baseTranscript(st, commitment(), s.witnessDigest(), true);
                List<Member> members = new ArrayList<>();
                for (Map.Entry<String, InferenceProver.TaskPlan> e
                        : InferenceProver.planTasks(commitment(), st, prover.requestSeed(s.id()), base).entrySet()) {
                    int count = Math.min(sumcheckChunks, e.getValue().maxChunks());
                    if (count >= 2) {
                        members.add(new Member(i, s, e.getKey(), e.getValue(), count));
                    }
                }
                double setupMs = members.isEmpty() ? 0 : (System.nanoTime() - t0) / 1e6 / members.size();
                for (Member m : members) {
                    byCount.computeIfAbsent(m.count(), c -> new ArrayList<>()).add(m.withSetup(setupMs));
                }
                planned.add(i);
            } catch (RuntimeException e) {
                planFailures.add(new Done(i, -1, null, ProveRequests.reason(e)));
            }
        }
        List<Done> done = new ArrayList<>(planFailures);
        try {
            for (Map.Entry<Integer, List<Member>> g : byCount.entrySet()) {
                List<Member> members = g.getValue();
                List<InferenceProver.Part> parts = proveBatch(jsc, members, g.getKey());
                for (int m = 0; m < members.size(); m++) {
                    Member mb = members.get(m);
                    done.add(new Done(mb.request(), mb.started().tasks().indexOf(mb.task()), parts.get(m), null));
                }
            }
            return done;
        } catch (Exception e) { // a failed Spark job is a SparkException, which Scala throws unchecked
            if (planned.size() == 1) {
                planFailures.add(new Done(planned.get(0), -1, null, batchFailure(e)));
                return planFailures;
            }
            // a shared batch failed: prove each request's batch alone, so only the failing one fails
            for (int i : planned) {
                planFailures.addAll(proveSplit(jsc, List.of(i), started));
            }
            return planFailures;
        }
    }

    /**
     * Proves request i's lookup tables whose witness trees are large enough on the driver, with
     * both trees' leaves in P blocks on the partitions ({@link SplitFractionTree} over
     * {@link SparkFractionBlocks}: each partition rebuilds the request's witness, cached per JVM,
     * and builds its block of leaves up to the cut level; the layers below the cut run their first
     * rounds there). Up to {@link #LOOKUP_THREADS} tables at once, each in a driver thread with its
     * own transcript and Spark jobs. Adds "i/table" to {@code splitTables} for each table proved; on
     * a failure the request gets one Done with the reason.
     */
    private List<Done> proveSplitLookups(JavaSparkContext jsc, int i, Started s, java.util.Set<String> splitTables) {
        int g = jsc.getConf().getInt(LOOKUP_GATHER_VARS, DEFAULT_LOOKUP_GATHER_VARS);
        if (g < 0 || g > 24) {
            return List.of(new Done(i, -1, null, "bad configuration: " + LOOKUP_GATHER_VARS + " must be 0 to 24, not " + g));
        }
        java.util.concurrent.ExecutorService pool = null;
        try {
            long t0 = System.nanoTime();
            Statement st = statement(s.gen().prompt(), s.gen().generated());
            Transcript base = InferenceProver.baseTranscript(st, commitment(), s.witnessDigest(), true);
            Map<String, InferenceProver.LookupPlan> plans = InferenceProver.planLookups(commitment(), st, prover.requestSeed(s.id()), base);
            double setupMs = (System.nanoTime() - t0) / 1e6 / Math.max(1, plans.size());
            List<String> tables = new ArrayList<>();
            for (Map.Entry<String, InferenceProver.LookupPlan> e : plans.entrySet()) {
                if (SplitFractionTree.cut(e.getValue().witnessVars(), sumcheckChunks, g) >= 1) {
                    tables.add(e.getKey());
                }
            }
            if (tables.isEmpty()) {
                return List.of();
            }
            // the tables' transcripts are independent: their jobs overlap (each round is a small job)
            pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(LOOKUP_THREADS, tables.size()));
            List<java.util.concurrent.Future<InferenceProver.Part>> parts = new ArrayList<>();
            for (String table : tables) {
                parts.add(pool.submit(() -> proveSplitLookup(jsc, s, table, plans.get(table), g, setupMs)));
            }
            List<Done> done = new ArrayList<>();
            for (int t = 0; t < tables.size(); t++) {
                InferenceProver.Part part;
                try {
                    part = parts.get(t).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof OutOfMemoryError) {
                        throw (OutOfMemoryError) c;
                    }
                    throw c instanceof Exception x ? x : new IllegalStateException(c);
                }
                done.add(new Done(i, s.tasks().size() + s.tables().indexOf(tables.get(t)), part, null));
            }
            for (String table : tables) {
                splitTables.add(i + "/" + table);
            }
            return done;
        } catch (Exception e) { // a failed Spark job is a SparkException, which Scala throws unchecked
            return List.of(new Done(i, -1, null, batchFailure(e)));
        } catch (OutOfMemoryError e) {
            return List.of(new Done(i, -1, null, "out of memory on the driver (JVM heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB) while proving lookups: give the driver more heap (--driver-memory; README, Memory)"));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** Lookup tables of one request proved at once (driver threads; each holds its trees' top and runs its own jobs). */
    private static final int LOOKUP_THREADS = 4;

    /** One table's lookups with both trees' leaves in blocks on the partitions (runs in a driver thread). */
    private InferenceProver.Part proveSplitLookup(JavaSparkContext jsc, Started s, String table, InferenceProver.LookupPlan plan, int g,
            double setupMs) {
        int count = sumcheckChunks;
        List<JavaRDD<?>> cached = new ArrayList<>();
        List<SparkFractionBlocks> blocks = new ArrayList<>();
        try {
            return InferenceProver.proveLookup(plan, (alpha, beta) -> {
                JavaRDD<FractionSubtree[]> both = lookupBlocks(jsc, s, table, alpha, beta, count, g);
                cached.add(both);
                SparkFractionBlocks wb = new SparkFractionBlocks(both.map(a -> a[0]));
                SparkFractionBlocks tb = new SparkFractionBlocks(both.map(a -> a[1]));
                blocks.add(wb);
                blocks.add(tb);
                return new FractionTree[] {new SplitFractionTree(plan.witnessVars(), count, g, wb),
                    new SplitFractionTree(plan.tableVars(), count, g, tb)};
            }, setupMs);
        } finally {
            int jobs = 0;
            long bytes = 0;
            for (SparkFractionBlocks b : blocks) {
                b.release();
                jobs += b.jobs();
                bytes += b.bytesCollected();
            }
            cached.forEach(r -> r.unpersist(false));
            synchronized (this) {
                split = split.plusLookup(jobs, bytes);
            }
        }
    }

    /** Partition c's blocks of a table's two trees, cached (the test-only failure injected first when asked). */
    private JavaRDD<FractionSubtree[]> lookupBlocks(JavaSparkContext jsc, Started s, String table, Fp3 alpha, Fp3 beta, int count, int g) {
        boolean fail = jsc.getConf().getBoolean(ProveRequests.FAIL_FIRST_ATTEMPT, false);
        String oomFor = jsc.getConf().get(ProveRequests.OUT_OF_MEMORY_FOR, null);
        String id = s.id();
        int[] prompt = s.gen().prompt();
        int[] generated = s.gen().generated();
        List<Integer> indices = new ArrayList<>(java.util.stream.IntStream.range(0, count).boxed().toList());
        return jsc.parallelize(indices, count).map(c -> {
            if (fail) {
                ProveRequests.injectFailure();
            }
            try {
                ProveRequests.injectOutOfMemory(oomFor, id);
                return InferenceProver.lookupSubtrees(witnessed(id, prompt, generated).witness(), table, alpha, beta, c, count, g);
            } catch (OutOfMemoryError e) {
                throw new IllegalStateException(ProveRequests.outOfMemory() + " (request " + id + ")");
            }
        }).persist(StorageLevel.MEMORY_ONLY());
    }

    /**
     * A failed batch's reason: an executor out of heap as its one line (Spark wraps the task's
     * exception, stack trace included, in the job's message), else as any failure.
     */
    private static String batchFailure(Exception e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf(ProveRequests.OUT_OF_HEAP);
        if (at < 0) {
            return e instanceof RuntimeException r ? ProveRequests.reason(r)
                    : "internal error: " + dev.zkspark.spark.io.RequestsTable.firstLine(e) + " (" + e.getClass().getSimpleName() + ")";
        }
        int end = m.indexOf('\n', at);
        return m.substring(at, end < 0 ? m.length() : end);
    }

    /** One split task of one request in a lockstep batch. */
    private record Member(int request, Started started, String task, InferenceProver.TaskPlan plan, int count, double setupMs) {
        Member(int request, Started started, String task, InferenceProver.TaskPlan plan, int count) {
            this(request, started, task, plan, count, 0);
        }

        Member withSetup(double ms) {
            return new Member(request, started, task, plan, count, ms);
        }
    }

    /** The executor's view of a member: what partition c needs to build its chunk. */
    private record ChunkSpec(String id, int[] prompt, int[] generated, byte[] digest, String task) implements Serializable {}

    /** One lockstep batch: the given tasks (of one or more requests), each split into {@code count} chunks. */
    private List<InferenceProver.Part> proveBatch(JavaSparkContext jsc, List<Member> members, int count) {
        String oomFor = jsc.getConf().get(ProveRequests.OUT_OF_MEMORY_FOR, null);
        List<ChunkSpec> specs = new ArrayList<>();
        for (Member m : members) {
            Started s = m.started();
            specs.add(new ChunkSpec(s.id(), s.gen().prompt(), s.gen().generated(), s.witnessDigest(), m.task()));
        }
        List<Integer> indices = new ArrayList<>(java.util.stream.IntStream.range(0, count).boxed().toList());
        JavaRDD<SumcheckChunk[]> chunks = jsc.parallelize(indices, count).map(c -> {
            SumcheckChunk[] arr = new SumcheckChunk[specs.size()];
            for (int m = 0; m < arr.length; m++) {
                ChunkSpec sp = specs.get(m);
                try {
                    ProveRequests.injectOutOfMemory(oomFor, sp.id());
                    arr[m] = chunk(sp.id(), sp.prompt(), sp.generated(), sp.digest(), sp.task(), c, count);
                } catch (OutOfMemoryError e) {
                    // the chunk's tables are unreachable once this frame is left: fail the batch
                    // (its requests are then proved alone), keep the executor
                    throw new IllegalStateException(ProveRequests.outOfMemory() + " (request " + sp.id() + ")");
                }
            }
            return arr;
        });
        int[] vars = members.stream().mapToInt(m -> m.plan().numVars()).toArray();
        SparkRoundBatch batch = new SparkRoundBatch(chunks, vars, count);
        Fp3[][] sums = batch.sums();
        List<SparkRoundBatch.Member<InferenceProver.Part>> work = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            InferenceProver.TaskPlan plan = members.get(m).plan();
            double setupMs = members.get(m).setupMs();
            Fp3[] sum = sums[m];
            work.add(oracle -> {
                long t1 = System.nanoTime();
                return InferenceProver.proveTask(plan, oracle, sum, setupMs + (System.nanoTime() - t1) / 1e6);
            });
        }
        List<InferenceProver.Part> parts = batch.run(work);
        split = split.plusTasks(members.size(), batch.jobs(), batch.bytesCollected());
        return parts;
    }

    /** Partition {@code c}'s chunk of a split task (runs on an executor). */
    private SumcheckChunk chunk(String id, int[] prompt, int[] generated, byte[] digest, String task, int c, int count) {
        Witnessed w = witnessed(id, prompt, generated);
        Transcript base = InferenceProver.baseTranscript(w.witness().statement(), commitment(), digest, true);
        return InferenceProver.taskChunk(w.witness(), base, task, c, count);
    }

    Finished finish(Finish f) {
        try {
            return finishOrThrow(f);
        } catch (RuntimeException e) {
            return new Finished(f.request(), null, 0, ProveRequests.reason(e));
        } catch (OutOfMemoryError e) {
            return new Finished(f.request(), null, 0, ProveRequests.outOfMemory());
        }
    }

    private Finished finishOrThrow(Finish f) {
        long t0 = System.nanoTime();
        Witnessed w = witnessed(f.id(), f.prompt(), f.generated());
        InferenceRequestProver.Prepared model = prover.checkedModel();
        Transcript base = InferenceProver.baseTranscript(w.witness().statement(), commitment(), w.commitment().digest(),
                w.witness().zeroKnowledge());
        ProofFile proof = InferenceProver.finish(w.witness().statement(), w.commitment(), model.made().state(), base, f.parts(),
                new LinkedHashMap<>());
        return new Finished(f.request(), proof.toBytes(), (System.nanoTime() - t0) / 1e6, null);
    }

    /**
     * Stage A's witness commitment with split sumchecks: the partitions each encode one band of the
     * request's witness rows (from the witness they recompute, cached per JVM) and hash their
     * chunk digests into leaves by column range; the driver joins the leaves into the root and
     * derives the batching mask and the model's companion. No JVM encodes the whole witness; the
     * bytes are {@link InferenceProver#commitWitness}'s.
     */
    private Started commitSplit(JavaSparkContext jsc, Started s) {
        long t0 = System.nanoTime();
        try {
            dev.zkspark.pcs.Commitment layout = dev.zkspark.pcs.Commitment.read(new dev.zkspark.core.ByteSource(s.witnessCommitment()));
            TensorCodePcs.Layout l = new TensorCodePcs.Layout(layout.params(), layout.regions());
            Statement st = statement(s.gen().prompt(), s.gen().generated());
            byte[] seed = prover.requestSeed(s.id());
            String id = s.id();
            int[] prompt = s.gen().prompt();
            int[] generated = s.gen().generated();
            boolean fail = jsc.getConf().getBoolean(ProveRequests.FAIL_FIRST_ATTEMPT, false);
            try (SparkRowBands wb = new SparkRowBands(jsc, l.params(), InferenceProver.witnessSeed(seed, st), sumcheckChunks,
                    b -> witnessBand(id, prompt, generated, b, fail))) {
                WitnessCommitment wc = InferenceProver.remoteWitness(st, seed, commitment(), l, wb.leaves(), wb);
                split = split.plusCommit(wb.jobs(), wb.bytesCollected());
                return new Started(s.id(), null, s.gen(), wc.digest(), wc.commitment().toBytes(), s.tasks(), s.tables(),
                        s.ms() + (System.nanoTime() - t0) / 1e6);
            }
        } catch (MalformedInputException e) {
            return new Started(s.id(), "internal error: stage A's witness layout: " + e.getMessage(), null, null, null, List.of(), List.of(), 0);
        } catch (Exception e) { // a failed Spark job is a SparkException, which Scala throws unchecked
            return new Started(s.id(), batchFailure(e), null, null, null, List.of(), List.of(), 0);
        } catch (OutOfMemoryError e) {
            return new Started(s.id(), "out of memory on the driver (JVM heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB) while committing: give the driver more heap (--driver-memory; README, Memory)", null, null, null, List.of(),
                    List.of(), 0);
        }
    }

    /** Band b of a request's witness commitment (the test-only failure injected first when asked). */
    private SparkRowBands.Held witnessBand(String id, int[] prompt, int[] generated, dev.zkspark.pcs.BandSlice b, boolean failFirstAttempt) {
        if (failFirstAttempt) {
            ProveRequests.injectFailure();
        }
        return witnessed(id, prompt, generated).band(b);
    }

    /**
     * Stage C with split sumchecks, on the driver: the joint opening of the witness and the model
     * with both commitments' data rows held in bands by the partitions ({@link SparkRowBands}; the
     * batching sumcheck is distributed like the layer tasks', combined rows and queried columns
     * come back per band). The driver holds a quarter of each Merkle tree (O(code length)) and the mask rows' messages, the
     * parts' claims and the proof; the same bytes as {@link #finish}.
     */
    private Finished finishSplit(JavaSparkContext jsc, Finish f, Started s) {
        long t0 = System.nanoTime();
        try {
            ModelCommitment mc = commitment();
            Statement st = statement(f.prompt(), f.generated());
            byte[] seed = prover.requestSeed(f.id());
            dev.zkspark.pcs.Commitment wcom = dev.zkspark.pcs.Commitment.read(new dev.zkspark.core.ByteSource(s.witnessCommitment()));
            String id = f.id();
            int[] prompt = f.prompt();
            int[] generated = f.generated();
            boolean fail = jsc.getConf().getBoolean(ProveRequests.FAIL_FIRST_ATTEMPT, false);
            try (SparkRowBands wb = new SparkRowBands(jsc, wcom.params(), InferenceProver.witnessSeed(seed, st), sumcheckChunks,
                    b -> witnessBand(id, prompt, generated, b, fail));
                    SparkRowBands mb = new SparkRowBands(jsc, mc.commitment().params(), ModelCommitment.pcsKey(prover.commitmentKey()),
                            sumcheckChunks, b -> modelBand(b, fail))) {
                WitnessCommitment wc = InferenceProver.remoteWitness(st, seed, mc, wcom, wb.leaves(), wb);
                if (!java.util.Arrays.equals(wc.digest(), s.witnessDigest())) {
                    throw new IllegalStateException("the witness bands do not give the commitment of stage A");
                }
                TensorCodePcs.Committed ms = mc.remoteState(prover.commitmentKey(), mb.leaves(), mb);
                Transcript base = InferenceProver.baseTranscript(st, mc, wc.digest(), true);
                ProofFile proof = InferenceProver.finish(st, wc, ms, base, f.parts(), new LinkedHashMap<>());
                split = split.plusOpening(wb.jobs() + mb.jobs(), wb.bytesCollected() + mb.bytesCollected());
                return new Finished(f.request(), proof.toBytes(), (System.nanoTime() - t0) / 1e6, null);
            }
        } catch (MalformedInputException e) {
            return new Finished(f.request(), null, 0, "internal error: stage A's witness commitment: " + e.getMessage());
        } catch (Exception e) { // a failed Spark job is a SparkException, which Scala throws unchecked
            return new Finished(f.request(), null, 0, batchFailure(e));
        } catch (OutOfMemoryError e) {
            if (System.getenv("ZKSPARK_DEBUG") != null) {
                e.printStackTrace();
            }
            return new Finished(f.request(), null, 0, "out of memory on the driver (JVM heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB) while opening: give the driver more heap (--driver-memory; README, Memory)");
        }
    }

    /**
     * Band b of the model: from the whole opening state if this JVM has it (a chunk table, or a
     * non-split proof before), else encoded from the model's stacked polynomial, only its rows.
     */
    private SparkRowBands.Held modelBand(dev.zkspark.pcs.BandSlice b, boolean failFirstAttempt) {
        if (failFirstAttempt) {
            ProveRequests.injectFailure();
        }
        InferenceRequestProver.Prepared m = prover.checkedModel();
        return m.hasState() ? held(m.made().state(), b) : m.band(b);
    }

    /** Band b of a commitment this executor holds whole. */
    private static SparkRowBands.Held held(TensorCodePcs.Committed st, dev.zkspark.pcs.BandSlice b) {
        return new SparkRowBands.Held(b, st.polySlice(b.lo(), b.len()), st.codewordRows(b.firstRow(), b.rows()));
    }

    /**
     * A request's witness, as every stage recomputes it, and its commitment, computed only by the
     * stages that need it (A and C; the commitment's codewords are the largest prover state).
     */
    static final class Witnessed {
        private final java.util.function.Supplier<InferenceProver.Witnessed> make;
        private final ModelCommitment model;
        private InferenceProver.Witnessed witness;
        private WitnessCommitment commitment;
        private TensorCodePcs.Layout layout;
        /** The witness commitment's polynomial, for bands encoded here (split sumchecks). */
        private long[] stacked;

        Witnessed(java.util.function.Supplier<InferenceProver.Witnessed> make, ModelCommitment model) {
            this.make = make;
            this.model = model;
        }

        /** Computed once; a failure (BAD_INPUT) propagates and is retried by the next caller. */
        synchronized InferenceProver.Witnessed witness() {
            if (witness == null) {
                witness = make.get();
            }
            return witness;
        }

        synchronized WitnessCommitment commitment() {
            if (commitment == null) {
                commitment = InferenceProver.commitWitness(witness(), model);
                WHOLE_WITNESS_COMMITS.incrementAndGet();
            }
            return commitment;
        }

        /** The witness commitment's public layout (parameters and regions). */
        synchronized TensorCodePcs.Layout layout() {
            if (layout == null) {
                layout = TensorCodePcs.layoutOf(InferenceProver.witnessTensors(witness()));
            }
            return layout;
        }

        /**
         * Band b of the witness commitment: from the whole commitment if this JVM made it, else
         * encoded now from the stacked witness (kept for the request's other bands).
         */
        SparkRowBands.Held band(dev.zkspark.pcs.BandSlice b) {
            long[] poly;
            synchronized (this) {
                if (commitment != null) {
                    return held(commitment.witness(), b);
                }
                if (stacked == null) {
                    stacked = TensorCodePcs.stack(InferenceProver.witnessTensors(witness()), layout().regions(), layout().params());
                }
                poly = stacked;
            }
            // concurrent bands of one request encode in parallel
            return SparkRowBands.encoded(b, layout().params(), poly, InferenceProver.witnessSeed(witness()));
        }
    }

    /** Whole witness commitments made in this JVM (test hook: split runs make none). */
    private static final java.util.concurrent.atomic.AtomicInteger WHOLE_WITNESS_COMMITS = new java.util.concurrent.atomic.AtomicInteger();

    static int wholeWitnessCommits() {
        return WHOLE_WITNESS_COMMITS.get();
    }

    /** Two requests' witnesses per JVM: enough for the stages of one request to share them in local mode. */
    private static final int CACHED_WITNESSES = 2;
    private static final Map<String, Witnessed> WITNESSES = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Witnessed> eldest) {
            return size() > CACHED_WITNESSES;
        }
    };

    /** Forgets this JVM's cached witnesses (benchmarks measure each run from scratch). */
    public static void clearWitnessCache() {
        synchronized (WITNESSES) {
            WITNESSES.clear();
        }
    }

    private Witnessed witnessed(String id, int[] prompt, int[] generated) {
        byte[] seed = prover.requestSeed(id);
        String key = java.util.HexFormat.of().formatHex(seed) + "/" + java.util.HexFormat.of().formatHex(
                dev.zkspark.transcript.Hash.SHA256.digest(statement(prompt, generated).toBytes()));
        Witnessed w;
        synchronized (WITNESSES) {
            // concurrent tasks of one request share one entry and wait for its one computation
            w = WITNESSES.computeIfAbsent(key, k -> new Witnessed(() -> {
                InferenceRequestProver.Prepared model = prover.checkedModel();
                return InferenceProver.witness(model.commitment(), model.padded(), prompt, generated, seed,
                        prover.zeroKnowledge());
            }, commitment()));
        }
        return w;
    }

    private Statement statement(int[] prompt, int[] generated) {
        ModelCommitment mc = commitment();
        return new Statement(mc.digest(), mc.params().digest(), prompt, generated);
    }

    private ModelCommitment commitment() {
        return InferenceRequestProver.parse(modelCommitment);
    }

}
