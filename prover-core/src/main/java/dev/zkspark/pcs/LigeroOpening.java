package dev.zkspark.pcs;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.SumcheckProof;
import java.util.List;

/**
 * The tensor-code part of an opening for one linear functional sum_i a_i sum_j b_j M_i[j] of a
 * committed matrix (row weights a, column weights b): the evaluation mask's value y_R = sum_j b_j
 * R_eval[j], the masked evaluation and proximity rows (sent mode) or their commitment and the proof
 * of the checks on them ({@link CommittedRows}, committed mode), and the queried columns with salts
 * and paths. Layout: ext y_R, u8 mode, then mode 0: the two rows, mode 1: the rows' 32-byte root;
 * u64 nonce, the columns; mode 1 then the row claims' sumcheck and the inner opening (itself mode 0).
 * Immutable: arrays are copied in and never handed out.
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
    /** The committed-rows part, or null in the sent mode (then the rows are above). */
    private final CommittedRows.Proof committed;

    LigeroOpening(Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, long[][] columns, byte[][] salts, byte[][][] paths) {
        this(maskEval, evalRow, proxRow, grindNonce, new ColumnSet(columns, salts, paths));
    }

    LigeroOpening(Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, ColumnSet columns) {
        this(maskEval, evalRow, proxRow, grindNonce, columns, null);
    }

    /** A committed-mode opening: no rows, their commitment and proof in {@code committed}. */
    LigeroOpening(Fp3 maskEval, long grindNonce, long[][] columns, byte[][] salts, byte[][][] paths, CommittedRows.Proof committed) {
        this(maskEval, grindNonce, new ColumnSet(columns, salts, paths), committed);
    }

    LigeroOpening(Fp3 maskEval, long grindNonce, ColumnSet columns, CommittedRows.Proof committed) {
        this(maskEval, new Fp3[0], new Fp3[0], grindNonce, columns, committed);
    }

    private LigeroOpening(Fp3 maskEval, Fp3[] evalRow, Fp3[] proxRow, long grindNonce, ColumnSet columns, CommittedRows.Proof committed) {
        this.maskEval = maskEval;
        this.evalRow = evalRow.clone();
        this.proxRow = proxRow.clone();
        this.grindNonce = grindNonce;
        this.columns = columns;
        this.committed = committed;
    }

    /** The committed-rows part, or null when the rows are sent. */
    CommittedRows.Proof committed() {
        return committed;
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
        out.ext(maskEval);
        if (committed == null) {
            out.u8(SENT).exts(evalRow).exts(proxRow);
        } else {
            out.u8(COMMITTED).bytes(committed.root());
        }
        out.u64(grindNonce);
        columns.write(out);
        if (committed != null) {
            committed.sumcheck().write(out);
            committed.inner().write(out);
        }
    }

    int byteSize() {
        ByteSink s = new ByteSink();
        write(s);
        return s.size();
    }

    private static final int SENT = 0;
    private static final int COMMITTED = 1;

    /**
     * Reads an opening whose shape is checked later against the commitment's parameters; every
     * allocation is bounded by the bytes actually present, so hostile input cannot allocate much.
     */
    static LigeroOpening read(ByteSource in) throws MalformedInputException {
        return read(in, PcsParams.ROW_LEVELS);
    }

    /**
     * An opening that may commit its rows through {@code levels} levels (0: it must send them, the
     * innermost opening of committed rows); the nesting depth is bounded, so hostile input cannot
     * recurse deeper.
     */
    static LigeroOpening read(ByteSource in, int levels) throws MalformedInputException {
        Fp3 mask = in.ext("pcs mask evaluation");
        int mode = in.u8("pcs rows mode");
        if (mode == SENT) {
            Fp3[] ev = in.exts("pcs evaluation row", MAX_ROW);
            Fp3[] pr = in.exts("pcs proximity row", MAX_ROW);
            long nonce = in.u64("pcs grinding nonce");
            return new LigeroOpening(mask, ev, pr, nonce, ColumnSet.read(in, MAX_ROW, "pcs"), null);
        }
        if (mode != COMMITTED || levels <= 0) {
            throw new MalformedInputException("pcs rows mode " + mode + (mode == COMMITTED ? " nested deeper than allowed" : " is unknown"));
        }
        byte[] root = in.bytes("pcs rows root", 32);
        long nonce = in.u64("pcs grinding nonce");
        ColumnSet cols = ColumnSet.read(in, MAX_ROW, "pcs");
        SumcheckProof sc = SumcheckProof.read(in);
        LigeroOpening inner = read(in, levels - 1);
        return new LigeroOpening(mask, new Fp3[0], new Fp3[0], nonce, cols, new CommittedRows.Proof(root, sc, inner));
    }

    /** Every revealed field element: y_R, the two rows, then the columns (base entries lifted). */
    void addRevealed(List<Fp3> out) {
        out.add(maskEval);
        out.addAll(List.of(evalRow));
        out.addAll(List.of(proxRow));
        columns.addRevealed(out);
        if (committed != null) {
            SumcheckProof sc = committed.sumcheck();
            for (int i = 0; i < sc.numRounds(); i++) {
                out.addAll(List.of(sc.round(i)));
            }
            for (int i = 0; i < sc.numInstances(); i++) {
                out.addAll(List.of(sc.finalEvals(i)));
            }
            committed.inner().addRevealed(out);
        }
    }

    // ---------------------------------------------------------------- tampered copies (tests)

    LigeroOpening withGrindNonce(long n) {
        return new LigeroOpening(maskEval, evalRow, proxRow, n, columns, committed);
    }

    LigeroOpening withMaskEval(Fp3 v) {
        return new LigeroOpening(v, evalRow, proxRow, grindNonce, columns, committed);
    }

    LigeroOpening withEvalRow(int i, Fp3 v) {
        Fp3[] r = evalRow.clone();
        r[i] = v;
        return new LigeroOpening(maskEval, r, proxRow, grindNonce, columns, committed);
    }

    LigeroOpening withColumnEntry(int k, int i, long v) {
        return new LigeroOpening(maskEval, evalRow, proxRow, grindNonce, columns.withColumnEntry(k, i, v), committed);
    }

    /** A copy whose committed-rows part is {@code c} (tests tamper with it). */
    LigeroOpening withCommitted(CommittedRows.Proof c) {
        return new LigeroOpening(maskEval, evalRow, proxRow, grindNonce, columns, c);
    }
}
