package dev.zkspark.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.MalformedInputException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    @Test
    void signsVerifiesAndRejectsTampering() throws Exception {
        Envelope.KeyPair kp = Envelope.generate(SecureRandom.getInstance("DRBG"));
        assertArrayEquals(kp.publicKey(), Envelope.publicKeyOf(kp.privateKey()));
        byte[] proof = "pretend proof bytes".getBytes();
        Envelope e = Envelope.parse(Envelope.sign(proof, kp.privateKey()).toBytes());
        assertTrue(e.signatureValid());
        assertArrayEquals(proof, e.proof());
        byte[] tamperedProof = proof.clone();
        tamperedProof[0] ^= 1;
        assertFalse(new Envelope(tamperedProof, e.publicKey(), e.signature()).signatureValid());
        Envelope.KeyPair other = Envelope.generate(SecureRandom.getInstance("DRBG"));
        assertFalse(new Envelope(proof, other.publicKey(), e.signature()).signatureValid());
        byte[] bytes = Envelope.sign(proof, kp.privateKey()).toBytes();
        bytes[8] = 9; // version 9
        MalformedInputException m = assertThrows(MalformedInputException.class, () -> Envelope.parse(bytes));
        assertTrue(m.getMessage().contains("newer"), m.getMessage());
        assertThrows(MalformedInputException.class, () -> Envelope.parse(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
    }
}
