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
    /**
     * Readable row and column lengths: 2^26 elements keeps 24 * count inside an int, so ByteSource's
     * length check (before allocation) cannot overflow; larger matrices are far beyond any layer.
     */
    private static final int MAX_ROW = 1 << 26;

    private final Fp3 maskEval;
    private final Fp3[] evalRow;
    private final Fp3[] proxRow;
    private final long grindNonce;
    private final ColumnSet columns;

    LigeroOpening(Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, long[][] columns, byte[][] salts, byte[][][] paths) {
        this(maskEval, evalRow, proxRow, grindNonce, new ColumnSet(columns, salts, paths));
    }

    private LigeroOpening(Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, ColumnSet columns) {
        this.maskEval = maskEval;
        this.evalRow = evalRow.clone();
        this.proxRow = proxRow.clone();
        this.grindNonce = grindNonce;
        this.columns = columns;
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
        return columns.numColumns();
    }

    long[] column(int k) {
        return columns.column(k);
    }

    byte[] salt(int k) {
        return columns.salt(k);
    }

    byte[][] path(int k) {
        return columns.path(k);
    }

    void write(ByteSink out) {
        out.ext(maskEval).exts(evalRow).exts(proxRow).u64(grindNonce);
        columns.write(out);
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
        return new LigeroOpening(mask, ev, pr, nonce, ColumnSet.read(in, MAX_ROW, "pcs"));
    }

    /** Every revealed field element: y_R, the two rows, then the columns (base entries lifted). */
    void addRevealed(List<Fp3> out) {
        out.add(maskEval);
        out.addAll(List.of(evalRow));
        out.addAll(List.of(proxRow));
        columns.addRevealed(out);
    }

    // ---------------------------------------------------------------- tampered copies (tests)

    LigeroOpening withGrindNonce(long n) {
        return new LigeroOpening(maskEval, evalRow, proxRow, n, columns);
    }

    LigeroOpening withMaskEval(Fp3 v) {
        return new LigeroOpening(v, evalRow, proxRow, grindNonce, columns);
    }

    LigeroOpening withEvalRow(int i, Fp3 v) {
        Fp3[] r = evalRow.clone();
        r[i] = v;
        return new LigeroOpening(maskEval, r, proxRow, grindNonce, columns);
    }

    LigeroOpening withColumnEntry(int k, int i, long v) {
        return new LigeroOpening(maskEval, evalRow, proxRow, grindNonce, columns.withColumnEntry(k, i, v));
    }
}
