package dev.zkspark.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.cli.MainTestAccess;
import dev.zkspark.core.Verdict;
import dev.zkspark.datasets.SyntheticModels;
import dev.zkspark.datasets.format.Llama2cFormat;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.proof.InferenceVerifier;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.Statement;
import dev.zkspark.spark.Sessions;
import dev.zkspark.spark.io.ProofsTable;
import dev.zkspark.spark.io.VerdictsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProveJob and VerifyJob on Spark local mode (issue 7 invariants 1, 2 and 4): proof bytes do not
 * depend on the partition count or on a retried task, every proof verifies with the standalone
 * verifier, malformed rows fail with their reason while the others are proved, and VerifyJob
 * rejects a tampered proof and a proof checked against another commitment.
 */
class ProveJobTest {
    static final LlamaConfig TINY = new LlamaConfig(32, 48, 2, 4, 2, 64, 16, 1e-5f, 10000f, true);
    static final String SEED = "0123456789abcdef0123456789abcdef";
    static final List<String> GOOD = List.of("r1", "r2", "r3");

    @TempDir
    static Path dir;
    static Path model;
    static Path commitment;
    static Path requests;

    @BeforeAll
    static void modelAndRequests() throws Exception {
        model = dir.resolve("tiny.bin");
        Llama2cFormat.write(SyntheticModels.generate(TINY, 5), model);
        commitment = dir.resolve("tiny.commit");
        assertEquals(0, MainTestAccess.run("commit-model", "--model", model.toString(), "--out", commitment.toString()));
        requests = dir.resolve("requests.jsonl");
        Files.writeString(requests, String.join("\n",
                "{\"id\": \"r1\", \"prompt_tokens\": [1, 7, 9], \"max_new_tokens\": 3}",
                "{\"id\": \"r2\", \"prompt_tokens\": [2, 3], \"max_new_tokens\": 2}",
                "{\"id\": \"r3\", \"prompt_tokens\": [5], \"max_new_tokens\": 4}",
                "{\"id\": \"bad-vocab\", \"prompt_tokens\": [1, 64], \"max_new_tokens\": 2}",
                "{\"id\": \"bad-text\", \"prompt\": \"no tokenizer for this model\", \"max_new_tokens\": 2}",
                "{\"id\": \"bad-json\", \"prompt_tokens\": [1, 2], \"max_new_tokens\": ",
                "") );
    }

    static InferenceRequestProver prover(byte[] key) throws Exception {
        return new InferenceRequestProver(model.toString(), null, Files.readAllBytes(commitment), key, HexFormat.of().parseHex(SEED));
    }

    static byte[] key() throws Exception {
        return HexFormat.of().parseHex(Files.readString(dir.resolve("tiny.commit.key")).trim());
    }

