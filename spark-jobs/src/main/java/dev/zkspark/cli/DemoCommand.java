package dev.zkspark.cli;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.Verdict;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.proof.ProofFile;
import dev.zkspark.spark.Sessions;
import dev.zkspark.spark.demo.EmbeddingDemo;
import dev.zkspark.spark.io.Json;
import dev.zkspark.transcript.Hash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark demo}: the main job on the embedded default (Spark local mode, bundled model).
 * Today it proves the first step of the statement for every bundled prompt (see {@link EmbeddingDemo});
 * the full-inference proof is issue 6, and the command says so in its output.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Commit the bundled model, run the bundled prompts on Spark local mode, prove and verify "
                + "what zkspark proves today (the prompt's embedding rows against the committed model).")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", description = "output directory (replaced atomically; default: ${DEFAULT-VALUE})")
    Path out = Paths.get("zkspark-out", "demo");

    @Option(names = "--master", description = "Spark master (default: local[*])")
    String master;

    @Option(names = "--prompts", description = "use the first N bundled prompts (default: all)")
    Integer limit;

    @Option(names = "--max-new-tokens", description = "override each prompt's max_new_tokens")
    Integer maxNew;

    @Option(names = "--seed", description = "prover seed, hex (default: a fixed demo seed, so runs are reproducible)")
    String seedHex = "7a6b737061726b2d64656d6f2d73656564";

    @Override
    public Integer call() {
        byte[] seed;
        try {
            seed = HexFormat.of().parseHex(seedHex);
        } catch (IllegalArgumentException e) {
            throw ZksparkException.badInput("--seed must be hexadecimal");
        }
        if (seed.length < 16) {
            throw ZksparkException.badInput("--seed needs at least 16 bytes (32 hex digits)");
        }
        List<Bundled.PromptSpec> prompts = Bundled.prompts();
        if (limit != null) {
            if (limit < 1) {
                throw ZksparkException.badInput("--prompts must be at least 1");
            }
            prompts = prompts.subList(0, Math.min(limit, prompts.size()));
        }
        if (maxNew != null && maxNew < 0) {
            throw ZksparkException.badInput("--max-new-tokens must be at least 0");
        }
        System.out.println("zkspark demo: bundled model (Devil's Dictionary Llama, 0.8M parameters), "
                + prompts.size() + " prompts, Spark " + (master == null ? "local[*]" : master));
        long t0 = System.nanoTime();
        Checkpoint ck = Bundled.model();
        long[] embed = EmbeddingDemo.quantizedEmbedding(ck);
        TensorCodePcs.Committed mc = TensorCodePcs.commit(List.of(new TensorCodePcs.Tensor("model.embed_tokens", embed)), seed);
        byte[] digest = mc.commitment().digest();
        System.out.printf(Locale.ROOT, "model commitment %s (%d weights at scale 2^%d, %.0f ms)%n",
                HexFormat.of().formatHex(digest).substring(0, 16), embed.length, EmbeddingDemo.SCALE_BITS, (System.nanoTime() - t0) / 1e6);

        SparkSession spark = Sessions.create("zkspark-demo", master);
        List<EmbeddingDemo.RequestProof> reqs;
        try (Progress bar = Progress.start("proving requests", prompts.size())) {
            int n = prompts.size();
            Integer mn = maxNew;
            List<EmbeddingDemo.RequestProof> got = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(prompts, Math.max(1, Math.min(n, 8)))
                    .map(p -> EmbeddingDemo.proveRequest(p.id(), p.prompt(), mn == null ? p.maxNewTokens() : mn, digest, seed))
                    .collect();
            bar.advance(n);
            reqs = new ArrayList<>(got);
        } finally {
            spark.stop();
        }
        reqs.sort(Comparator.comparing(EmbeddingDemo.RequestProof::id));
        byte[] modelOpening = EmbeddingDemo.openModel(mc, reqs);
        long tv = System.nanoTime();
        Verdict v = EmbeddingDemo.verify(mc.commitment(), ck.config().vocab(), ck.config().dim(), reqs, modelOpening);
        double verifyMs = (System.nanoTime() - tv) / 1e6;

        System.out.printf("%-16s %6s %6s %10s %9s  %s%n", "request", "prompt", "new", "proof B", "prove ms", "text (prompt + float-model continuation)");
        long total = modelOpening.length;
        for (EmbeddingDemo.RequestProof r : reqs) {
            long bytes = r.selection().length + r.witnessCommitment().length + r.witnessOpening().length;
            total += bytes;
            String text = r.text().replace('\n', ' ');
            System.out.printf(Locale.ROOT, "%-16s %6d %6d %10d %9.0f  %s%n", r.id(), r.prompt().length, r.generated().length,
                    bytes, r.proveMs(), text.length() > 70 ? text.substring(0, 67) + "..." : text);
        }
        System.out.printf(Locale.ROOT, "model opening (all requests): %d bytes; total proof bytes: %d; verify %.0f ms%n",
                modelOpening.length, total, verifyMs);
        System.out.println("proved: each request's input rows are the committed model's embedding rows of its prompt tokens");
        System.out.println("not yet proved (issue 6): the transformer layers, the logits and the greedy choice of the generated tokens");
        writeOutputs(mc, reqs, modelOpening, v, verifyMs);
        System.out.println("verdict: " + v);
        System.out.println("files: " + out.toAbsolutePath());
        return v.isAccepted() ? 0 : ZksparkException.Code.REJECTED.exitStatus;
    }

    private void writeOutputs(TensorCodePcs.Committed mc, List<EmbeddingDemo.RequestProof> reqs, byte[] modelOpening,
            Verdict v, double verifyMs) {
        Path abs = out.toAbsolutePath();
        Path staging = abs.resolveSibling("." + abs.getFileName() + ".staging");
        try {
            Files.createDirectories(abs.getParent());
            deleteTree(staging);
            Files.createDirectories(staging);
            Files.write(staging.resolve("model.commit"), mc.commitment().toBytes());
            ByteSink statement = new ByteSink().bytes(mc.commitment().digest()).u32(reqs.size());
            List<ProofFile.Section> sections = new ArrayList<>();
            StringBuilder json = new StringBuilder("{\n  \"verdict\": " + Json.quote(v.toString()) + ",\n");
            json.append(String.format(Locale.ROOT, "  \"verify_ms\": %.1f,%n  \"model_opening_bytes\": %d,%n  \"requests\": [%n",
                    verifyMs, modelOpening.length));
            for (int i = 0; i < reqs.size(); i++) {
                EmbeddingDemo.RequestProof r = reqs.get(i);
                statement.utf8(r.id()).u32(r.prompt().length);
                for (int t : r.prompt()) {
                    statement.u32(t);
                }
                statement.u32(r.generated().length);
                for (int t : r.generated()) {
                    statement.u32(t);
                }
                sections.add(new ProofFile.Section(r.id() + "/witness-commitment", -1, r.witnessCommitment()));
                sections.add(new ProofFile.Section(r.id() + "/embedding-selection", -1, r.selection()));
                sections.add(new ProofFile.Section(r.id() + "/input-claim", -1, r.onX0Point()));
                sections.add(new ProofFile.Section(r.id() + "/witness-opening", -1, r.witnessOpening()));
                sections.add(new ProofFile.Section(r.id() + "/embedding-claim", -1, r.onEmbedding()));
                json.append(String.format(Locale.ROOT,
                        "    {\"id\": %s, \"prompt_tokens\": %d, \"generated_tokens\": %d, \"text\": %s, \"proof_bytes\": %d, \"prove_ms\": %.1f}%s%n",
                        Json.quote(r.id()), r.prompt().length, r.generated().length, Json.quote(r.text()),
                        r.selection().length + r.witnessCommitment().length + r.witnessOpening().length, r.proveMs(),
                        i + 1 < reqs.size() ? "," : ""));
            }
            sections.add(new ProofFile.Section("model-opening", -1, modelOpening));
            json.append("  ]\n}\n");
            Files.write(staging.resolve("demo.proof"),
                    new ProofFile(Hash.SHA256, 0, statement.toByteArray(), sections).toBytes());
            Files.writeString(staging.resolve("summary.json"), json.toString(), StandardCharsets.UTF_8);
            Path old = abs.resolveSibling("." + abs.getFileName() + ".old");
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
