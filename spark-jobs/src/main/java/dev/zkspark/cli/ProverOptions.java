package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.jobs.InferenceRequestProver;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The model, commitment, key and seed options of the Spark proving commands (prove-job, pipeline):
 * what an executor needs to prove requests against a published commitment.
 */
final class ProverOptions {
    @Option(names = "--model", description = "checkpoint readable on every executor (default: the bundled model)")
    Path model;

    @Option(names = "--tokenizer", description = "its tokenizer (default: tokenizer.json or tokenizer.bin next to --model; "
            + "without one, requests must give prompt_tokens)")
    Path tokenizer;

    @Option(names = "--commitment", required = true, description = "the model commitment (from commit-model)")
    Path commitment;

    @Option(names = "--key", description = "the commitment key (default: COMMITMENT.key)")
    Path key;

    @Option(names = "--seed", description = "prover seed, hex (default: fresh randomness from the JDK DRBG); with the same seed, "
            + "every proof's bytes are reproducible")
    String seedHex;

    @Option(names = "--no-zk", description = "plain proofs: sound, but they reveal evaluations of the witness and the weights "
            + "(for benchmarks; recorded in each proof)")
    boolean noZk;

    @Option(names = "--chunks", description = "the model's chunk table (commit-job --chunks; readable on every executor): executors "
            + "load the commitment's codewords from it instead of encoding the model again")
    String chunks;

    /** The public commitment's bytes, checked to parse. */
    byte[] commitmentBytes() {
        byte[] b = ModelOptions.readFile(commitment, 64L << 20, "model commitment");
        ProveCommand.readCommitment(commitment);
        return b;
    }

    /** Validates every input on the driver, before Spark starts, and builds the executors' prover. */
    InferenceRequestProver prover(byte[] commitmentBytes) {
        Path keyFile = key != null ? key : commitment.resolveSibling(commitment.getFileName() + ".key");
        byte[] modelKey = CommitModelCommand.readKey(keyFile);
        byte[] seed = seedHex == null ? CommitModelCommand.freshKey() : ProveCommand.parseSeed(seedHex);
        if (model != null && !Files.exists(model)) {
            throw ZksparkException.badInput(model + ": no such file or directory");
        }
        InferenceRequestProver p = new InferenceRequestProver(model == null ? null : abs(model), tokenizerPath(), commitmentBytes,
                modelKey, seed);
        if (chunks != null) {
            p = p.withChunks(chunkTable(chunks));
        }
        return noZk ? p.withoutZeroKnowledge() : p;
    }

    /** A chunk table's location for the executors: a URI as given, a local path made absolute and checked. */
    private static String chunkTable(String dir) {
        if (dir.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return dir;
        }
        Path p = Path.of(dir);
        if (!Files.isRegularFile(p.resolve("chunks.json"))) {
            throw ZksparkException.badInput(dir + ": not a chunk table (no chunks.json; write one with commit-job --chunks)");
        }
        return abs(p);
    }

    private String tokenizerPath() {
        if (model == null) {
            if (tokenizer != null) {
                throw ZksparkException.badInput("--tokenizer needs --model (the bundled model has its own tokenizer)");
            }
            return null;
        }
        if (tokenizer != null) {
            if (!Files.isRegularFile(tokenizer)) {
                throw ZksparkException.badInput(tokenizer + ": no such file");
            }
            return abs(tokenizer);
        }
        Path found = dev.zkspark.datasets.tokenizer.Tokenizers.findNextTo(model);
        if (found != null) {
            return abs(found);
        }
        System.out.println("note: no tokenizer next to " + model + ": requests must give prompt_tokens");
        return null;
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }
}
