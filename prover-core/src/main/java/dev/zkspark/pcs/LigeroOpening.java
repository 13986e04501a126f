package dev.zkspark.pcs;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import java.util.List;

/**
 * The tensor-code part of an opening for one linear functional sum_i a_i sum_j b_j M_i[j] of a
 * committed matrix (row weights a, column weights b): the evaluation mask's value y_R = sum_j b_j
 * R_eval[j], the masked evaluation and proximity rows and the queried columns with salts and paths.
 * Its bytes are exactly the part of {@link OpeningProof} after the batching sumcheck. Immutable:
 * arrays are copied in and never handed out.
 */
final class LigeroOpening {
    /** Merkle depth bound (codeVars is at most 30). */
    private static final int MAX_DEPTH = 30;
    /** Smallest encoded column (empty entries, salt, path length): bounds a hostile count. */
    private static final int MIN_COLUMN_BYTES = 4 + TensorCodePcs.SALT_BYTES + 1;
    /**
     * Readable row and column lengths: 2^26 elements keeps 24 * count inside an int, so ByteSource's
     * length check (before allocation) cannot overflow; larger matrices are far beyond any layer.
     */
    private static final int MAX_ROW = 1 << 26;

    private final Fp3 maskEval;
    private final Fp3[] evalRow;
    private final Fp3[] proxRow;
    private final long grindNonce;
    private final long[][] columns;
    private final byte[][] salts;
    private final byte[][][] paths;

    LigeroOpening(Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, long[][] columns, byte[][] salts, byte[][][] paths) {
        this.maskEval = maskEval;
        this.evalRow = evalRow.clone();
        this.proxRow = proxRow.clone();
        this.grindNonce = grindNonce;
        this.columns = deep(columns);
        this.salts = deep(salts);
        this.paths = new byte[paths.length][][];
        for (int i = 0; i < paths.length; i++) {
            this.paths[i] = deep(paths[i]);
        }
    }

    Fp3 maskEval() {
        return maskEval;
    }

    Fp3[] evalRow() {
        return evalRow.clone();
    }

    Fp3[] proxRow() {
        return proxRow.clone();
    }

    /** The proof-of-work nonce found before the queries ({@link PcsParams#GRIND_BITS}). */
    long grindNonce() {
        return grindNonce;
    }

    int numColumns() {
        return columns.length;
    }

    long[] column(int k) {
        return columns[k].clone();
    }

    byte[] salt(int k) {
        return salts[k].clone();
    }

    byte[][] path(int k) {
        return deep(paths[k]);
    }

    void write(ByteSink out) {
        out.ext(maskEval).exts(evalRow).exts(proxRow).u64(grindNonce);
        out.u32(columns.length);
        for (int q = 0; q < columns.length; q++) {
            out.fields(columns[q]);
            out.bytes(salts[q]);
            out.u8(paths[q].length);
            for (byte[] node : paths[q]) {
                out.bytes(node);
            }
        }
    }

    /**
     * Reads an opening whose shape is checked later against the commitment's parameters; every
     * allocation is bounded by the bytes actually present, so hostile input cannot allocate much.
     */
    static LigeroOpening read(ByteSource in) throws MalformedInputException {
        Fp3 mask = in.ext("pcs mask evaluation");
        Fp3[] ev = in.exts("pcs evaluation row", MAX_ROW);
        Fp3[] pr = in.exts("pcs proximity row", MAX_ROW);
        long nonce = in.u64("pcs grinding nonce");
        int q = in.count("pcs queried columns", 1 << 16);
        if ((long) q * MIN_COLUMN_BYTES > in.remaining()) {
            throw new MalformedInputException("truncated: " + q + " pcs columns cannot fit in " + in.remaining() + " bytes");
        }
        long[][] cols = new long[q][];
        byte[][] salts = new byte[q][];
        byte[][][] paths = new byte[q][][];
        for (int i = 0; i < q; i++) {
            cols[i] = in.fields("pcs column", MAX_ROW);
            salts[i] = in.bytes("pcs salt", TensorCodePcs.SALT_BYTES);
            int depth = in.u8("pcs path length");
            if (depth > MAX_DEPTH) {
                throw new MalformedInputException("pcs Merkle path has " + depth + " nodes, at most " + MAX_DEPTH);
            }
            paths[i] = new byte[depth][];
            for (int d = 0; d < depth; d++) {
                paths[i][d] = in.bytes("pcs path node", 32);
            }
        }
        return new LigeroOpening(mask, ev, pr, nonce, cols, salts, paths);
    }

    /** Every revealed field element: y_R, the two rows, then the columns (base entries lifted). */
    void addRevealed(List<Fp3> out) {
        out.add(maskEval);
        out.addAll(List.of(evalRow));
        out.addAll(List.of(proxRow));
        for (long[] c : columns) {
            for (long v : c) {
                out.add(Fp3.of(v));
            }
        }
    }

    // ---------------------------------------------------------------- tampered copies (tests)

    LigeroOpening withGrindNonce(long n) {
        return new LigeroOpening(maskEval, evalRow, proxRow, n, columns, salts, paths);
    }

    LigeroOpening withMaskEval(Fp3 v) {
        return new LigeroOpening(v, evalRow, proxRow, grindNonce, columns, salts, paths);
    }

    LigeroOpening withEvalRow(int i, Fp3 v) {
        Fp3[] r = evalRow.clone();
        r[i] = v;
        return new LigeroOpening(maskEval, r, proxRow, grindNonce, columns, salts, paths);
    }

    LigeroOpening withColumnEntry(int k, int i, long v) {
        long[][] c = deep(columns);
        c[k][i] = v;
        return new LigeroOpening(maskEval, evalRow, proxRow, grindNonce, c, salts, paths);
    }

    private static long[][] deep(long[][] a) {
        long[][] c = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static byte[][] deep(byte[][] a) {
        byte[][] c = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
