package dev.zkspark.spark.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.model.QuantParams;
import dev.zkspark.proof.InferenceVerifier;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.ProofFile;
import dev.zkspark.proof.Statement;
import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.RequestSpec;
import dev.zkspark.spark.jobs.InferenceRequestProver;
import dev.zkspark.spark.jobs.RequestProver;
import dev.zkspark.transcript.Hash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * The main job ({@code bin/zkspark demo}): commits the bundled model, proves whole inferences of the
 * bundled prompts as Spark tasks (one request per task, {@link InferenceRequestProver}), verifies
 * every proof on the driver from bytes alone, and writes the results. Each step is a function the
 * CLI calls in turn and a test can call without the CLI.
 *
 * <p>Everything derives from one demo seed, so two runs with the same seed write identical
 * commitment and proof bytes. The commitment key derived from it is a <em>demo key</em>: anyone
 * with the seed can recompute it, so the demo's commitment does not hide the weights (the bundled
 * weights are public anyway); {@code commit-model} makes a secret random key.
 */
public final class DemoJob {
    /** What every proof of the demo states (DESIGN §1). */
    public static final String STATEMENT = "the committed model, run in zkspark's fixed-point arithmetic with greedy decoding, "
            + "generated exactly these tokens from the prompt";
    public static final String KEY_LABEL = "demo key derived from --seed (reproducible, so the commitment is not hiding; "
            + "commit-model makes a secret key)";

    private DemoJob() {}

    /** The demo's commitment key: SHA-256 of a label and the seed (a demo key, not a secret one). */
    public static byte[] commitmentKey(byte[] seed) {
        return Hash.SHA256.digest("zkspark-demo/commitment-key".getBytes(StandardCharsets.UTF_8), seed);
    }

    /** The job's prover seed (each request's own is derived from it and the request id). */
    public static byte[] proverSeed(byte[] seed) {
        return Hash.SHA256.digest("zkspark-demo/prover-seed".getBytes(StandardCharsets.UTF_8), seed);
    }

    /** The first {@code prompts} bundled prompts, each generating at most {@code maxNewTokens}. */
    public static List<RequestSpec> requests(int prompts, int maxNewTokens) {
        List<Bundled.PromptSpec> all = Bundled.prompts();
        if (prompts < 1 || prompts > all.size()) {
            throw ZksparkException.badInput("--prompts must be between 1 and " + all.size() + " (the bundled prompt set)");
        }
        if (maxNewTokens < 1) {
            throw ZksparkException.badInput("--max-new-tokens must be at least 1 (a statement needs a generated token)");
        }
        List<RequestSpec> out = new ArrayList<>();
        for (Bundled.PromptSpec p : all.subList(0, prompts)) {
            out.add(new RequestSpec(p.id(), p.prompt(), null, maxNewTokens));
        }
        return out;
    }

    /** Quantizes, pads and commits the bundled model with the demo key (shared with local-mode executors). */
    public static ModelCommitment commit(byte[] seed) {
        return InferenceRequestProver.commitModel(null, null, QuantParams.DEFAULT, commitmentKey(seed));
    }

