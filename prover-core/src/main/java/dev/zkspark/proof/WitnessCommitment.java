package dev.zkspark.proof;

import dev.zkspark.pcs.Commitment;
import dev.zkspark.pcs.TensorCodePcs;

/**
 * The prover's commitments of one statement: the witness (with, in zero-knowledge proofs, the
 * masks tensors and a blinding region) and, in zero-knowledge proofs, the batching mask (Libra's
 * masking polynomial of the joint opening's sumcheck, committed on its own) and the model's
 * companion (fresh mask rows for this proof's opening of the reused model commitment,
 * {@link TensorCodePcs#commitCompanion}). {@link #digest} is what the transcript absorbs: the
 * witness digest, or for zero knowledge the digest of all three, so all are fixed before any
 * challenge.
 */
public final class WitnessCommitment {
    private final TensorCodePcs.Committed witness;
    private final TensorCodePcs.Committed batchMask;
    private final TensorCodePcs.Committed modelCompanion;

    WitnessCommitment(TensorCodePcs.Committed witness, TensorCodePcs.Committed batchMask, TensorCodePcs.Committed modelCompanion) {
        this.witness = witness;
        this.batchMask = batchMask;
        this.modelCompanion = modelCompanion;
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

    /** The model commitment's companion for this proof (zero knowledge only, else null). */
    public TensorCodePcs.Committed modelCompanion() {
        return modelCompanion;
    }

    public Commitment commitment() {
        return witness.commitment();
    }

    public byte[] digest() {
        if (batchMask == null) {
            return witness.commitment().digest();
        }
        return digest(witness.commitment(), batchMask.commitment(), modelCompanion.commitment());
    }

    static byte[] digest(Commitment witness, Commitment batchMask, Commitment modelCompanion) {
        return dev.zkspark.transcript.Hash.SHA256.digest(
                "zkspark/witness+batch-mask+model-companion".getBytes(java.nio.charset.StandardCharsets.UTF_8), witness.digest(),
                batchMask.digest(), modelCompanion.digest());
    }
}