    static Map<String, byte[]> proofFiles(Path out) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (var s = Files.list(out.resolve("files"))) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void proofBytesAreTheSameForAnyPartitionCountAndAfterARetriedTask() throws Exception {
        Map<String, byte[]> first = null;
        SparkSession spark = Sessions.create("prove-job-test", "local[2]");
        try {
            for (int partitions : new int[] {1, 2, 4, 8}) {
                Path out = dir.resolve("proofs-p" + partitions);
                List<ProofsTable.Summary> rows = ProveJob.run(spark, requests.toString(), out.toString(), partitions, prover(key()),
                        Files.readAllBytes(commitment));
                assertEquals(6, rows.size());
                Map<String, String> errors = new TreeMap<>();
                for (ProofsTable.Summary r : rows) {
                    if (!"proved".equals(r.status())) {
                        errors.put(String.valueOf(r.id()), r.error());
                    }
                }
                assertEquals(3, errors.size(), errors.toString());
                assertTrue(errors.get("bad-vocab").contains("not in the model's vocabulary"), errors.toString());
                assertTrue(errors.get("bad-text").contains("needs a tokenizer"), errors.toString());
                assertTrue(errors.values().stream().anyMatch(e -> e.contains("malformed JSON line")), errors.toString());
                Map<String, byte[]> files = proofFiles(out);
                assertEquals(List.of("r1.proof", "r2.proof", "r3.proof"), List.copyOf(files.keySet()));
                assertArrayEquals(Files.readAllBytes(commitment), Files.readAllBytes(out.resolve("model.commit")));
                if (first == null) {
                    first = files;
                } else {
                    for (String f : first.keySet()) {
                        assertArrayEquals(first.get(f), files.get(f), f + " differs with " + partitions + " partitions");
                    }
                }
            }
        } finally {
            spark.stop();
        }

        // a task failure injected once: Spark retries it and the output is byte-identical
        SparkSession retrying = Sessions.create("prove-job-retry", "local[2,3]", Map.of(ProveRequests.FAIL_FIRST_ATTEMPT, "true"));
        AtomicInteger failedTasks = new AtomicInteger();
        retrying.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                if (e.reason() instanceof TaskFailedReason) {
                    failedTasks.incrementAndGet();
                }
            }
        });
        try {
            Path out = dir.resolve("proofs-retried");
            ProveJob.run(retrying, requests.toString(), out.toString(), 2, prover(key()), Files.readAllBytes(commitment));
            retrying.sparkContext().listenerBus().waitUntilEmpty();
            assertTrue(failedTasks.get() >= 1, "no task failed: the injection did not happen");
            Map<String, byte[]> files = proofFiles(out);
            for (String f : first.keySet()) {
                assertArrayEquals(first.get(f), files.get(f), f + " differs after a retried task");
            }
        } finally {
            retrying.stop();
        }

        // every proof verifies with the standalone verifier (no Spark), from the files alone
        ModelCommitment mc = ModelCommitment.parse(Files.readAllBytes(dir.resolve("proofs-p1/model.commit")));
        String summary = Files.readString(dir.resolve("proofs-p1/summary.json"));
        for (String id : GOOD) {
            assertTrue(summary.contains("\"id\": \"" + id + "\""), summary);
        }
        int[][] prompts = {{1, 7, 9}, {2, 3}, {5}};
        for (int i = 0; i < GOOD.size(); i++) {
            byte[] proof = first.get(GOOD.get(i) + ".proof");
            int[] gen = generated(summary, GOOD.get(i));
            Verdict v = InferenceVerifier.verify(mc, new Statement(mc.digest(), mc.params().digest(), prompts[i], gen), proof);
            assertTrue(v.isAccepted(), GOOD.get(i) + ": " + v);
            int[] wrong = gen.clone();
            wrong[0] = (wrong[0] + 1) % TINY.vocab();
            assertFalse(InferenceVerifier.verify(mc, new Statement(mc.digest(), mc.params().digest(), prompts[i], wrong), proof)
                    .isAccepted());
        }
    }

    @Test
    void taskParallelProofsSplitEachRequestAcrossTasksAndKeepTheBytes() throws Exception {
        SparkSession spark = Sessions.create("task-parallel-test", "local[2,3]", Map.of(ProveRequests.FAIL_FIRST_ATTEMPT, "true"));
        AtomicInteger tasks = new AtomicInteger();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                tasks.incrementAndGet();
            }
        });
        try {
            Path reference = dir.resolve("tp-reference");
            ProveJob.run(spark, requests.toString(), reference.toString(), 1, prover(key()), Files.readAllBytes(commitment));
            Map<String, byte[]> expected = proofFiles(reference);
            for (int partitions : new int[] {1, 5}) {
                Path out = dir.resolve("tp-" + partitions);
                int before = tasks.get();
                List<ProofsTable.Summary> rows = ProveJob.runTaskParallel(spark, requests.toString(), out.toString(), partitions,
                        prover(key()), Files.readAllBytes(commitment));
                spark.sparkContext().listenerBus().waitUntilEmpty();
                assertEquals(6, rows.size());
                assertEquals(3, rows.stream().filter(r -> "proved".equals(r.status())).count());
                // more Spark tasks than requests: each request's layers and tables were separate units
                assertTrue(tasks.get() - before > 3 * 4, "tasks: " + (tasks.get() - before));
                Map<String, byte[]> files = proofFiles(out);
                assertEquals(expected.keySet(), files.keySet());
                for (String f : expected.keySet()) {
                    assertArrayEquals(expected.get(f), files.get(f), f + " differs when split into tasks over " + partitions + " partitions");
                }
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * Issue 7, the distributed sumcheck inside a proof: with --sumcheck-partitions P every layer
     * task's sumcheck is folded by P partitions while the driver (no witness) draws the challenges,
     * and the joint opening runs on the driver with the witness's and the model's rows in P bands
     * (with every stage's first attempt of partition 0 failing once),
     * the tasks of a batch of requests in lockstep (one Spark job per round for all of them, so
     * three requests in one batch take about a third of the jobs of one at a time);
     * the proofs are byte-identical to the one-task-per-request proofs for P = 2 and 8 and batches
     * of 1, 2 and 3 requests, which the
     * standalone verifier accepts (and rejects once a split task's section is damaged). Bad values
     * of the option are refused before Spark starts.
     */
    @Test
    void splitSumchecksKeepTheBytesAndShareOneSparkJobPerRound() throws Exception {
        // the first attempt of every stage's partition 0 fails (invariant 2): band tasks included
        // small gathers (2^6 nodes per block), so the test model's lookup trees have layers run on the partitions
        SparkSession spark = Sessions.create("split-sumcheck-test", "local[2,3]", Map.of(ProveRequests.FAIL_FIRST_ATTEMPT, "true",
                TaskParallelProver.LOOKUP_GATHER_VARS, "6"));
        try {
            Path reference = dir.resolve("split-reference");
            ProveJob.run(spark, requests.toString(), reference.toString(), 1, prover(key()), Files.readAllBytes(commitment));
            Map<String, byte[]> expected = proofFiles(reference);
            // (chunks, requests per lockstep batch): one request at a time, all three together, groups of two
            int[][] runs = {{2, 1}, {2, 3}, {8, 2}};
            int[] jobs = new int[runs.length];
            // the split runs' executors encode the model's rows band by band: no whole opening state
            InferenceRequestProver.clearModelCache();
            TaskParallelProver.clearWitnessCache();
            int states = InferenceRequestProver.fullStatesBuilt();
            int witnessCommits = TaskParallelProver.wholeWitnessCommits();
            for (int run = 0; run < runs.length; run++) {
                int chunks = runs[run][0];
                TaskParallelProver split = new TaskParallelProver(prover(key()), Files.readAllBytes(commitment), chunks, runs[run][1]);
                Path out = dir.resolve("split-" + chunks + "-" + runs[run][1]);
                List<ProofsTable.Summary> rows = ProveJob.runTaskParallel(spark, requests.toString(), out.toString(), 2, split);
                assertEquals(3, rows.stream().filter(r -> "proved".equals(r.status())).count());
                TaskParallelProver.Split stats = split.lastSplit();
                // embedding, 2 layers and head of each of the 3 requests; tasks in one batch run in
                // lockstep, so their rounds share Spark jobs: a batch takes at least the sums, one
                // round and the gather, and far fewer than one job per round of every task (about 11 each)
                assertEquals(3 * 4, stats.tasks(), stats.toString());
                // each request's opening ran on the driver with both commitments' rows in bands:
                // leaves, sums, the distributed rounds and gather, combined rows and columns
                assertEquals(3, stats.openings(), stats.toString());
                // and each witness was committed by the bands, never whole in one JVM
                assertEquals(3, stats.commits(), stats.toString());
                assertTrue(stats.commitJobs() >= 3 && stats.commitBytes() > 0, stats.toString());
                assertTrue(stats.openingJobs() >= 3 * 2 * 6 && stats.openingBytes() > 0, stats.toString());
                // the lookup tables with the larger witness trees ran on the driver, their leaves in blocks
                System.out.println("split run " + java.util.Arrays.toString(runs[run]) + ": " + stats);
                assertTrue(stats.lookups() >= 3 && stats.lookupJobs() >= 3 * stats.lookups() && stats.lookupBytes() > 0, stats.toString());
                int batches = (3 + runs[run][1] - 1) / runs[run][1];
                assertTrue(stats.sparkJobs() >= 3 * batches && stats.sparkJobs() < 5 * stats.tasks(), stats.toString());
                jobs[run] = stats.sparkJobs();
                Map<String, byte[]> files = proofFiles(out);
                assertEquals(expected.keySet(), files.keySet());
                for (String f : expected.keySet()) {
                    assertArrayEquals(expected.get(f), files.get(f), f + " differs with sumchecks split into " + chunks
                            + " and batches of " + runs[run][1]);
                }
            }
            assertEquals(states, InferenceRequestProver.fullStatesBuilt(), "a split run built the model's whole opening state");
            assertEquals(witnessCommits, TaskParallelProver.wholeWitnessCommits(), "a split run committed a whole witness in one JVM");
            InferenceRequestProver.clearModelCache();
            prover(key()).checkedModel().made(); // what a one-task-per-request proof needs: counted
            assertEquals(states + 1, InferenceRequestProver.fullStatesBuilt());
            // the witness counter's twin: without split sumchecks stage A commits each witness whole (and the bytes agree)
            TaskParallelProver.clearWitnessCache();
            Path whole = dir.resolve("split-twin");
            ProveJob.runTaskParallel(spark, requests.toString(), whole.toString(), 2,
                    new TaskParallelProver(prover(key()), Files.readAllBytes(commitment), 1));
            assertTrue(TaskParallelProver.wholeWitnessCommits() >= witnessCommits + 3, "stage A made " + (TaskParallelProver.wholeWitnessCommits()
                    - witnessCommits) + " whole witness commitments");
            assertArrayEquals(expected.get("r1.proof"), proofFiles(whole).get("r1.proof"));
            // all three requests in one batch share each round's job: about a third of one at a time
            assertTrue(2 * jobs[1] < jobs[0], java.util.Arrays.toString(jobs));
            Path proof = dir.resolve("split-8-2/files/r1.proof");
            assertEquals(0, MainTestAccess.run("verify", "--commitment", commitment.toString(), "--proof", proof.toString()));
            byte[] damaged = Files.readAllBytes(proof);
            int at = indexOf(damaged, "task/layer1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(at > 0, "no task/layer1 section");
            damaged[at + 200] ^= 0x04; // inside the section's sumcheck messages
            Path bad = dir.resolve("split-damaged.proof");
            Files.write(bad, damaged);
            assertEquals(1, MainTestAccess.run("verify", "--commitment", commitment.toString(), "--proof", bad.toString()));
            // and a split lookup's section: its GKR layer messages
            damaged = Files.readAllBytes(proof);
            at = indexOf(damaged, "lookup/".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(at > 0, "no lookup section");
            damaged[at + 300] ^= 0x10;
            Files.write(bad, damaged);
            assertEquals(1, MainTestAccess.run("verify", "--commitment", commitment.toString(), "--proof", bad.toString()));
        } finally {
            spark.stop();
        }
        String[] job = {"prove-job", "--master", "local[1]", "--model", model.toString(), "--commitment", commitment.toString(),
            "--requests", requests.toString()};
        assertEquals(2, MainTestAccess.run(concat(job, "--out", dir.resolve("s3").toString(), "--task-parallel", "--sumcheck-partitions", "3")));
        assertEquals(2, MainTestAccess.run(concat(job, "--out", dir.resolve("s4").toString(), "--sumcheck-partitions", "4")));
        assertEquals(3, MainTestAccess.run(concat(job, "--out", dir.resolve("s5").toString(), "--task-parallel", "--sumcheck-partitions", "4",
                "--no-zk")));
        assertEquals(2, MainTestAccess.run(concat(job, "--out", dir.resolve("s6").toString(), "--task-parallel", "--batch-requests", "2")));
        assertEquals(2, MainTestAccess.run(concat(job, "--out", dir.resolve("s7").toString(), "--task-parallel", "--sumcheck-partitions", "2",
                "--batch-requests", "0")));
        for (String d : List.of("s3", "s4", "s5", "s6", "s7")) {
            assertFalse(Files.exists(dir.resolve(d)), d);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void duplicateIdsFailWithTheirReasonAndTheOtherRowsAreProved() throws Exception {
        Path reqs = dir.resolve("dups.jsonl");
        Files.writeString(reqs, "{\"id\": \"same\", \"prompt_tokens\": [1], \"max_new_tokens\": 1}\n"
                + "{\"id\": \"same\", \"prompt_tokens\": [2], \"max_new_tokens\": 1}\n"
                + "{\"id\": \"other\", \"prompt_tokens\": [3], \"max_new_tokens\": 1}\n");
        SparkSession spark = Sessions.create("dup-test", "local[2]");
        try {
            List<ProofsTable.Summary> rows = ProveJob.run(spark, reqs.toString(), dir.resolve("dups-out").toString(), 2, prover(key()),
                    Files.readAllBytes(commitment));
            assertEquals(3, rows.size());
            for (ProofsTable.Summary r : rows) {
                if ("same".equals(r.id())) {
                    assertEquals("failed", r.status());
                    assertTrue(r.error().contains("duplicate id"), r.error());
                } else {
                    assertEquals("proved", r.status(), r.error());
                }
            }
            assertEquals(List.of("other.proof"), List.copyOf(proofFiles(dir.resolve("dups-out")).keySet()));
        } finally {
            spark.stop();
        }
    }

    /**
     * An executor heap too small for one request (injected with the test-only key) fails that row
     * with its one-line reason in every proving mode (one task per request, task-parallel, and
     * task-parallel with split sumchecks in one lockstep batch of all three requests, where the
     * shared batch fails and each request is proved again alone); the local-mode JVM survives (Spark
     * would end it, exit 52, on an uncaught OutOfMemoryError) and the other requests are proved,
     * with the same bytes in every mode.
     */
    @Test
    void aRequestThatRunsOutOfMemoryFailsItsRowAndTheOthersAreProved() throws Exception {
        SparkSession spark = Sessions.create("oom-test", "local[2]", Map.of(ProveRequests.OUT_OF_MEMORY_FOR, "r2"));
        try {
            Map<String, byte[]> first = null;
            for (int mode = 0; mode < 3; mode++) {
                String out = dir.resolve("oom-" + mode).toString();
                List<ProofsTable.Summary> rows = switch (mode) {
                    case 0 -> ProveJob.run(spark, requests.toString(), out, 3, prover(key()), Files.readAllBytes(commitment));
                    case 1 -> ProveJob.runTaskParallel(spark, requests.toString(), out, 3, prover(key()), Files.readAllBytes(commitment));
                    default -> ProveJob.runTaskParallel(spark, requests.toString(), out, 3,
                            new TaskParallelProver(prover(key()), Files.readAllBytes(commitment), 2, 3));
                };
                Map<String, ProofsTable.Summary> byId = new java.util.HashMap<>(); // the malformed JSON row has no id
                rows.forEach(r -> byId.put(r.id(), r));
                assertEquals("failed", byId.get("r2").status());
                assertTrue(byId.get("r2").error().startsWith("out of memory on the executor (JVM heap "), byId.get("r2").error());
                assertEquals("proved", byId.get("r1").status(), byId.get("r1").error());
                assertEquals("proved", byId.get("r3").status(), byId.get("r3").error());
                Map<String, byte[]> files = proofFiles(Path.of(out));
                assertEquals(List.of("r1.proof", "r3.proof"), List.copyOf(files.keySet()));
                if (first == null) {
                    first = files;
                }
                for (String f : files.keySet()) {
                    assertArrayEquals(first.get(f), files.get(f), f + " differs in mode " + mode);
                }
            }
        } finally {
            spark.stop();
        }
    }

    /** The generated ids of one request, as summary.json lists them. */
    static int[] generated(String summary, String id) {
        int at = summary.indexOf("\"id\": \"" + id + "\"");
        int s = summary.indexOf("\"generated_tokens\": [", at) + "\"generated_tokens\": [".length();
        String list = summary.substring(s, summary.indexOf(']', s)).trim();
        return list.isEmpty() ? new int[0] : java.util.Arrays.stream(list.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    }

    @Test
    void verifyJobAcceptsHonestProofsAndRejectsTamperedOnesAndAnotherCommitment() throws Exception {
        Path proofs = dir.resolve("cli-proofs");
        assertEquals(0, MainTestAccess.run("prove-job", "--master", "local[2]", "--partitions", "2", "--model", model.toString(),
                "--commitment", commitment.toString(), "--requests", requests.toString(), "--out", proofs.toString(), "--seed", SEED));
        assertEquals(2, MainTestAccess.run("prove-job", "--master", "local[2]", "--model", model.toString(), "--commitment",
                commitment.toString(), "--requests", requests.toString(), "--out", dir.resolve("strict").toString(), "--strict"));
        // the output exists already: refused before any work
        assertEquals(2, MainTestAccess.run("prove-job", "--master", "local[2]", "--model", model.toString(), "--commitment",
                commitment.toString(), "--requests", requests.toString(), "--out", proofs.toString()));

        Path verdicts = dir.resolve("verdicts");
        assertEquals(0, MainTestAccess.run("verify-job", "--master", "local[2]", "--commitment", commitment.toString(), "--proofs",
                proofs.toString(), "--out", verdicts.toString()));
        String v = Files.readString(verdicts.resolve("verdicts.json"));
        for (String id : GOOD) {
            assertTrue(v.contains("{\"id\": \"" + id + "\", \"verdict\": \"accepted\""), v);
        }
        assertTrue(v.contains("{\"id\": \"bad-vocab\", \"verdict\": \"not-proved\""), v);

        // one proof with a flipped byte: that row is rejected with a reason, the others accepted, exit 1
        Path tampered = dir.resolve("tampered");
        SparkSession spark = Sessions.create("verify-job-test", "local[2]");
        try {
            Dataset<Row> df = spark.read().parquet(proofs.resolve("proofs").toString());
            List<Row> rows = new java.util.ArrayList<>();
            for (Row r : df.collectAsList()) {
                Object[] vals = new Object[r.size()];
                for (int i = 0; i < vals.length; i++) {
                    vals[i] = r.get(i);
                }
                if ("r2".equals(r.getAs("id"))) {
                    byte[] p = ((byte[]) r.getAs("proof")).clone();
                    p[p.length / 2] ^= 0x10;
                    vals[r.fieldIndex("proof")] = p;
                }
                rows.add(RowFactory.create(vals));
            }
            spark.createDataFrame(rows, df.schema()).write().parquet(tampered.resolve("proofs").toString());
            List<VerdictsTable.Row> out = VerifyJob.run(spark, tampered.toString(), Files.readAllBytes(commitment),
                    dir.resolve("verdicts-tampered").toString(), 3);
            Map<String, VerdictsTable.Row> byId = new TreeMap<>();
            out.forEach(r -> byId.put(String.valueOf(r.id()), r));
            assertEquals(VerifyJob.ACCEPTED, byId.get("r1").verdict());
            assertEquals(VerifyJob.REJECTED, byId.get("r2").verdict());
            assertFalse(byId.get("r2").reason().isBlank());
            assertEquals(VerifyJob.ACCEPTED, byId.get("r3").verdict());
        } finally {
            spark.stop();
        }

        // the same model committed with another key is another commitment: every proof is rejected
        Path other = dir.resolve("other.commit");
        assertEquals(0, MainTestAccess.run("commit-model", "--model", model.toString(), "--out", other.toString()));
        assertEquals(1, MainTestAccess.run("verify-job", "--master", "local[2]", "--commitment", other.toString(), "--proofs",
                proofs.toString(), "--out", dir.resolve("verdicts-other").toString()));
        String o = Files.readString(dir.resolve("verdicts-other/verdicts.json"));
        for (String id : GOOD) {
            assertTrue(o.contains("{\"id\": \"" + id + "\", \"verdict\": \"rejected\""), o);
        }
        // not a proofs table: one-line bad input, nothing written
        assertEquals(2, MainTestAccess.run("verify-job", "--master", "local[2]", "--commitment", commitment.toString(), "--proofs",
                dir.resolve("missing").toString(), "--out", dir.resolve("verdicts-missing").toString()));
        assertFalse(Files.exists(dir.resolve("verdicts-missing")));
    }

    @Test
    void pipelineCommandProvesEachDaysNewRequestsOnceWithTheRealProver() throws Exception {
        Path in = dir.resolve("pipeline-in");
        Path out = dir.resolve("pipeline-out");
        Files.createDirectories(in.resolve("date=2026-11-30"));
        Files.writeString(in.resolve("date=2026-11-30/part-0.jsonl"),
                "{\"id\": \"d1\", \"prompt_tokens\": [3, 4], \"max_new_tokens\": 2}\n"
                        + "{\"id\": \"d1-bad\", \"prompt_tokens\": [], \"max_new_tokens\": 2}\n");
        String[] base = {"pipeline", "--master", "local[2]", "--model", model.toString(), "--commitment", commitment.toString(),
            "--input", in.toString(), "--output", out.toString(), "--seed", SEED};
        assertEquals(0, MainTestAccess.run(concat(base, "--run-id", "run1")));
        String m1 = Files.readString(out.resolve("runs/run1/manifest.json"));
        assertTrue(m1.contains("\"proved\": 1") && m1.contains("\"failed\": 1") && m1.contains("empty prompt"), m1);
        assertTrue(Files.exists(out.resolve("runs/run1/files/d1.proof")));
        assertArrayEquals(Files.readAllBytes(commitment), Files.readAllBytes(out.resolve("runs/run1/model.commit")));

        // the next day's partition arrives: only its request is proved, nothing twice
        Files.createDirectories(in.resolve("date=2026-12-01"));
        Files.writeString(in.resolve("date=2026-12-01/part-0.jsonl"), "{\"id\": \"d2\", \"prompt_tokens\": [6], \"max_new_tokens\": 3}\n");
        assertEquals(0, MainTestAccess.run(concat(base, "--run-id", "run2")));
        String m2 = Files.readString(out.resolve("runs/run2/manifest.json"));
        assertTrue(m2.contains("\"already_done\": 2") && m2.contains("\"attempted\": 1") && m2.contains("\"proved\": 1"), m2);
        assertTrue(Files.exists(out.resolve("runs/run2/files/d2.proof")));
        assertFalse(Files.exists(out.resolve("runs/run2/files/d1.proof")));

        // the standalone verifier accepts the pipeline's proofs
        assertEquals(0, MainTestAccess.run("verify-job", "--master", "local[2]", "--commitment", commitment.toString(), "--proofs",
                out.resolve("runs/run2").toString(), "--out", dir.resolve("pipeline-verdicts").toString()));
        assertTrue(Files.readString(dir.resolve("pipeline-verdicts/verdicts.json")).contains("{\"id\": \"d2\", \"verdict\": \"accepted\""));
        // a bad --date is refused before Spark starts
        assertEquals(2, MainTestAccess.run(concat(base, "--run-id", "run3", "--date", "yesterday")));
        assertFalse(Files.exists(out.resolve("runs/run3")));
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
