package dev.zkspark.spark.bench;

import dev.zkspark.bench.Benchmark;
import dev.zkspark.core.Parallel;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.datasets.format.Llama2cFormat;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import dev.zkspark.poly.Mle;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.spark.Sessions;
import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.RequestSpec;
import dev.zkspark.spark.jobs.InferenceRequestProver;
import dev.zkspark.spark.jobs.TaskParallelProver;
import dev.zkspark.spark.sumcheck.SparkRoundOracle;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/zkspark bench spark} (issue 7): one whole-inference proof split into Spark tasks
 * ({@link TaskParallelProver}) with 1 and 2 executor cores (local mode, one prover thread per
 * task), Spark's orchestration overhead per distributed sumcheck round ({@link SparkRoundOracle}
 * on tables too small to cost anything), the bytes collected to the driver and shuffled, and a
 * projection of prove time for Llama-2-7B and 13B on 8 and 32 executors of 16 cores.
 *
 * <p>The projection is a model, not a measurement, and prints its assumptions: cost linear in the
 * parameters (DESIGN §7) at the measured per-parameter rates of the three jobs; job A (witness
 * commitment) and job C (the two openings) run as one task per request on one 16-core executor;
 * job B's tasks (one per layer, the embedding, the head and each lookup table) run in parallel,
 * so its time is its largest task (one layer) once there are more cores than tasks; plus the
 * measured overhead of each Spark job.
 */
public final class SparkBench implements Benchmark {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String description() {
        return "one proof split into Spark tasks with 1 and 2 executors, per-round overhead, bytes moved, 7B/13B projection";
    }

    /** Per-job facts from the listener. */
    static final class Jobs extends SparkListener {
        final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
        final Map<Integer, long[]> perJob = new ConcurrentHashMap<>(); // tasks, sum run ms, max run ms, result bytes, shuffle bytes

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            for (Object s : scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds())) {
                stageToJob.put((Integer) s, e.jobId());
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            Integer job = stageToJob.get(e.stageId());
            if (job == null || e.taskMetrics() == null) {
                return;
            }
            long run = e.taskMetrics().executorRunTime();
            long[] a = perJob.computeIfAbsent(job, k -> new long[5]);
            synchronized (a) {
                a[0]++;
                a[1] += run;
                a[2] = Math.max(a[2], run);
                a[3] += e.taskMetrics().resultSize();
                a[4] += e.taskMetrics().shuffleWriteMetrics().bytesWritten();
            }
        }

