package dev.zkspark.pcs;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;

/**
 * Shape and security parameters of the tensor-code commitment, with the soundness computation.
 *
 * <p>The 2^n evaluations form a matrix of 2^rowVars rows and 2^colVars columns (the low colVars
 * variables index the column). Each row's message is its 2^colVars entries followed by
 * {@link #padding()} = zkBudget x queries random coefficients (randomized codeword padding); it is
 * Reed-Solomon encoded (coefficients evaluated on the 2^codeVars-th roots of unity), rate
 * rho = K / N with K = 2^colVars + padding and N = 2^codeVars. Two random mask rows are appended.
 *
 * <p><b>Padding budget.</b> Any t <= padding positions of a row's codeword are uniform and
 * independent of the row's data: the codeword at positions w_1..w_t is V_data d + V_pad c, where
 * V_pad = (w_s^(2^colVars + i)) is t x padding; its t x t minor on any t columns is
 * w_1^(2^colVars) ... w_t^(2^colVars) times a Vandermonde determinant (consecutive exponents), non-zero
 * for distinct w_s, so V_pad has full row rank and V_pad c is uniform for uniform c. A commitment
 * opened in zero knowledge zkBudget times (q columns each, indices drawn afresh every time)
 * therefore reveals at most zkBudget x q uniform positions per row. Per-proof commitments use
 * zkBudget = 1; a reused one (the model) declares its budget in its parameters, so the digest
 * binds it and every verifier can print it.
 *
 * <p>Soundness (provable, unique decoding, no proximity-gap conjecture). The RS code has rate
 * rho = K/N and relative distance delta = 1 - (K - 1)/N > 1 - rho. Take the proximity parameter
 * e = (1 - rho)/2, the unique decoding radius (e < delta/2). The m committed rows (data, mask and,
 * with a companion, its rows) are tested with the power combination u = sum_i gamma^i U_i and
 * opened with the evaluation combination v; both are checked at the same t uniform column
 * positions. (i) If the rows are not jointly e-close to the interleaved code (no set S of
 * (1 - e)N columns on which every row agrees with a codeword), then u is e-far from the code except
 * for at most (m - 1) N gammas (correlated agreement for curves in the unique decoding regime,
 * BCIKS20 Thm 1.5 and §6, as restated in STIR/WHIR: error (m - 1) N/|F| for any e <= (1 - rho)/2), and
 * the codeword the prover sends for u differs from the true combination on more than eN columns:
 * each query catches it with probability more than e. (ii) If they are jointly e-close, the
 * codewords c_i agreeing with the rows on S are unique (e < delta/2) and fix the committed
 * polynomial; an evaluation row other than sum_i a_i c_i encodes to a codeword differing from
 * sum_i a_i c_i on at least delta N columns, at least (delta - e) N of them in S, where the column
 * check compares it with the committed entries: each query catches it with probability at least
 * delta - e > e. Either way all t queries pass with probability at most (1 - e)^t, so the error is
 * at most (rows + 3) N/|F_p^3| + 2^-GRIND_BITS (1 - e)^queries, plus the batching sumcheck's
 * 2 numVars/|F_p^3| and the claim combination's and mask challenge's 2/|F_p^3|;
 * {@link #soundnessBits()} reports -log2 of the total, adding what the committed-rows mode
 * ({@link CommittedRows}) may add, since the verifier accepts either mode; {@link #sentSoundnessBits()}
 * is the sent-only bound. The proof-size estimates cost both modes and the chooser minimises the
 * smaller, so large polynomials get wide matrices whose rows are committed. (Until 2026-12-02 the bound took
 * e = delta/3, Ligero's general-code radius; commitments made with it have more queries than
 * needed and still verify.)
 */
