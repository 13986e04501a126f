package dev.zkspark.pcs;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.SumcheckProof;

/**
 * One opening of a commitment for any number of claims: the batching sumcheck, the mask row's
 * evaluation, the two masked combined rows (evaluation and proximity) or their commitment
 * ({@link CommittedRows}), and for each queried column its entries (all rows and the mask rows),
 * its salt and its Merkle path. After the sumcheck the bytes are those of a {@link LigeroOpening}.
 */
public final class OpeningProof {
    final SumcheckProof batching;
    final Fp3 maskEval;
    final Fp3[] evalRow;
    final Fp3[] proxRow;
    final long grindNonce;
    final long[][] columns;
    final byte[][] salts;
    final byte[][][] paths;
    /** The committed-rows part (then evalRow and proxRow are empty), or null when the rows are sent. */
    final CommittedRows.Proof committed;

    OpeningProof(SumcheckProof batching, Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, long[][] columns,
            byte[][] salts, byte[][][] paths) {
        this(batching, maskEval, evalRow, proxRow, grindNonce, columns, salts, paths, null);
    }

    OpeningProof(SumcheckProof batching, Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, long[][] columns,
            byte[][] salts, byte[][][] paths, CommittedRows.Proof committed) {
        this.committed = committed;
        this.batching = batching;
        this.maskEval = maskEval;
        this.evalRow = evalRow;
        this.proxRow = proxRow;
        this.grindNonce = grindNonce;
        this.columns = columns;
        this.salts = salts;
        this.paths = paths;
    }

    public void write(ByteSink out) {
        batching.write(out);
        rows().write(out);
    }

    /** The part after the batching sumcheck, as the tensor-code check reads it. */
    LigeroOpening rows() {
        return committed == null ? new LigeroOpening(maskEval, evalRow, proxRow, grindNonce, columns, salts, paths)
                : new LigeroOpening(maskEval, grindNonce, columns, salts, paths, committed);
    }

    public int byteSize() {
        ByteSink s = new ByteSink();
        write(s);
        return s.size();
    }

    /** Reads a proof, bounding every size by the commitment's parameters before allocating. */
    public static OpeningProof read(ByteSource in, PcsParams p) throws MalformedInputException {
        SumcheckProof sc = SumcheckProof.read(in);
        Fp3 mask = in.ext("pcs mask evaluation");
        int mode = in.u8("pcs rows mode");
        if (mode > 1) {
            throw new MalformedInputException("pcs rows mode " + mode + " is unknown");
        }
        Fp3[] ev = mode == 0 ? in.exts("pcs evaluation row", p.messageLength()) : new Fp3[0];
        Fp3[] pr = mode == 0 ? in.exts("pcs proximity row", p.messageLength()) : new Fp3[0];
        byte[] root = mode == 0 ? null : in.bytes("pcs rows root", 32);
        long nonce = in.u64("pcs grinding nonce");
        ColumnSet set = ColumnSet.read(in, p.rows() + PcsParams.MASK_ROWS, "pcs");
        int q = set.numColumns();
        if (q > p.queries()) {
            throw new MalformedInputException("pcs queried columns: " + q + " above " + p.queries());
        }
        long[][] cols = new long[q][];
        byte[][] salts = new byte[q][];
        byte[][][] paths = new byte[q][][];
        for (int i = 0; i < q; i++) {
            cols[i] = set.column(i);
            salts[i] = set.salt(i);
            paths[i] = set.path(i);
            if (paths[i].length != p.codeVars()) {
                throw new MalformedInputException("pcs Merkle path has " + paths[i].length + " nodes, expected " + p.codeVars());
            }
        }
        CommittedRows.Proof committed = null;
        if (mode == 1) {
            SumcheckProof rowSumcheck = SumcheckProof.read(in);
            committed = new CommittedRows.Proof(root, rowSumcheck, LigeroOpening.read(in, PcsParams.ROW_LEVELS - 1));
        }
        return new OpeningProof(sc, mask, ev, pr, nonce, cols, salts, paths, committed);
    }
}
