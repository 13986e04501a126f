package dev.zkspark.cli;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.proof.Envelope;
import dev.zkspark.proof.InferenceVerifier;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.ProofFile;
import dev.zkspark.proof.Statement;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark verify}: checks a proof (bare or in a signed envelope) against a model
 * commitment (no model, no Spark). Exit 0 accepted, 1 rejected (the reason on one line), 2 unusable
 * input.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a proof against a model commitment: exit 0 accepted, 1 rejected, 2 unusable input.")
final class VerifyCommand implements Runnable {
    @Option(names = "--commitment", required = true, description = "the model commitment")
    Path commitment;

    @Option(names = "--proof", required = true, description = "the proof file (bare or a signed envelope)")
    Path proof;

    @Option(names = "--trusted-key", description = "require a signed envelope from this Ed25519 public key (from keygen)")
    Path trustedKey;

    @Option(names = "--show-text", description = "decode the statement's tokens (with --tokenizer, or the bundled tokenizer)")
    boolean showText;

    @Option(names = "--json", description = "one JSON object on stdout (verdict, reason, statement sizes, timing, signer)")
    boolean json;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Override
    public void run() {
        ModelCommitment mc = ProveCommand.readCommitment(commitment);
        byte[] trusted = trustedKey == null ? null : KeygenCommand.readKey(trustedKey, "public key");
        byte[] bytes = ModelOptions.readFile(proof, ProofFile.MAX_BYTES + 1024L, "proof");
        String signer = null;
        Verdict v = Verdict.accept();
        Statement st;
        try {
            if (Envelope.isEnvelope(bytes)) {
                Envelope env = Envelope.parse(bytes);
                signer = HexFormat.of().formatHex(env.publicKey());
                if (!env.signatureValid()) {
                    v = Verdict.reject("the envelope's signature is invalid");
                } else if (trusted != null && !java.util.Arrays.equals(trusted, env.publicKey())) {
                    v = Verdict.reject("the proof is signed by " + signer + ", not by the trusted key");
                }
                bytes = env.proof();
            } else if (trusted != null) {
                v = Verdict.reject("the proof is not signed, but --trusted-key requires a signature");
            }
            st = Statement.parse(ProofFile.parse(bytes).statement());
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput(proof + ": " + e.getMessage());
        }
        long t0 = System.nanoTime();
        if (v.isAccepted()) {
            v = InferenceVerifier.verify(mc, st, bytes);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("verdict", v.isAccepted() ? "accepted" : "rejected");
            o.put("reason", v.isAccepted() ? null : v.reason());
            o.put("prompt_tokens", st.prompt().length);
            o.put("generated_tokens", st.generated().length);
            o.put("proof_bytes", bytes.length);
            o.put("verify_ms", Math.round(ms * 10) / 10.0);
            o.put("signed_by", signer);
            o.put("model_digest", HexFormat.of().formatHex(st.modelDigest()));
            try {
                System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
            }
        } else {
            System.out.printf("statement: %d prompt tokens, %d generated tokens, greedy decoding%n", st.prompt().length,
                    st.generated().length);
            if (showText) {
                Tokenizer tok = model.tokenizer();
                System.out.printf("prompt: %s%ngenerated: %s%n", tok.decode(st.prompt()), tok.decode(st.generated()));
            }
            if (signer != null) {
                System.out.printf("signed by: %s%s%n", signer, trusted == null ? " (no --trusted-key given: not checked against one)" : "");
            }
            System.out.printf("verify: %.1f ms, proof %d bytes%n", ms, bytes.length);
        }
        if (!v.isAccepted()) {
            throw new ZksparkException(ZksparkException.Code.REJECTED, "proof rejected: " + v.reason());
        }
        if (!json) {
            System.out.println("verdict: accepted");
        }
    }
}
