package dev.zkspark.pcs;

import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.RoundOracle;

/**
 * The data rows of a committed matrix held elsewhere, in bands of rows (Spark partitions,
 * spark-jobs): the three things a zero-knowledge opening ({@link TensorCodePcs#openZk}) needs from
 * them, each a sum of per-band parts or a gather of per-band pieces. The opener keeps only what
 * grows with the code length (salts, Merkle tree, mask rows), never a data row or the polynomial,
 * and makes the same proof bytes as with the rows in its own memory.
 */
public interface RowBands {
    /** The batching sumcheck's instance P_k * W_k over the commitment's numVars variables: its sum and its oracle (one instance). */
    record Sumcheck(Fp3 sum, RoundOracle oracle) {}

    /** Starts the sumcheck of the polynomial times the kernel built from {@code w} on each band. */
    Sumcheck sumcheck(OpeningKernel w);

    /**
     * For each coefficient vector t (interleaved F_p^3, at least {@code rows} entries), the
     * combination sum_i coefs[t][i] M_i of the data rows' messages, interleaved F_p^3 of
     * messageLength entries.
     */
    long[][] combineRows(long[][] coefs);

    /** Entries of the data rows' codewords at columns js: out[x][i] = codeword_i[js[x]] for every data row i. */
    long[][] columns(int[] js);
}
