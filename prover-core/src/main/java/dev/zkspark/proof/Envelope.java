package dev.zkspark.proof;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.transcript.Hash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A proof signed by its prover (DESIGN §5): Ed25519 (RFC 8032, BouncyCastle) over
 * {@code "zkspark-envelope-v1" || SHA-256(proof bytes)}. The signature says who vouches for the
 * proof; the proof alone says what is true. Encoding (docs/FORMATS.md): magic "ZKSPARKS", u32
 * version, the proof as a length-prefixed blob, the 32-byte public key, the 64-byte signature.
 */
public record Envelope(byte[] proof, byte[] publicKey, byte[] signature) {
    public static final byte[] MAGIC = "ZKSPARKS".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    private static final byte[] DOMAIN = "zkspark-envelope-v1".getBytes(StandardCharsets.US_ASCII);

    /** An Ed25519 key pair: the 32-byte private seed and the 32-byte public key. */
    public record KeyPair(byte[] privateKey, byte[] publicKey) {}

    public static KeyPair generate(SecureRandom random) {
        Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(random);
        return new KeyPair(sk.getEncoded(), sk.generatePublicKey().getEncoded());
    }

    public static byte[] publicKeyOf(byte[] privateKey) {
        return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
    }

    public static Envelope sign(byte[] proof, byte[] privateKey) {
        Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(privateKey, 0);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, sk);
        byte[] msg = message(proof);
        signer.update(msg, 0, msg.length);
        return new Envelope(proof.clone(), sk.generatePublicKey().getEncoded(), signer.generateSignature());
    }

    /** Whether the signature is valid for the envelope's own public key. */
    public boolean signatureValid() {
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        byte[] msg = message(proof);
        v.update(msg, 0, msg.length);
        return v.verifySignature(signature);
    }

    private static byte[] message(byte[] proof) {
        byte[] digest = Hash.SHA256.digest(proof);
        byte[] msg = new byte[DOMAIN.length + digest.length];
        System.arraycopy(DOMAIN, 0, msg, 0, DOMAIN.length);
        System.arraycopy(digest, 0, msg, DOMAIN.length, digest.length);
        return msg;
    }

    public byte[] toBytes() {
        return new ByteSink().bytes(MAGIC).u32(VERSION).blob(proof).bytes(publicKey).bytes(signature).toByteArray();
    }

    public static boolean isEnvelope(byte[] b) {
        return b.length >= MAGIC.length && java.util.Arrays.equals(java.util.Arrays.copyOf(b, MAGIC.length), MAGIC);
    }

    public static Envelope parse(byte[] b) throws MalformedInputException {
        ByteSource in = new ByteSource(b);
        if (!java.util.Arrays.equals(in.bytes("magic", MAGIC.length), MAGIC)) {
            throw new MalformedInputException("not a signed zkspark envelope (wrong magic)");
        }
        int version = in.u32("envelope version");
        if (version != VERSION) {
            throw new MalformedInputException("envelope version " + version + " is " + (version > VERSION ? "newer" : "older")
                    + " than this zkspark (reads " + VERSION + ")");
        }
        byte[] proof = in.blob("proof", ProofFile.MAX_BYTES);
        byte[] pk = in.bytes("public key", 32);
        byte[] sig = in.bytes("signature", 64);
        in.expectEnd("envelope");
        return new Envelope(proof, pk, sig);
    }
}