    /**
     * Proves every request as its own Spark task and returns the records sorted by id;
     * {@code onTaskEnd} runs (on Spark's listener thread) as each task finishes. A request that
     * could not be proved is INTERNAL here: the bundled prompts are always provable.
     */
    public static List<ProofRecord> prove(SparkSession spark, ModelCommitment mc, byte[] seed, List<RequestSpec> requests,
            Runnable onTaskEnd) {
        RequestProver prover = new InferenceRequestProver(mc.toBytes(), commitmentKey(seed), proverSeed(seed));
        SparkListener progress = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                onTaskEnd.run();
            }
        };
        spark.sparkContext().addSparkListener(progress);
        List<ProofRecord> records;
        try {
            records = new ArrayList<>(JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(requests, requests.size())
                    .map(prover::prove)
                    .collect());
        } catch (ZksparkException e) {
            throw e;
        } catch (Exception e) {
            // a task crashed beyond Spark's retries (Spark rethrows its checked SparkException)
            String m = String.valueOf(e.getMessage());
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "the proving job failed: "
                    + (m.indexOf('\n') < 0 ? m : m.substring(0, m.indexOf('\n'))), e);
        } finally {
            spark.sparkContext().removeSparkListener(progress);
        }
        records.sort(Comparator.comparing(ProofRecord::id));
        for (ProofRecord r : records) {
            if (!r.isProved()) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "request " + r.id() + " was not proved: " + r.error());
            }
        }
        return records;
    }

    /** A request's proof as the verifier saw it. */
    public record Verified(ProofRecord record, Verdict verdict, double verifyMs) {}

    /**
     * The verifier's side, from bytes only: parses the published commitment, rebuilds each
     * statement from the claimed prompt and generated token ids, and checks the proof bytes against
     * it (no prover state, no model, no Spark).
     */
    public static List<Verified> verify(byte[] commitmentBytes, List<ProofRecord> records) {
        ModelCommitment mc;
        try {
            mc = ModelCommitment.parse(commitmentBytes);
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput("model commitment: " + e.getMessage());
        }
        List<Verified> out = new ArrayList<>();
        for (ProofRecord r : records) {
            Statement st = new Statement(mc.digest(), mc.params().digest(), r.promptTokens(), r.generatedTokens());
            long t0 = System.nanoTime();
            Verdict v = InferenceVerifier.verify(mc, st, r.proof());
            out.add(new Verified(r, v.within(r.id()), (System.nanoTime() - t0) / 1e6));
        }
        return out;
    }

    /** The first rejection, or accepted. */
    public static Verdict verdict(List<Verified> verified) {
        for (Verified v : verified) {
            if (!v.verdict().isAccepted()) {
                return v.verdict();
            }
        }
        return Verdict.accept();
    }

    /** Whether the proofs claim zero knowledge (the container's flag). */
    public static boolean zeroKnowledge(List<Verified> verified) {
        try {
            for (Verified v : verified) {
                if (!ProofFile.parse(v.record().proof()).zeroKnowledge()) {
                    return false;
                }
            }
            return !verified.isEmpty();
        } catch (MalformedInputException e) {
            return false;
        }
    }

    /** Run-level facts for summary.json (model, master, timings), in the order given. */
    public record RunInfo(String master, double commitMs, double sparkSeconds, double wallSeconds) {}

    /**
     * Writes {@code model.commit}, {@code <id>.proof} per request and {@code summary.json} into a
     * hidden sibling directory, then renames it over {@code out}, so {@code out} is always a
     * complete run (the previous one until the rename).
     */
    public static void write(Path out, byte[] commitmentBytes, List<Verified> verified, RunInfo run) {
        Path abs = out.toAbsolutePath().normalize();
        Path staging = abs.resolveSibling("." + abs.getFileName() + ".staging");
        Path old = abs.resolveSibling("." + abs.getFileName() + ".old");
        try {
            Files.createDirectories(abs.getParent());
            deleteTree(staging);
            Files.createDirectories(staging);
            Files.write(staging.resolve("model.commit"), commitmentBytes);
            for (Verified v : verified) {
                Files.write(staging.resolve(v.record().id() + ".proof"), v.record().proof());
            }
            Files.writeString(staging.resolve("summary.json"), summaryJson(commitmentBytes, verified, run), StandardCharsets.UTF_8);
            deleteTree(old);
            if (Files.exists(abs)) {
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw ZksparkException.badInput(abs + ": cannot write the demo output (" + e.getMessage() + ")");
        }
    }

    static String summaryJson(byte[] commitmentBytes, List<Verified> verified, RunInfo run) {
        ModelCommitment mc;
        try {
            mc = ModelCommitment.parse(commitmentBytes);
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput("model commitment: " + e.getMessage());
        }
        Tokenizer tok = Bundled.tokenizer();
        Verdict verdict = verdict(verified);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("verdict", verdict.isAccepted() ? "accepted" : "rejected");
        o.put("reason", verdict.isAccepted() ? null : verdict.reason());
        o.put("statement", STATEMENT);
        o.put("zero_knowledge", zeroKnowledge(verified));
        o.put("model", "bundled");
        o.put("model_digest", HexFormat.of().formatHex(mc.digest()));
        o.put("quantization", mc.params().describe());
        o.put("commitment_key", KEY_LABEL);
        o.put("spark_master", run.master());
        List<Map<String, Object>> rows = new ArrayList<>();
        long promptTokens = 0, generatedTokens = 0, proofBytes = 0;
        double witnessMs = 0, proveMs = 0, verifyMs = 0;
        for (Verified v : verified) {
            ProofRecord r = v.record();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("prompt", tok.decode(r.promptTokens()));
            row.put("generated_text", r.generatedText());
            row.put("prompt_tokens", r.promptTokens().length);
            row.put("generated_tokens", r.generatedTokens().length);
            row.put("prompt_ids", r.promptTokens());
            row.put("generated_ids", r.generatedTokens());
            row.put("proof_file", r.id() + ".proof");
            row.put("proof_bytes", r.proofBytes());
            row.put("witness_ms", round1(r.witnessMs()));
            row.put("prove_ms", round1(r.proveMs()));
            row.put("verify_ms", round1(v.verifyMs()));
            row.put("verdict", v.verdict().isAccepted() ? "accepted" : "rejected");
            row.put("reason", v.verdict().isAccepted() ? null : v.verdict().reason());
            rows.add(row);
            promptTokens += r.promptTokens().length;
            generatedTokens += r.generatedTokens().length;
            proofBytes += r.proofBytes();
            witnessMs += r.witnessMs();
            proveMs += r.proveMs();
            verifyMs += v.verifyMs();
        }
        o.put("requests", rows);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("requests", verified.size());
        totals.put("prompt_tokens", promptTokens);
        totals.put("generated_tokens", generatedTokens);
        totals.put("proof_bytes", proofBytes);
        totals.put("model_commitment_bytes", commitmentBytes.length);
        totals.put("commit_ms", round1(run.commitMs()));
        totals.put("witness_ms", round1(witnessMs));
        totals.put("prove_ms", round1(proveMs));
        totals.put("verify_ms", round1(verifyMs));
        totals.put("spark_job_seconds", round1(run.sparkSeconds()));
        totals.put("wall_seconds", round1(run.wallSeconds()));
        o.put("totals", totals);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "cannot write summary.json: " + e.getMessage(), e);
        }
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
