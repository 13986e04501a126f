package dev.zkspark.cli;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.proof.InferenceVerifier;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.Statement;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark verify}: checks a proof against a model commitment (no model, no Spark). Exit
 * 0 accepted, 1 rejected (the reason on one line), 2 unusable input.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a proof against a model commitment: exit 0 accepted, 1 rejected, 2 unusable input.")
final class VerifyCommand implements Runnable {
    @Option(names = "--commitment", required = true, description = "the model commitment")
    Path commitment;

    @Option(names = "--proof", required = true, description = "the proof file")
    Path proof;

    @Option(names = "--show-text", description = "decode the statement's tokens (with --tokenizer, or the bundled tokenizer)")
    boolean showText;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Override
    public void run() {
        ModelCommitment mc = ProveCommand.readCommitment(commitment);
        byte[] bytes = ModelOptions.readFile(proof, dev.zkspark.proof.ProofFile.MAX_BYTES, "proof");
        Statement st;
        try {
            st = Statement.parse(dev.zkspark.proof.ProofFile.parse(bytes).statement());
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput(proof + ": " + e.getMessage());
        }
        long t0 = System.nanoTime();
        Verdict v = InferenceVerifier.verify(mc, st, bytes);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("statement: %d prompt tokens, %d generated tokens, greedy decoding%n", st.prompt().length, st.generated().length);
        if (showText) {
            Tokenizer tok = model.tokenizer();
            System.out.printf("prompt: %s%ngenerated: %s%n", tok.decode(st.prompt()), tok.decode(st.generated()));
        }
        System.out.printf("verify: %.1f ms, proof %d bytes%n", ms, bytes.length);
        if (!v.isAccepted()) {
            throw new ZksparkException(ZksparkException.Code.REJECTED, "proof rejected: " + v.reason());
        }
        System.out.println("verdict: accepted");
    }
}
