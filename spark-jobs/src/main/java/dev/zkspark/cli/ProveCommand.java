package dev.zkspark.cli;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.AtomicFile;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.proof.InferenceProver;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.ProofFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark prove}: generates greedily with the committed model's fixed-point arithmetic and
 * writes a proof that the committed model generates exactly that output from the prompt.
 */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = "Generate a continuation of a prompt and prove it came from the committed model.")
final class ProveCommand implements Runnable {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--commitment", required = true, description = "the model commitment (from commit-model)")
    Path commitment;

    @Option(names = "--key", description = "the commitment key (default: COMMITMENT.key)")
    Path key;

    @Option(names = "--prompt", required = true, description = "prompt text")
    String prompt;

    @Option(names = "--max-new-tokens", required = true, description = "generate at most this many tokens (stops at end of text)")
    int maxNew;

    @Option(names = "--out", required = true, description = "the proof file to write")
    Path out;

    @Option(names = "--seed", description = "prover seed, hex (default: fresh randomness from the JDK DRBG)")
    String seedHex;

    @Option(names = "--no-zk", description = "a plain proof: sound, but it reveals evaluations of the witness and the weights "
            + "(for benchmarks; recorded in the proof: inspect shows zk: false)")
    boolean noZk;

    @Option(names = "--json", description = "print one JSON object (prompt and generated ids and text, proof file and size, timings) instead of the text")
    boolean json;

    @Option(names = "--sign-key", description = "sign the proof with this Ed25519 secret key (from keygen): writes a signed envelope")
    Path signKey;

    @Override
    public void run() {
        if (maxNew < 1) {
            throw ZksparkException.badInput("--max-new-tokens must be at least 1");
        }
        byte[] signingKey = signKey == null ? null : KeygenCommand.readKey(signKey, "secret key");
        if (prompt.isEmpty()) {
            throw ZksparkException.badInput("--prompt is empty");
        }
        ModelCommitment mc = readCommitment(commitment);
        Path keyFile = key != null ? key : commitment.resolveSibling(commitment.getFileName() + ".key");
        byte[] modelKey = CommitModelCommand.readKey(keyFile);
        long t0 = System.nanoTime();
        QuantizedModel qm = QuantizedModel.quantize(model.checkpoint(), mc.params()).forProof();
        ModelCommitment.Made made = ModelCommitment.commit(qm, modelKey, mc.zkBudget());
        if (!Arrays.equals(made.commitment().digest(), mc.digest())) {
            throw ZksparkException.badInput(commitment + ": this commitment was not made from " + model.describe()
                    + " with key " + keyFile + made.commitment().layoutNote(mc));
        }
        double commitMs = (System.nanoTime() - t0) / 1e6;
        Tokenizer tok = model.tokenizer();
        int[] ids = tok.encode(prompt, true);
        if (ids.length >= qm.config().maxSeq()) {
            throw ZksparkException.badInput("the prompt has " + ids.length + " tokens; the model takes at most " + (qm.config().maxSeq() - 1));
        }
        int[] all = new FixedPointForward(qm).generate(ids, maxNew, tok.eosId());
        int[] gen = Arrays.copyOfRange(all, ids.length, all.length);
        byte[] seed = seedHex == null ? CommitModelCommand.freshKey() : parseSeed(seedHex);
        InferenceProver.Proved p;
        try (Progress bar = Progress.start("proving", 0)) {
            p = InferenceProver.prove(made, qm, ids, gen, seed, !noZk, new InferenceProver.Steps() {
                @Override
                public void total(int steps) {
                    bar.grow(steps);
                }

                @Override
                public void done(String step) {
                    bar.advance(1);
                }
            });
        }
        byte[] bytes = p.proof().toBytes();
        if (signingKey != null) {
            bytes = dev.zkspark.proof.Envelope.sign(bytes, signingKey).toBytes();
        }
        AtomicFile.write(out, bytes);
        if (json) {
            Map<String, Object> o = new java.util.LinkedHashMap<>();
            o.put("prompt", prompt);
            o.put("prompt_ids", ids);
            o.put("generated_ids", gen);
            o.put("generated_text", tok.decode(gen));
            o.put("proof", out.toString());
            o.put("proof_bytes", bytes.length);
            o.put("signed", signingKey != null);
            o.put("model_digest", HexFormat.of().formatHex(mc.digest()));
            o.put("witness_elements", p.witnessElements());
            o.put("timings_ms", p.timings());
            o.put("recommit_check_ms", commitMs);
            try {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
            }
            return;
        }
        System.out.printf("prompt: %s%n", prompt);
        System.out.printf("generated (%d tokens): %s%n", gen.length, tok.decode(gen));
        System.out.printf("prompt tokens: %d, witness elements: %d%n", ids.length, p.witnessElements());
        for (Map.Entry<String, Double> e : p.timings().entrySet()) {
            System.out.printf("  %-40s %9.1f ms%n", e.getKey(), e.getValue());
        }
        System.out.printf("model re-commitment check: %.1f ms%n", commitMs);
        System.out.printf("proof: %s (%d bytes%s)%n", out, bytes.length, signingKey == null ? "" : ", signed");
    }

    static byte[] parseSeed(String hex) {
        try {
            byte[] s = HexFormat.of().parseHex(hex);
            if (s.length < 16) {
                throw ZksparkException.badInput("--seed needs at least 16 bytes (32 hex digits)");
            }
            return s;
        } catch (IllegalArgumentException e) {
            throw ZksparkException.badInput("--seed must be hexadecimal");
        }
    }

    static ModelCommitment readCommitment(Path file) {
        try {
            return ModelCommitment.parse(ModelOptions.readFile(file, 64L << 20, "model commitment"));
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput(file + ": " + e.getMessage());
        }
    }

    static ProofFile readProof(Path file) {
        try {
            return ProofFile.parse(ModelOptions.readFile(file, ProofFile.MAX_BYTES, "proof"));
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput(file + ": " + e.getMessage());
        }
    }
}