        /** The jobs in order of id. */
        List<long[]> ordered() {
            List<Integer> ids = new ArrayList<>(perJob.keySet());
            ids.sort(null);
            List<long[]> out = new ArrayList<>();
            for (int id : ids) {
                out.add(perJob.get(id));
            }
            return out;
        }
    }

    record Run(int cores, double wallMs, List<long[]> jobs, long proofBytes, TaskParallelProver.Split split) {
        /** Sum over the run's jobs of column k of {@link Jobs#perJob}. */
        long total(int k) {
            long t = 0;
            for (long[] j : jobs) {
                t += j[k];
            }
            return t;
        }
    }

    /** Partitions of the split run: one per local core. */
    static final int SPLIT_PARTITIONS = 2;

    @Override
    public void run(PrintStream out, boolean quick) {
        int oldThreads = Parallel.threads();
        Parallel.setThreads(1);
        try {
            runBench(out, quick);
        } finally {
            Parallel.setThreads(oldThreads);
        }
    }

    private void runBench(PrintStream out, boolean quick) {
        // the model: stories15M's shape (6 layers, dim 288, hidden 768, vocab 32000) at sequence 64
        // in a full run (at 128, two concurrent lookup tasks of the argmax check over 128 x 32768
        // logits exceed a 20 GiB heap next to the model's and the witness's commitments); the
        // bundled model at sequence 16 for --quick
        String name;
        LlamaConfig config;
        Path tmp = null;
        String modelPath = null;
        int seq;
        try {
            if (quick) {
                name = "bundled 0.8M";
                config = Bundled.model().config();
                seq = 16;
            } else {
                name = "stories15M shape";
                config = SyntheticModels.preset("stories15M");
                seq = 64;
                tmp = Files.createTempDirectory("zkspark-bench-spark");
                modelPath = tmp.resolve("stories15M.bin").toString();
                Llama2cFormat.write(SyntheticModels.generate(config, 1), Path.of(modelPath));
            }
            byte[] key = new byte[32];
            byte[] seed = new byte[32];
            ModelCommitment mc = InferenceRequestProver.commitModel(modelPath, null, QuantParams.DEFAULT, key);
            byte[] commitment = mc.toBytes();
            InferenceRequestProver prover = new InferenceRequestProver(modelPath, null, commitment, key, seed);
            int[] prompt = new int[seq / 2 + 1];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = 1 + (i * 7919) % (config.vocab() - 1);
            }
            RequestSpec request = new RequestSpec("bench", null, prompt, seq - prompt.length + 1);
            long params = config.parameterCount();

            List<Run> runs = new ArrayList<>();
            byte[][] reference = {null};
            // the first pass (1 core) warms the JIT up and is not reported
            measure(new TaskParallelProver(prover, commitment), 1, request, reference);
            for (int cores : new int[] {1, 2}) {
                runs.add(measure(new TaskParallelProver(prover, commitment), cores, request, reference));
            }
            // the split design: every layer task's sumcheck, the large lookups' GKR trees, the
            // witness commitment and the opening in SPLIT_PARTITIONS partitions, one per core
            Run split = measure(new TaskParallelProver(prover, commitment, SPLIT_PARTITIONS, 1), SPLIT_PARTITIONS, request, reference);
            out.printf("%s (%d parameters), sequence %d: one proof as Spark tasks (TaskParallelProver), one prover thread per task%n",
                    name, params, seq);
            out.printf("%-10s %10s %10s %10s %10s %10s %12s %12s%n", "executors", "wall ms", "A ms", "B tasks", "B sum ms", "B max ms",
                    "to driver B", "shuffled B");
            for (Run r : runs) {
                long collected = 0, shuffled = 0;
                for (long[] j : r.jobs()) {
                    collected += j[3];
                    shuffled += j[4];
                }
                long[] a = r.jobs().get(0), b = r.jobs().get(1);
                out.printf("%-10d %10.0f %10d %10d %10d %10d %12d %12d%n", r.cores(), r.wallMs(), a[1], b[0], b[1], b[2], collected, shuffled);
            }
            Run one = runs.get(0), two = runs.get(1);
            out.printf("speed-up with 2 executors: %.2f (proof %d bytes, identical for both)%n", one.wallMs() / two.wallMs(),
                    one.proofBytes());

            TaskParallelProver.Split st = split.split();
            out.printf("split over %d partitions (--sumcheck-partitions %d, %d cores): wall %.0f ms, %d Spark jobs, %d tasks, "
                    + "%d ms of task time, %d B to the driver, %d B shuffled (same proof bytes)%n", SPLIT_PARTITIONS, SPLIT_PARTITIONS,
                    split.cores(), split.wallMs(), split.jobs().size(), split.total(0), split.total(1), split.total(3), split.total(4));
            out.printf("  %d layer tasks in %d jobs, %d lookup tables in %d jobs, %d witness commitment in %d jobs, %d opening in %d jobs%n",
                    st.tasks(), st.sparkJobs(), st.lookups(), st.lookupJobs(), st.commits(), st.commitJobs(), st.openings(),
                    st.openingJobs());

            // orchestration: the distributed sumcheck on tables too small to cost anything, at two
            // partition counts (each Spark job's cost grows with the tasks it schedules)
            double perRound = roundOverheadMs(quick, 2);
            double perRound8 = roundOverheadMs(quick, 8);
            double perTask = Math.max(0, (perRound8 - perRound) / 6);
            double perJobBase = Math.max(0, perRound - 2 * perTask);
            out.printf("distributed sumcheck: %.1f ms of Spark orchestration per round (2 partitions, 2^10 tables)%n", perRound);
            out.printf("  %.1f ms per round with 8 partitions: %.1f ms per job + %.2f ms per task%n", perRound8, perJobBase, perTask);

            // projection
            long[] a = one.jobs().get(0), b = one.jobs().get(1), c = one.jobs().get(2);
            double jobOverhead = Math.max(0, (one.wallMs() - a[1] - b[1] - c[1]) / 3.0);
            double aPerParam = a[1] / 1e3 / params, cPerParam = c[1] / 1e3 / params, bPerParam = b[1] / 1e3 / params;
            double maxTaskShare = (double) b[2] / b[1];
            out.printf("measured (1 core): job A %.3f us/param, job B %.3f us/param (largest task %.0f%% of B), job C %.3f us/param, "
                    + "%.0f ms per Spark job%n", aPerParam * 1e6, bPerParam * 1e6, 100 * maxTaskShare, cPerParam * 1e6, jobOverhead);
            out.printf("%-10s %12s %10s %10s %10s%n", "model", "parameters", "8x16 s", "32x16 s", "zkLLM A100 s");
            double[] p7 = null;
            for (Object[] m : new Object[][] {{"Llama-2-7B", 6.74e9, 32, 620.0}, {"Llama-2-13B", 13.0e9, 40, 803.0}}) {
                double pm = (double) m[1];
                int layers = (int) m[2];
                double[] t = new double[2];
                int[] executors = {8, 32};
                for (int k = 0; k < 2; k++) {
                    int cores = executors[k] * 16;
                    // A and C: one task on one 16-core executor; B: all tasks in parallel, bounded by the largest (one layer)
                    double tb = Math.max(bPerParam * pm / cores, bPerParam * pm / layers / 16);
                    t[k] = (aPerParam + cPerParam) * pm / 16 + tb + 3 * jobOverhead / 1e3;
                }
                out.printf("%-10s %12.3g %10.0f %10.0f %10.0f%n", m[0], pm, t[0], t[1], (double) m[3]);
                if (p7 == null) {
                    p7 = t;
                }
            }
            out.println("projection (task-parallel): linear in parameters at sequence " + seq + "; jobs A and C (witness commitment, "
                    + "openings) are one task per request on 16 cores, so they dominate");

            // the split design, from the split run: job A (generation and the witness, one task)
            // and the rest of the executors' task time, which the partitions share
            long[] splitA = split.jobs().get(0);
            double spread = split.total(1) - splitA[1];
            double critical = splitA[2] + spread / split.cores();
            double orchestration = split.jobs().size() * perRound;
            double driverMs = Math.max(0, split.wallMs() - critical - orchestration);
            out.printf("measured (split, %d cores): generation and witness %.3f us/param, partitions' work %.3f us/param, "
                    + "%d Spark jobs, driver's own work %.0f ms (wall less the partitions' critical path and orchestration)%n",
                    split.cores(), splitA[2] / 1e3 / params * 1e6, spread / 1e3 / params * 1e6, split.jobs().size(), driverMs);
            out.printf("%-10s %12s %10s %10s %10s%n", "model", "parameters", "8x16 s", "32x16 s", "zkLLM A100 s");
            double[] s7 = null;
            for (Object[] m : new Object[][] {{"Llama-2-7B", 6.74e9, 620.0}, {"Llama-2-13B", 13.0e9, 803.0}}) {
                double pm = (double) m[1];
                double scale = pm / params;
                double[] t = new double[2];
                int[] executors = {8, 32};
                for (int k = 0; k < 2; k++) {
                    int partitions = executors[k] * 16;
                    double jobs = split.jobs().size() * Math.log(pm) / Math.log(params);
                    t[k] = splitA[2] / 1e3 * scale / 16 + spread / 1e3 * scale / partitions
                            + jobs * (perJobBase + partitions * perTask) / 1e3 + driverMs / 1e3 * Math.sqrt(scale);
                }
                out.printf("%-10s %12.3g %10.0f %10.0f %10.0f%n", m[0], pm, t[0], t[1], (double) m[2]);
                if (s7 == null) {
                    s7 = t;
                }
            }
            out.println("projection (split, --sumcheck-partitions = all cores): generation and witness on one 16-core executor "
                    + "(each executor computes it once), the partitions' work linear in parameters shared by all cores, Spark jobs "
                    + "growing like log(parameters) at the per-job and per-task cost above, the driver's work (O(code length): "
                    + "Merkle trees, mask rows, gathered GKR layers) like sqrt(parameters)");
            out.printf("task-parallel 7B seconds on 32x16 cores: %.0f%n", p7[1]);
            out.printf("projected 7B seconds on 32x16 cores: %.0f%n", s7[1]);
        } catch (java.io.IOException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "benchmark temp files: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try (var s = Files.walk(tmp)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException ignored) {
                    // temp files
                }
            }
        }
    }

    /**
     * Proves {@code request} with {@code tp} on {@code local[cores]} from a cold witness cache; the
     * proof must equal {@code reference[0]} once that is set (and sets it).
     */
    private static Run measure(TaskParallelProver tp, int cores, RequestSpec request, byte[][] reference) {
        TaskParallelProver.clearWitnessCache();
        SparkSession spark = Sessions.create("zkspark-bench-spark", "local[" + cores + "]");
        Jobs jobs = new Jobs();
        spark.sparkContext().addSparkListener(jobs);
        try {
            long t0 = System.nanoTime();
            List<ProofRecord> r = tp.prove(spark, List.of(request), 64);
            double wall = (System.nanoTime() - t0) / 1e6;
            try {
                spark.sparkContext().listenerBus().waitUntilEmpty();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "Spark's listener bus did not drain", e);
            }
            if (!r.get(0).isProved()) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "benchmark request not proved: " + r.get(0).error());
            }
            if (reference[0] != null && !Arrays.equals(reference[0], r.get(0).proof())) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "proof bytes differ between runs on " + cores + " cores");
            }
            reference[0] = r.get(0).proof();
            return new Run(cores, wall, jobs.ordered(), r.get(0).proofBytes(), tp.lastSplit());
        } finally {
            spark.stop();
        }
    }

    /** Milliseconds per round that Spark adds to the distributed sumcheck over {@code parts} partitions (tables of 2^10, negligible compute). */
    static double roundOverheadMs(boolean quick, int parts) {
        SplittableRandom r = new SplittableRandom(3);
        int n = 10;
        List<SumcheckInstance> ins = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            List<Mle> tables = new ArrayList<>();
            for (int j = 0; j < 2; j++) {
                long[] v = new long[1 << n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Goldilocks.reduce(r.nextLong());
                }
                tables.add(Mle.base(v));
            }
            ins.add(SumcheckInstance.computing(Expression.product(2), tables));
        }
        List<SumcheckClaim> claims = new ArrayList<>();
        for (SumcheckInstance in : ins) {
            claims.add(in.claim());
        }
        SparkSession spark = Sessions.create("zkspark-bench-rounds", "local[2]");
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < (quick ? 2 : 5); rep++) {
                List<SumcheckChunk> chunks = new ArrayList<>();
                for (int c = 0; c < parts; c++) {
                    chunks.add(SumcheckChunk.of(ins, c, parts));
                }
                JavaRDD<SumcheckChunk> rdd = jsc.parallelize(chunks, parts);
                SparkRoundOracle oracle = new SparkRoundOracle(rdd, n, parts);
                long t0 = System.nanoTime();
                SumcheckProver.prove(claims, oracle, Transcript.create(Hash.SHA256, "bench-rounds", new byte[] {1}));
                double dist = (System.nanoTime() - t0) / 1e6;
                t0 = System.nanoTime();
                SumcheckProver.prove(ins, Transcript.create(Hash.SHA256, "bench-rounds", new byte[] {1}));
                double local = (System.nanoTime() - t0) / 1e6;
                best = Math.min(best, (dist - local) / oracle.jobs());
            }
            return best;
        } finally {
            spark.stop();
        }
    }
}