public record PcsParams(int numVars, int rowVars, int colVars, int codeVars, int queries, int zkBudget, int dataRows)
        implements java.io.Serializable {
    /** Rows hashed together into one chunk digest of a column leaf: fixes the band granularity. */
    public static final int CHUNK_ROWS = 32;
    /** Two random F_p^3 mask rows (evaluation, proximity), three base rows each (TensorCodePcs.EVAL_MASK). */
    public static final int MASK_ROWS = 6;
    /** Largest zero-knowledge opening budget a commitment may declare (the padding stays below 2^30). */
    public static final int MAX_ZK_BUDGET = 1024;
    /** Top bit of the encoded codeVars byte: the zk budget (a u32) follows the queries. */
    private static final int BUDGET_FLAG = 0x80;
    /** Top bit of the encoded rowVars byte: the data row count (a u32) follows the queries and budget. */
    private static final int ROWS_FLAG = 0x80;

    /**
     * {@code dataRows}: the rows actually committed. The polynomial has 2^numVars evaluations laid
     * out as 2^rowVars rows; rows from dataRows on are zero by definition and neither encoded nor
     * opened, so a stack of tensors that just overflows a power of two costs its own size, not the
     * next power of two. A truncated matrix keeps whole chunks (dataRows a multiple of CHUNK_ROWS).
     * The tensor-code argument is unchanged on the dataRows committed rows (the implied zero rows
     * take weight 0 in every combination), and its field error counts dataRows rows.
     */
    public PcsParams {
        if (rowVars < 0 || colVars < 0 || rowVars > 30 || colVars > 30 || rowVars + colVars != numVars || queries < 1
                || zkBudget < 1 || zkBudget > MAX_ZK_BUDGET || codeVars > 30
                || (1L << codeVars) < (1L << colVars) + (long) queries * zkBudget
                || dataRows < 1 || dataRows > (1 << rowVars) || (dataRows < (1 << rowVars) && dataRows % CHUNK_ROWS != 0)) {
            throw new IllegalArgumentException("inconsistent commitment parameters");
        }
    }

    /** Every row committed (dataRows = 2^rowVars). */
    public PcsParams(int numVars, int rowVars, int colVars, int codeVars, int queries, int zkBudget) {
        this(numVars, rowVars, colVars, codeVars, queries, zkBudget, 1 << rowVars);
    }

    /** Parameters for one opening's worth of padding (zk budget 1): every per-proof commitment. */
    public PcsParams(int numVars, int rowVars, int colVars, int codeVars, int queries) {
        this(numVars, rowVars, colVars, codeVars, queries, 1);
    }

    /** Whether rows from {@link #dataRows} on are left out (zero). */
    public boolean truncated() {
        return dataRows < (1 << rowVars);
    }

    /** Entries of the committed matrix: dataRows x cols (the rest of the 2^numVars are zero). */
    public long entries() {
        return (long) dataRows * cols();
    }

    /** The data rows needed for {@code entries} entries in rows of 2^colVars (whole chunks), at most 2^rowVars. */
    static int rowsFor(long entries, int rowVars, int colVars) {
        long need = Math.max(1, (entries + (1L << colVars) - 1) >>> colVars);
        if (need >= (1L << rowVars) || (1 << rowVars) <= CHUNK_ROWS) {
            return 1 << rowVars;
        }
        long chunked = (need + CHUNK_ROWS - 1) / CHUNK_ROWS * CHUNK_ROWS;
        return (int) Math.min(1L << rowVars, chunked);
    }

    /** Variables of a polynomial holding {@code entries} entries (the smallest n with 2^n >= entries). */
    public static int varsFor(long entries) {
        int n = 0;
        while ((1L << n) < entries) {
            n++;
        }
        return n;
    }

    /**
     * Random padding coefficients per row: zkBudget x queries. Any that many positions of a row's
     * codeword are uniform and independent of its data (below), so zkBudget openings of this
     * commitment, q columns each, reveal only uniform column entries.
     */
    public int padding() {
        return queries * zkBudget;
    }

    /** The committed rows: {@link #dataRows} (2^rowVars unless truncated). */
    public int rows() {
        return dataRows;
    }

    public int cols() {
        return 1 << colVars;
    }

    /** Message length K: data plus random padding coefficients. */
    public int messageLength() {
        return cols() + padding();
    }

    public int codeLength() {
        return 1 << codeVars;
    }

    /**
     * Proof-of-work bits ground before the queries are drawn (DESIGN §4): the prover must find a
     * nonce whose hash with the transcript state starts with this many zero bits, so a cheating
     * prover pays 2^GRIND_BITS hashes per fresh set of query positions and the query phase's error
     * counts 2^-GRIND_BITS lower. About a million one-block SHA-256 evaluations per opening in
     * expectation, 0.13 s of one core on the README's machine, split over the threads (a stories15M
     * proof grinds six times: the witness, the model and two inner openings of each); it replaces about 20 / log2(1/(1 - e)) queries,
     * 29 at rate 1/4. (Until proof format 5.0 it was 16 bits; 20 bits took the stories15M witness opening
     * from 125 to 119 queries, about 3% of the proof, for under a second of grinding.)
     */
    public static final int GRIND_BITS = 20;

    /**
     * Soundness target (bits) of the first inner opening of committed rows ({@link CommittedRows}):
     * 4 bits above the outer target, so its error is at most a sixteenth of the outer budget
     * 2^-100, and the outer opening's own queries need 2^-100 - 2^-104, 0.09 bits more than alone
     * ({@link #soundnessBits(int)} adds the two). A nested inner opening (the rows of an inner
     * opening committed in turn) targets {@link #NESTED_STEP_BITS} more per level on the same
     * reasoning (its error is a quarter of its parent's budget). (Until proof format 5.0 these were
     * 128 and 8: the inner openings carried 28 bits no bound needed, and a fifth more queries; the
     * stories15M openings shrank by 9% with the grinding above.)
     */
    static final int INNER_BITS = 104;
    /** Added to the inner target per level of nesting. */
    static final int NESTED_STEP_BITS = 2;
    /**
     * Levels of committed rows a top-level opening may use: its rows committed (level 1), and the
     * rows of that inner opening committed in turn (level 2); the innermost opening sends its rows.
     * Each level shrinks the rows' cost to about the square root of the level above's, so a third
     * level would save a few kilobytes for another sumcheck and Merkle tree.
     */
    public static final int ROW_LEVELS = 2;

    /**
     * The soundness target of the inner opening that has {@code levels} levels of committed rows
     * left: INNER_BITS for the first inner opening (ROW_LEVELS - 1 left), NESTED_STEP_BITS more
     * for each level below it.
     */
    static int innerBits(int levels) {
        return INNER_BITS + NESTED_STEP_BITS * (ROW_LEVELS - 1 - levels);
    }

    /**
     * -log2 of the soundness error of a top-level opening with these parameters, in either mode a
     * prover may use (the verifier accepts both): {@link #soundnessBits(int)} with
     * {@link #ROW_LEVELS} levels.
     */
    public double soundnessBits() {
        return soundnessBits(ROW_LEVELS);
    }

    /**
     * -log2 of the soundness error of an opening that may commit its rows through {@code levels}
     * more levels: the sent-rows error ({@link #sentSoundnessBits}) plus, when levels > 0, what the
     * committed-rows mode adds: its inner opening's 2^-innerBits(levels - 1) (the inner parameters
     * are chosen to reach it, their own nested levels included), (2 queries + 1)/|F| for the
     * batching of the row claims and 2 x 64/|F| for their degree-2 sumcheck (at most 64 variables).
     */
    public double soundnessBits(int levels) {
        double extra = levels <= 0 ? 0
                : Math.pow(2, -innerBits(levels - 1)) + (2.0 * queries + 1 + 128) / Math.pow(2, Fp3.LOG2_SIZE);
        return -Math.log(sentError() + extra) / Math.log(2);
    }

    /** -log2 of the soundness error when the rows are sent (the bound in the class comment). */
    public double sentSoundnessBits() {
        return soundnessBits(0);
    }

    private double sentError() {
        double k = messageLength();
        double n = codeLength();
        double e = (1 - k / n) / 2; // the unique decoding radius, below delta/2 with delta = 1 - (k - 1)/n
        double queryErr = Math.pow(1 - e, queries) * Math.pow(2, -GRIND_BITS);
        double fieldErr = ((rows() + 3.0) * n + 2 + 2 * numVars) / Math.pow(2, Fp3.LOG2_SIZE);
        return queryErr + fieldErr;
    }

    /** Proof bytes of one top-level opening: the smaller of the two modes ({@link #committedRowsSmaller}). */
    public long estimatedProofBytes() {
        return estimatedProofBytes(ROW_LEVELS);
    }

    /** Proof bytes of one opening with {@code levels} levels of committed rows allowed: the smaller mode. */
    public long estimatedProofBytes(int levels) {
        return Math.min(sentProofBytes(), committedProofBytes(levels));
    }

    /** Proof bytes of one opening with the rows sent (columns, salts, Merkle paths, two extension rows, sumcheck). */
    public long sentProofBytes() {
        return columnBytes() + 2L * messageLength() * 24 + 1;
    }

    /** {@link #committedProofBytes(int)} for a top-level opening. */
    public long committedProofBytes() {
        return committedProofBytes(ROW_LEVELS);
    }

    /**
     * Proof bytes of one opening with the rows committed: the columns, the inner root, the row
     * claims' sumcheck and the inner opening ({@link CommittedRows}), itself in its smaller mode
     * with levels - 1 levels left; Long.MAX_VALUE when levels is 0 or no inner parameters exist.
     * (The inner opening has no batching sumcheck of its own: the row claims' sumcheck is it.)
     */
    public long committedProofBytes(int levels) {
        PcsParams inner = levels <= 0 ? null : CommittedRows.innerParams(this, levels - 1);
        if (inner == null) {
            return Long.MAX_VALUE;
        }
        long rowSumcheck = (long) inner.numVars() * 2 * 24 + 2 * 24 + 8;
        return columnBytes() + 1 + 32 + rowSumcheck + inner.estimatedProofBytes(levels - 1) - (long) inner.numVars() * 2 * 24;
    }

    /** Whether a top-level opening commits its rows (the prover's choice of mode). */
    public boolean committedRowsSmaller() {
        return committedRowsSmaller(ROW_LEVELS);
    }

    /** Whether an opening with {@code levels} levels of committed rows allowed commits its rows. */
    public boolean committedRowsSmaller(int levels) {
        return committedProofBytes(levels) < sentProofBytes();
    }

    private long columnBytes() {
        long columns = (long) queries * (rows() + MASK_ROWS) * 8;
        long salts = (long) queries * 16;
        long paths = (long) Math.ceil(32 * expectedPathNodes(queries, codeVars)) + 4L * queries;
        long sumcheck = (long) numVars * 2 * 24;
        return columns + salts + paths + sumcheck + 8;
    }

    /**
     * Expected Merkle nodes sent for q uniform queries into 2^depth leaves when paths share their
     * tops ({@link ColumnSet}): a column sends its node at level l exactly when it is the first
     * query in its subtree of height l, so level l sends the number of distinct subtrees hit,
     * B (1 - (1 - 1/B)^q) in expectation with B = 2^(depth - l).
     */
    static double expectedPathNodes(int q, int depth) {
        double nodes = 0;
        for (int l = 0; l < depth; l++) {
            double b = Math.pow(2, depth - l);
            nodes += b * -Math.expm1(q * Math.log1p(-1 / b));
        }
        return nodes;
    }

    /**
     * The parameters minimising proof bytes for 2^numVars evaluations at {@code securityBits}, over
     * every matrix shape and every code length N with rate K/N in [1/4, 1/2], each with the fewest
     * queries meeting the target. Rates below 1/4 shrink proofs by a few percent but multiply the
     * prover's encoding time and memory (which is N/K times the data), so they are not used.
     */
    public static PcsParams choose(int numVars, int securityBits) {
        return choose(numVars, securityBits, 1);
    }

    /**
     * As {@link #choose(int, int)} for a commitment that will be opened in zero knowledge up to
     * {@code zkBudget} times (padding zkBudget x queries per row): the longer message lowers the
     * code's distance, so the queries are chosen again for the target. zkBudget = 1 gives exactly
     * the parameters of {@link #choose(int, int)}.
     */
    public static PcsParams choose(int numVars, int securityBits, int zkBudget) {
        return chooseFor(1L << numVars, securityBits, zkBudget);
    }

    /**
     * As {@link #choose(int, int, int)} for a polynomial of which only the first {@code entries}
     * entries may be nonzero: every matrix shape is costed with the rows it needs
     * ({@link #dataRows}), so a 2^26 + 2^24 stack commits about 1.25 x 2^26 entries, not 2^27.
     * For entries = 2^n this gives exactly the parameters of {@code choose(n, ...)}.
     */
    public static PcsParams chooseFor(long entries, int securityBits, int zkBudget) {
        // A split opening (prove-job --sumcheck-partitions) keeps O(code length) state per
        // commitment on the driver (a quarter of each Merkle tree, the companion's messages, the
        // committed rows' transforms and inner polynomial), and the widest shapes the committed mode favours are 8 to 16 times longer
        // than the sent-rows ones: past a driver heap below the model's size (StandaloneClusterTest).
        // So codes are at most twice the best sent-rows shape's, or for a per-proof commitment the
        // smallest power of two of at least entries / (2 PER_PROOF_ENTRIES_PER_CODE) positions
        // (at most one per PER_PROOF_ENTRIES_PER_CODE entries) when that is longer.
        PcsParams sent = chooseFor(entries, securityBits, zkBudget, true, ROW_LEVELS, 30);
        int maxCodeVars = sent.codeVars() + 1;
        if (zkBudget == 1) {
            maxCodeVars = Math.max(maxCodeVars, varsFor((entries + 2 * PER_PROOF_ENTRIES_PER_CODE - 1) / (2 * PER_PROOF_ENTRIES_PER_CODE)));
        }
        return chooseFor(entries, securityBits, zkBudget, false, ROW_LEVELS, maxCodeVars);
    }

    /**
     * A per-proof commitment may take a code of up to one position per this many entries (if
     * longer than twice its best sent-rows code; a power of two at least half that): the
     * stories15M witness (77M entries) gets 2^20 positions and an opening of about 0.87 MB instead
     * of 1.58 MB at twice the sent-rows code, for O(code length) driver state (about 250 bytes a
     * position) under half its data's size.
     */
    static final long PER_PROOF_ENTRIES_PER_CODE = 64;

    /**
     * The chooser; {@code sentCost}: cost every shape with its rows sent; {@code levels}: the levels
     * of committed rows its openings may use ({@link #soundnessBits(int)}, {@link
     * #estimatedProofBytes(int)}): ROW_LEVELS for a top-level commitment, fewer for the inner
     * commitments of {@link CommittedRows}, 0 for the innermost, whose rows are always sent.
     */
    static PcsParams chooseFor(long entries, int securityBits, int zkBudget, boolean sentCost, int levels) {
        return chooseFor(entries, securityBits, zkBudget, sentCost, levels, 30);
    }

    /** As above with code lengths up to 2^maxCodeVars. */
    static PcsParams chooseFor(long entries, int securityBits, int zkBudget, boolean sentCost, int levels, int maxCodeVars) {
        int numVars = varsFor(entries);
        if (zkBudget < 1 || zkBudget > MAX_ZK_BUDGET) {
            throw new IllegalArgumentException("zk budget " + zkBudget + " outside [1, " + MAX_ZK_BUDGET + "]");
        }
        PcsParams best = null;
        for (int colVars = Math.max(0, numVars - 30); colVars <= Math.min(numVars, 29); colVars++) {
            for (int codeVars = colVars + 1; codeVars <= Math.min(30, maxCodeVars); codeVars++) {
                long n = 1L << codeVars;
                if (2 * ((1L << colVars) + 1) > n) {
                    continue;
                }
                if (1L << colVars > n / 2 && colVars > 12) {
                    break;
                }
                // the smallest padding giving rate >= 1/4 (more queries only add hiding and soundness)
                long minPad = Math.max(1, n / 4 - (1L << colVars));
                int first = (int) ((minPad + zkBudget - 1) / zkBudget);
                if (first > 4096) {
                    break;
                }
                for (int queries = first; queries <= 4096; queries++) {
                    long k = (1L << colVars) + (long) queries * zkBudget;
                    if (2 * k > n) {
                        break; // rate above 1/2
                    }
                    PcsParams p = new PcsParams(numVars, numVars - colVars, colVars, codeVars, queries, zkBudget,
                            rowsFor(entries, numVars - colVars, colVars));
                    if (p.soundnessBits(levels) >= securityBits) {
                        if (best == null || cost(p, sentCost, levels) < cost(best, sentCost, levels)) {
                            best = p;
                        }
                        break;
                    }
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no parameters reach " + securityBits + " bits for 2^" + numVars);
        }
        return best;
    }

    private static long cost(PcsParams p, boolean sentOnly, int levels) {
        return sentOnly ? p.sentProofBytes() : p.estimatedProofBytes(levels);
    }

    /**
     * Parameters for a one-row matrix (colVars = numVars) of at most 2^16 entries: its evaluation row
     * can carry any linear functional of the entries, not only an eq point (the batching mask of
     * {@link TensorCodePcs#openZk}). Encoding such a row is negligible work, so rates down to 1/256
     * are allowed; only proof bytes are minimised, with the rows sent (it is opened with no level of
     * committed rows). The soundness bound is the same as above.
     */
    public static PcsParams chooseSingleRow(int numVars, int securityBits) {
        if (numVars < 0 || numVars > 16) {
            throw new IllegalArgumentException("a one-row commitment holds at most 2^16 entries, not 2^" + numVars);
        }
        PcsParams best = null;
        for (int codeVars = numVars + 1; codeVars <= Math.min(30, numVars + 8); codeVars++) {
            long n = 1L << codeVars;
            for (int queries = 1; queries <= 4096; queries++) {
                if (2 * ((1L << numVars) + queries) > n) {
                    break;
                }
                PcsParams p = new PcsParams(numVars, 0, numVars, codeVars, queries);
                if (p.soundnessBits() >= securityBits) {
                    if (best == null || p.sentProofBytes() < best.sentProofBytes()) {
                        best = p;
                    }
                    break;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no one-row parameters reach " + securityBits + " bits for 2^" + numVars);
        }
        return best;
    }

    /**
     * Budget 1 writes the original five fields (so every existing commitment keeps its bytes and
     * digest); a larger budget sets the top bit of the codeVars byte and appends it as a u32.
     */
    public void write(ByteSink out) {
        out.u8(numVars).u8(truncated() ? rowVars | ROWS_FLAG : rowVars).u8(colVars).u8(zkBudget == 1 ? codeVars : codeVars | BUDGET_FLAG)
                .u32(queries);
        if (zkBudget != 1) {
            out.u32(zkBudget);
        }
        if (truncated()) {
            out.u32(dataRows);
        }
    }

    public static PcsParams read(ByteSource in) throws MalformedInputException {
        int n = in.u8("pcs numVars");
        int r = in.u8("pcs rowVars");
        int c = in.u8("pcs colVars");
        int code = in.u8("pcs codeVars");
        int q = in.count("pcs queries", 1 << 16);
        int budget = 1;
        if ((code & BUDGET_FLAG) != 0) {
            code &= ~BUDGET_FLAG;
            budget = in.count("pcs zk budget", MAX_ZK_BUDGET);
            if (budget < 2) {
                // one encoding per parameter set: the digest of a commitment must not have two forms
                throw new MalformedInputException("pcs zk budget " + budget + " must be written without the budget flag");
            }
        }
        int dataRows = -1;
        if ((r & ROWS_FLAG) != 0) {
            r &= ~ROWS_FLAG;
            dataRows = in.count("pcs data rows", 1 << 30);
            if (r > 30 || dataRows >= (1 << r)) {
                // likewise: all rows committed is written without the flag
                throw new MalformedInputException("pcs data rows " + dataRows + " must be fewer than the 2^" + r + " rows");
            }
        }
        try {
            return dataRows < 0 ? new PcsParams(n, r, c, code, q, budget) : new PcsParams(n, r, c, code, q, budget, dataRows);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException("pcs parameters: " + e.getMessage());
        }
    }
}
