package dev.zkspark.proof;

import dev.zkspark.pcs.Commitment;
import dev.zkspark.pcs.TensorCodePcs;

/**
 * The prover's commitments of one statement: the witness (with, in zero-knowledge proofs, the
 * masks tensors and a blinding region) and, in zero-knowledge proofs, the batching mask (Libra's
 * masking polynomial of the joint opening's sumcheck, committed on its own). {@link #digest} is what
 * the transcript absorbs: the witness digest, or for zero knowledge the digest of both.
 */
public final class WitnessCommitment {
    private final TensorCodePcs.Committed witness;
    private final TensorCodePcs.Committed batchMask;

    WitnessCommitment(TensorCodePcs.Committed witness, TensorCodePcs.Committed batchMask) {
        this.witness = witness;
        this.batchMask = batchMask;
    }

    public boolean zeroKnowledge() {
        return batchMask != null;
    }

    public TensorCodePcs.Committed witness() {
        return witness;
    }

    /** The batching mask's commitment state (zero knowledge only, else null). */
    public TensorCodePcs.Committed batchMask() {
        return batchMask;
    }

    public Commitment commitment() {
        return witness.commitment();
    }

    public byte[] digest() {
        return digest(witness.commitment(), batchMask == null ? null : batchMask.commitment());
    }

    static byte[] digest(Commitment witness, Commitment batchMask) {
        if (batchMask == null) {
            return witness.digest();
        }
        return dev.zkspark.transcript.Hash.SHA256.digest("zkspark/witness+batch-mask".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                witness.digest(), batchMask.digest());
    }
}
