package dev.zkspark.cli;

import dev.zkspark.core.Verdict;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.spark.Sessions;
import dev.zkspark.spark.demo.DemoJob;
import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.RequestSpec;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark demo}: the main job on the embedded default (Spark local mode, bundled model).
 * Proves whole inferences of the first bundled prompts, one request per Spark task, and verifies
 * every proof from bytes on the driver (see {@link DemoJob}). The defaults (4 prompts, 8 new tokens)
 * finish in about a minute on 2 cores: one whole proof of the bundled model takes 10-14 s.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Commit the bundled model, generate from the bundled prompts and prove each whole inference "
                + "as a Spark task (local mode by default), then verify every proof from bytes.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", description = "output directory (replaced atomically; default: ${DEFAULT-VALUE})")
    Path out = Paths.get("zkspark-out", "demo");

    @Option(names = "--master", description = "Spark master (default: local[*])")
    String master;

    @Option(names = "--prompts", description = "prove the first N bundled prompts, 1 to 12 (default: ${DEFAULT-VALUE}; "
            + "a proof takes 10-14 s of one core's time per request)")
    int prompts = 4;

    @Option(names = "--max-new-tokens", description = "generate at most K tokens per prompt (default: ${DEFAULT-VALUE})")
    int maxNew = 8;

    @Option(names = "--seed", description = "demo seed, hex: derives the (demo) commitment key and the prover seed, so "
            + "runs with the same seed write identical bytes (default: a fixed demo seed)")
    String seedHex = "7a6b737061726b2d64656d6f2d73656564";

    @Override
    public Integer call() {
        long wall = System.nanoTime();
        byte[] seed = ProveCommand.parseSeed(seedHex);
        List<RequestSpec> requests = DemoJob.requests(prompts, maxNew);
        // spark-submit passes its --master as the spark.master system property
        String sparkMaster = master != null ? master : new org.apache.spark.SparkConf(true).get("spark.master", "local[*]");
        System.out.printf(Locale.ROOT, "zkspark demo: bundled model (Devil's Dictionary Llama, %.1fM parameters), %d prompts, "
                + "up to %d new tokens each, Spark %s%n", Bundled.model().config().parameterCount() / 1e6, requests.size(), maxNew,
                sparkMaster);

        long t0 = System.nanoTime();
        ModelCommitment mc = DemoJob.commit(seed);
        byte[] commitment = mc.toBytes();
        double commitMs = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "model commitment %s (%d bytes, %s; %.0f ms)%n",
                HexFormat.of().formatHex(mc.digest()).substring(0, 16), commitment.length, mc.params().describe(), commitMs);
        System.out.println("commitment key: " + DemoJob.KEY_LABEL);

        SparkSession spark = Sessions.create("zkspark-demo", master);
        List<ProofRecord> records;
        double sparkSeconds;
        t0 = System.nanoTime();
        try (Progress bar = Progress.start("proving requests", requests.size())) {
            records = DemoJob.prove(spark, mc, seed, requests, () -> bar.advance(1));
        } finally {
            spark.stop();
        }
        sparkSeconds = (System.nanoTime() - t0) / 1e9;

        // the verifier's side: the published commitment bytes and each proof's bytes, nothing else
        List<DemoJob.Verified> verified = DemoJob.verify(commitment, records);
        Verdict verdict = DemoJob.verdict(verified);
        printTable(verified, sparkSeconds);
        DemoJob.write(out, commitment, verified,
                new DemoJob.RunInfo(sparkMaster, commitMs, sparkSeconds, (System.nanoTime() - wall) / 1e9));
        System.out.println("proved: " + DemoJob.STATEMENT);
        System.out.println(DemoJob.zeroKnowledge(verified)
                ? "zero knowledge (zk: true, docs/ZK.md): the proofs reveal nothing about weights or activations beyond the statements"
                        + " (with a secret commitment key; the demo key above is derivable)"
                : "note: plain proofs (zk: false): sound, but they reveal evaluations of the weights and activations");
        System.out.println("files: " + out.toAbsolutePath().normalize()
                + " (model.commit, <request>.proof, summary.json; check one with bin/zkspark verify)");
        if (!verdict.isAccepted()) {
            System.out.println("verdict: rejected");
            throw new ZksparkException(ZksparkException.Code.REJECTED, "proof rejected: " + verdict.reason());
        }
        System.out.println("verdict: accepted");
        return 0;
    }

    private static void printTable(List<DemoJob.Verified> verified, double sparkSeconds) {
        Tokenizer tok = Bundled.tokenizer();
        System.out.printf("%-16s %6s %4s %9s %9s %9s  %s%n", "request", "prompt", "new", "proof B", "prove ms", "verify ms",
                "text: prompt [generated, proved]");
        long bytes = 0;
        double proveMs = 0, verifyMs = 0;
        for (DemoJob.Verified v : verified) {
            ProofRecord r = v.record();
            String text = (tok.decode(r.promptTokens()) + " [" + r.generatedText() + "]").replace('\n', ' ');
            System.out.printf(Locale.ROOT, "%-16s %6d %4d %9d %9.0f %9.0f  %s%n", r.id(), r.promptTokens().length,
                    r.generatedTokens().length, r.proofBytes(), r.proveMs(), v.verifyMs(),
                    text.length() > 90 ? text.substring(0, 87) + "..." : text);
            bytes += r.proofBytes();
            proveMs += r.proveMs();
            verifyMs += v.verifyMs();
        }
        System.out.printf(Locale.ROOT, "total: %d proofs, %d bytes; proving %.1f s of task time in a %.1f s Spark job; "
                + "verifying %.1f s on the driver%n", verified.size(), bytes, proveMs / 1e3, sparkSeconds, verifyMs / 1e3);
    }
}
