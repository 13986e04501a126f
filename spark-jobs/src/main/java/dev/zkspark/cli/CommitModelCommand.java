package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.AtomicFile;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.proof.ModelCommitment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark commit-model}: quantizes a checkpoint and writes its public commitment
 * (MODEL.commit) and the provider's secret commitment key (MODEL.commit.key, needed to prove).
 */
@Command(name = "commit-model", mixinStandardHelpOptions = true,
        description = "Quantize a model and write its commitment (public) and commitment key (secret).")
final class CommitModelCommand implements Runnable {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--out", required = true, description = "the commitment file to write (MODEL.commit)")
    Path out;

    @Option(names = "--key", description = "the secret key file (default: OUT.key); an existing key is reused, so the same model gives the same commitment")
    Path key;

    @Option(names = "--weight-bits", description = "0 (weights at scale 2^16, the default) or 2..24 bits per weight")
    int weightBits = 0;

    @Option(names = "--zk-budget", description = "zero-knowledge proofs this commitment supports before opened weight columns could accumulate (default: ${DEFAULT-VALUE}; docs/ZK.md §6)")
    int zkBudget = ModelCommitment.ZK_BUDGET;

    @Override
    public void run() {
        checkBudget(zkBudget);
        long t0 = System.nanoTime();
        QuantParams params = QuantParams.DEFAULT.withWeightBits(weightBits);
        QuantizedModel qm = QuantizedModel.quantize(model.checkpoint(), params).forProof();
        Path keyFile = key != null ? key : out.resolveSibling(out.getFileName() + ".key");
        byte[] seed = Files.exists(keyFile) ? readKey(keyFile) : null;
        boolean newKey = seed == null;
        if (newKey) {
            seed = freshKey();
        }
        ModelCommitment.Made made = ModelCommitment.commit(qm, seed, zkBudget);
        byte[] bytes = made.commitment().toBytes();
        if (newKey) {
            writeKey(keyFile, seed);
        }
        AtomicFile.write(out, bytes);
        System.out.printf("model: %s (%d parameters, %d layers)%n", model.describe(), model.checkpoint().config().parameterCount(),
                qm.config().layers());
        System.out.printf("quantization: %s%n", params.describe());
        printCommitment(out, bytes, keyFile, newKey, made.commitment());
        System.out.printf("elapsed: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Writes a new commitment key (hex, mode 0600 where the file system has POSIX permissions). */
    static void writeKey(Path keyFile, byte[] seed) {
        AtomicFile.write(keyFile, HexFormat.of().formatHex(seed).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try {
            Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | java.io.IOException e) {
            // not a POSIX file system: the key is still written; keep it private by other means
        }
    }

    /** Checks a --zk-budget value. */
    static void checkBudget(int zkBudget) {
        if (zkBudget < 1 || zkBudget > dev.zkspark.pcs.PcsParams.MAX_ZK_BUDGET) {
            throw ZksparkException.badInput("--zk-budget must be in [1, " + dev.zkspark.pcs.PcsParams.MAX_ZK_BUDGET + "]");
        }
    }

    /** The lines both commit commands print about a written commitment. */
    static void printCommitment(Path out, byte[] bytes, Path keyFile, boolean newKey, ModelCommitment mc) {
        System.out.printf("commitment: %s (%d bytes), key: %s (%s; keep it secret)%n", out, bytes.length, keyFile,
                newKey ? "new" : "reused");
        System.out.printf("model digest: %s%n", HexFormat.of().formatHex(mc.digest()));
        System.out.printf("zk budget: %d proofs (opened weight columns stay uniform up to this many zero-knowledge proofs;"
                + " beyond it, commit again with a new key: docs/ZK.md §6)%n", mc.zkBudget());
    }

    /** 32 bytes from the JDK's NIST SP 800-90A DRBG (seeded by the OS entropy source). */
    static byte[] freshKey() {
        try {
            byte[] k = new byte[32];
            SecureRandom.getInstance("DRBG").nextBytes(k);
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "no DRBG in this JDK", e);
        }
    }

    static byte[] readKey(Path keyFile) {
        String hex = new String(ModelOptions.readFile(keyFile, 1024, "key file"), java.nio.charset.StandardCharsets.US_ASCII).trim();
        try {
            byte[] k = HexFormat.of().parseHex(hex);
            if (k.length < 16) {
                throw ZksparkException.badInput(keyFile + ": a commitment key needs at least 16 bytes");
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw ZksparkException.badInput(keyFile + ": not a hexadecimal commitment key");
        }
    }
}
