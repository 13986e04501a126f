package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.AtomicFile;
import dev.zkspark.proof.Envelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/zkspark keygen}: an Ed25519 key pair for signing proofs (NAME.sk secret, NAME.pub public). */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Create an Ed25519 signing key pair: OUT.sk (secret) and OUT.pub.")
final class KeygenCommand implements Runnable {
    @Option(names = "--out", required = true, description = "path prefix: writes OUT.sk and OUT.pub")
    Path out;

    @Option(names = "--force", description = "overwrite existing key files")
    boolean force;

    @Override
    public void run() {
        Path sk = out.resolveSibling(out.getFileName() + ".sk"), pub = out.resolveSibling(out.getFileName() + ".pub");
        if (!force && (Files.exists(sk) || Files.exists(pub))) {
            throw ZksparkException.badInput(sk + " or " + pub + " exists; pass --force to replace the key");
        }
        Envelope.KeyPair kp;
        try {
            kp = Envelope.generate(SecureRandom.getInstance("DRBG"));
        } catch (NoSuchAlgorithmException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "no DRBG in this JDK", e);
        }
        AtomicFile.write(sk, (HexFormat.of().formatHex(kp.privateKey()) + "\n").getBytes(StandardCharsets.US_ASCII));
        try {
            Files.setPosixFilePermissions(sk, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | java.io.IOException e) {
            // not a POSIX file system: keep the secret key private by other means
        }
        AtomicFile.write(pub, (HexFormat.of().formatHex(kp.publicKey()) + "\n").getBytes(StandardCharsets.US_ASCII));
        System.out.printf("secret key: %s (keep it private)%npublic key: %s%nfingerprint: %s%n", sk, pub,
                HexFormat.of().formatHex(kp.publicKey()));
    }

    /** A 32-byte key written in hex by keygen. */
    static byte[] readKey(Path file, String what) {
        String hex = new String(ModelOptions.readFile(file, 1024, what), StandardCharsets.US_ASCII).trim();
        try {
            byte[] k = HexFormat.of().parseHex(hex);
            if (k.length != 32) {
                throw ZksparkException.badInput(file + ": an Ed25519 " + what + " has 32 bytes, this one " + k.length);
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw ZksparkException.badInput(file + ": not a hexadecimal " + what);
        }
    }
}
