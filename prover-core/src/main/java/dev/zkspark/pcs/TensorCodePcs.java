package dev.zkspark.pcs;

import dev.zkspark.core.Parallel;
import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.field.Ntt;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.Subclaim;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.sumcheck.SumcheckVerifier;
import dev.zkspark.transcript.Digester;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Ligero/Brakedown-style tensor-code multilinear commitment over Goldilocks (DESIGN §4), hiding
 * and batched. Parameters and soundness: {@link PcsParams}.
 *
 * <p><b>Commit.</b> Tensors are stacked into aligned regions of one polynomial of 2^n evaluations,
 * laid out as a matrix (low variables = column) of which only the rows the regions reach are
 * committed ({@link PcsParams#dataRows}; the rest are zero by definition, take weight 0 in every
 * row combination and are never encoded or opened). A zero-padded tensor may be committed as the
 * pieces of its real entries ({@link Piece}; claims on it are rewritten onto them, {@code
 * PieceClaims}). Each row's message (entries, then random padding
 * coefficients) is NTT-encoded; two random F_p^3 mask rows (six base rows) are added. Column j's leaf is
 * H(salt_j || d_0 || d_1 || ... || d_mask) where d_c hashes column j's entries in rows
 * [32c, 32c + 32) and d_mask its mask entries; leaves form a Merkle tree. Because the chunking is
 * fixed, rows can be encoded in bands (any split on chunk boundaries) by different workers and the
 * root is the same ({@link #encodeBand}, {@link #combine}).
 *
 * <p><b>Open.</b> All claims (region, point, value) are combined with powers of a challenge alpha and
 * reduced by one degree-2 sumcheck of F(x) G(x), G = sum_c alpha^c eq((p_c, region bits), x), to one
 * point rho. The prover sends the evaluation mask's value y_R = R_eval(rho_lo); with a challenge
 * mu, the evaluation row v = sum_i eq(rho_hi, i) M_i + mu R_eval and the proximity row
 * u = sum_i gamma^i M_i + R_prox; then the queried columns with salts and paths. The verifier checks
 * the sumcheck, that v's data part at eq(rho_lo) equals F(rho) + mu y_R, and at every queried
 * column that the encodings of u and v match the same combinations of the column's entries. y_R is
 * fixed before mu, so a false F(rho) survives for at most one mu.
 *
 * <p><b>Hiding.</b> v and u are uniformly random (masked by the random rows); opened columns are
 * uniform (each row has as many random padding coefficients as there are queries, so any query
 * positions of a row's codeword are uniform); unopened leaves are hidden by 16-byte salts. The
 * batching sumcheck of {@link #open} is NOT zero knowledge: its round messages are linear
 * combinations of the committed entries. {@link #openZk} is the zero-knowledge opening.
 *
 * <p><b>Zero-knowledge open ({@link #openZk}, Libra's masked sumcheck, Xie et al. 2019 §4.1).</b>
 * Claims are {@link LinearClaim}s whose terms may lie in different commitments. After absorbing
 * every commitment digest, the batch mask's digest and every claim, alpha is drawn; commitment k's
 * kernel W_k is sum_c alpha^c (its terms of claim c: coeff eq(point, .) on an Eval term's region,
 * the weights on offset + slot for Slots). With n = max n_k and c_k = 2^-(n - n_k) the prover shows
 * sum_x F(x) = sum_c alpha^c value_c, F(x) = sum_k c_k P_k(x_tail) W_k(x_tail) (P_k joins late:
 * its variables are the last n_k), masked: it sends H = sum_x G_mask(x) for the committed
 * G_mask(x) = a_0 + sum_i (c_i1 x_i + c_i2 x_i^2), draws rho and runs one degree-2 sumcheck of
 * F + rho G_mask against sum_c alpha^c value_c + rho H (values at 0 and 2 per round). It then sends
 * every P_k(rho_k) (rho_k = the last n_k challenges) and G_mask(rho); the verifier computes each
 * W_k(rho_k) itself and checks the last round. Finally each commitment is opened at rho_k for
 * P_k(rho_k) and the one-row batch mask for the functional G_mask(rho) (column weights 1, rho_i,
 * rho_i^2 times the basis 1, X, X^2 of F_p^3), each with the tensor-code opening above.
 *
 * <p><i>Hiding.</i> (1) Round messages: with G_mask's coefficients uniform in F_p^3, the messages
 * of F + rho G_mask are simulatable from the challenges, H, G_mask(rho) and F(rho) alone (Libra
 * §4.1: round i's polynomial has its linear and quadratic coefficients shifted by
 * rho 2^(n-i-1) c_i1 and rho 2^(n-i-1) c_i2, fresh uniform elements, so subject to the running
 * sum it is uniform). (2) F(rho) is a function of the P_k(rho_k), each
 * uniform and independent provided the caller committed a blinding region in every commitment: a
 * tensor of at least 4 (8 recommended) fresh uniform entries that no claim touches; its extension
 * at rho_k, weighted by eq(rho_k's high bits, region index) != 0, adds a uniform element of F_p^3
 * (the 4 eq weights of 2 variables at a random point span F_p^3 except with probability about
 * 2^-64). (3) H and G_mask(rho) are what Libra reveals (functions of the fresh mask only). (4) The
 * tensor-code openings reveal, as above, uniform masked rows v, u and uniform columns beyond the
 * opened value. So each commitment and each batch mask must be opened once (a reused G_mask would
 * be seen at two points); a commitment opened more often needs a companion per opening and a
 * padding budget (below). A commitment opened once uses its own mask rows, which are F_p^3-valued
 * (three base rows each) for the reason given below, so v and u are uniform over F_p^3.
 *
 * <p><b>Reused commitments: companions.</b> A commitment opened by many proofs (the model) must not
 * use its own mask rows: two proofs give v_t = sum_i eq(rho_t)_i M_i + mu_t R with the same R, so
 * v_1 - (mu_1/mu_2) v_2 is a combination of data rows in the clear; and the fixed blinding region
 * hides P(rho) only for as many proofs as it has entries. (A base-field mask row would mask only
 * the F_p-line through its coefficient in each F_p^3 coordinate: u = sum_i gamma^i M_i + R_prox
 * would show the X and X^2 coordinates of sum_i gamma^i M_i[x] in the clear, and v two of three;
 * hence F_p^3 mask rows everywhere.) So
 * each proof commits a <i>companion</i> ({@link #commitCompanion}) with the same code (columns,
 * message length, code length): fresh uniform rows Bl, R_eval in F_p^3 (three base rows) and
 * R_prox in F_p^3. For commitment k with a companion, the batching sumcheck gets one more
 * variable b, bound last, and instance k becomes (1 - b)(P_k(x) + b Bl_k~(x_lo)) W_k(x) (as in
 * {@code sumcheck/ZkSumcheck}: the factor (1 - b) kills the b = 1 half, so the rounds over x are the
 * plain ones and no table grows; every instance gets the factor, those without a companion with
 * the term b Bl~ absent; the b round, of degree 2, is computed from the final values; the mask
 * G_mask has a g_b term, so the batch mask is committed for n + 1 variables). The revealed final is
 * P_k(rho_k) + r_b Bl~(rho_lo): one functional of the extended matrix [M; Bl] with row weights
 * (eq(rho_hi), r_b) and column weights eq(rho_lo), opened with ONE evaluation row
 * v = sum_i eq_i M_i + r_b Bl + mu R_eval (y_R = R_eval~(rho_lo)) and the proximity row
 * u = sum_i gamma^i M_i + gamma^rows Bl + R_prox; each queried column j is sent for both the
 * commitment and the companion (salts and paths in both trees, the same j). Hiding across proofs:
 * the final is uniform (Bl fresh; Bl~(rho_lo) is uniform in F_p^3 because eq(rho_lo)'s three
 * coordinate vectors are F_p-independent except with probability about cols/p^2), v and u are
 * uniform (mu R_eval and R_prox are uniform in F_p^3^K, independent across proofs), y_R follows
 * from v and the final, the companion's columns are uniform (its padding) and the commitment's own
 * columns are uniform while the openings' total stays within its padding budget
 * ({@link PcsParams}: zkBudget proofs of q columns). Soundness: the companion's digest is absorbed
 * with the commitments, before alpha, mu and gamma, so the opening is the plain tensor-code
 * argument on the matrix [M; companion rows] whose extra rows are fixed committed rows: u is an
 * affine combination R_prox + sum_i gamma^i M'_i over the rows + 1 rows M' = [M; Bl], for which
 * correlated agreement holds on affine lines and power combinations alike (BCIKS20 Thm 1.6 and §6,
 * affine-space version: if R_prox + sum gamma^i M'_i is e-close to the code for more than
 * (rows + 2) N of the gammas, then [M'; R_prox] is jointly e-close), so PcsParams' bound holds
 * with rows + 1 in place of rows; the b round adds 2/|F| to the sumcheck error.
 *
 * <p><i>Soundness</i> (|F| = p^3 ~ 2^192, C claims, K commitments). A false claim survives the
 * alpha combination with probability at most (C - 1)/|F|; G_mask is fixed by its commitment and H
 * is absorbed before rho, so a false combined sum gives a false masked sum for at most one rho
 * (1/|F|); the degree-2 sumcheck over n variables errs with at most 2n/|F|; the K + 1 tensor-code
 * openings each err with at most 2^-soundnessBits of their parameters (100 bits by default; each
 * also includes its mu's 1/|F|). With C <= 2^20 and n <= 60 the field terms are below 2^-171, so
 * the total is at most (K + 1) 2^-100 + 2^-171: take the commitments' security target
 * log2(K + 1) bits higher to keep 100 bits overall.
 */
public final class TensorCodePcs {
    static final int SALT_BYTES = 16;
    private static final Expression PRODUCT = Expression.product(2);

    private TensorCodePcs() {}

    /**
     * A named tensor to commit: 2^k base-field entries, committed whole ({@code pieces} null) or as
     * the given disjoint {@link Piece}s, outside which every entry must be zero (a zero-padded
     * tensor: only its real entries are committed).
     */
    public record Tensor(String name, long[] values, List<Piece> pieces) {
        public Tensor {
            if (Integer.bitCount(values.length) != 1) {
                throw new IllegalArgumentException("tensor " + name + " must have a power-of-two size (pad it)");
            }
            if (pieces != null) {
                pieces = List.copyOf(pieces);
                checkPieces(name, values, pieces);
            }
        }

        public Tensor(String name, long[] values) {
            this(name, values, null);
        }
    }

    private static void checkPieces(String name, long[] values, List<Piece> pieces) {
        long size = values.length;
        boolean[] covered = new boolean[values.length];
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            if (((p.freeMask() | p.fixed()) & ~(size - 1)) != 0) {
                throw new IllegalArgumentException("piece " + i + " of " + name + " lies outside its 2^"
                        + Long.numberOfTrailingZeros(size) + " entries");
            }
            for (int j = 0; j < i; j++) {
                if (p.overlaps(pieces.get(j))) {
                    throw new IllegalArgumentException("pieces " + j + " and " + i + " of " + name + " overlap");
                }
            }
            for (long x = 0; x < (1L << p.numVars()); x++) {
                covered[(int) p.index(x)] = true;
            }
        }
        for (int x = 0; x < values.length; x++) {
            if (!covered[x] && values[x] != 0) {
                throw new IllegalArgumentException("tensor " + name + " has a nonzero entry " + x + " outside its pieces");
            }
        }
    }

    /** The region name of a tensor's piece: its name, '#', the piece's rank among the tensor's regions. */
    public static String pieceName(String tensor, int i) {
        return tensor + "#" + i;
    }

    /** Encoded rows [firstRow, firstRow + rows) and their chunk digests (a band's work). */
    public record Band(int firstRow, long[][] codewords, byte[][][] chunkDigests) {}

    /** The prover's state after committing: what an opening needs. */
    public static final class Committed {
        final Commitment commitment;
        final long[] poly;
        final long[][] messages;
        final long[][] codewords;
        /**
         * The Merkle tree's levels from {@link #TREE_LOW} up (the root last): the bottom levels are
         * recomputed from the columns around each queried one ({@link #queried}), and the salts
         * from the seed, so an opener keeps a quarter of the tree and no salt.
         */
        final byte[][] tree;
        final byte[] seed;
        /** Where the data rows are when this JVM does not hold them (poly null, data codewords null), else null. */
        final RowBands bands;
        /**
         * How {@link #openRows} opens this commitment: null picks the smaller mode for its
         * parameters ({@link PcsParams#committedRowsSmaller}), true commits the rows, false sends
         * them (tests fix the mode).
         */
        Boolean rowsCommitted;

        Committed(Commitment commitment, long[] poly, long[][] messages, long[][] codewords, byte[][] tree, byte[] seed) {
            this(commitment, poly, messages, codewords, tree, seed, null);
        }

        Committed(Commitment commitment, long[] poly, long[][] messages, long[][] codewords, byte[][] tree, byte[] seed,
                RowBands bands) {
            this.bands = bands;
            this.seed = seed.clone();
            this.commitment = commitment;
            this.poly = poly;
            this.messages = messages;
            this.codewords = codewords;
            this.tree = tree;
        }

        public Commitment commitment() {
            return commitment;
        }

        /** Entries [from, from + len) of the committed polynomial (its data; zero past it), a copy. */
        public long[] polySlice(long from, int len) {
            if (poly == null) {
                throw new IllegalStateException("the rows of this commitment are held in bands elsewhere");
            }
            long[] out = new long[len];
            if (from < poly.length) {
                System.arraycopy(poly, (int) from, out, 0, (int) Math.min(len, poly.length - from));
            }
            return out;
        }

        /** The codewords of data rows [first, first + count) (shared, not copied). */
        public long[][] codewordRows(int first, int count) {
            if (poly == null) {
                throw new IllegalStateException("the rows of this commitment are held in bands elsewhere");
            }
            return count == 0 ? new long[0][] : Arrays.copyOfRange(codewords, first, first + count);
        }
    }

    /**
     * The opener's state of a commitment whose data rows are held in bands elsewhere: the mask rows
     * (and at opening the salts) from the seed, the Merkle tree from the leaves (every column's, in
     * order, as {@link #subtreeLeaves} computes them by column range), checked against the
     * commitment's root. Openings ask {@code bands} for everything that touches a data row.
     *
     * @throws IllegalArgumentException if the leaves do not give the commitment's root
     */
    public static Committed remote(Commitment c, byte[][] leaves, byte[] seed, RowBands bands) {
        byte[][] tree = treeOf(c.params(), leaves);
        if (!Arrays.equals(root(tree), c.root())) {
            throw new IllegalArgumentException("the bands' rows do not give this commitment's root");
        }
        return withTree(c, tree, seed, bands);
    }

    /**
     * As {@link #remote(Commitment, byte[][], byte[], RowBands)} for a commitment made here from
     * its bands' leaves: the root is the leaves' (the distributed commit of a witness).
     */
    public static Committed remote(Layout layout, byte[][] leaves, byte[] seed, RowBands bands) {
        byte[][] tree = treeOf(layout.params(), leaves);
        return withTree(new Commitment(root(tree), layout.params(), layout.regions()), tree, seed, bands);
    }

    private static byte[][] treeOf(PcsParams p, byte[][] leaves) {
        if (leaves.length != p.codeLength()) {
            throw new IllegalArgumentException(leaves.length + " leaves for a code of length " + p.codeLength());
        }
        return merkle(leaves);
    }

    private static Committed withTree(Commitment c, byte[][] tree, byte[] seed, RowBands bands) {
        PcsParams p = c.params();
        long[][] messages = new long[p.rows() + PcsParams.MASK_ROWS][];
        long[][] masks = maskMessages(p, seed);
        for (int k = 0; k < PcsParams.MASK_ROWS; k++) {
            messages[p.rows() + k] = masks[k];
        }
        // no mask codewords: the opener needs them only at the queried columns, encoded there from
        // the messages one row at a time (columnsAt), which keeps O(code length) longs off the driver
        return new Committed(c, null, messages, new long[p.rows() + PcsParams.MASK_ROWS][], prune(tree), seed, bands);
    }

    /**
     * The leaves of columns [from, from + width) (an aligned range) from every band's digests of
     * those columns: the second stage of assembling a remote commitment's tree ({@link #remote}).
     */
    public static byte[][] subtreeLeaves(PcsParams p, List<BandDigests> bands, int from, int width, byte[] seed) {
        if (Integer.bitCount(width) != 1 || from % width != 0 || from + width > p.codeLength()) {
            throw new IllegalArgumentException("columns [" + from + ", " + (from + width) + ") are not an aligned subtree");
        }
        byte[] flat = leaves(p, bands, maskCodewords(p, seed), salts(p, seed), from, width);
        byte[][] out = new byte[width][];
        for (int k = 0; k < width; k++) {
            out[k] = Arrays.copyOfRange(flat, 32 * k, 32 * k + 32);
        }
        return out;
    }

    /**
     * One band's part of {@link RowBands#combineRows}: for each coefficient vector, sum over the
     * band's data rows i of coefs[t][i] M_i, where {@code slice} holds the entries of rows
     * [firstRow, firstRow + rows) and the messages' padding comes from the seed as at commit time.
     */
    public static long[][] combineBand(PcsParams p, long[] slice, int firstRow, int rows, byte[] seed, long[][] coefs) {
        int k = p.messageLength();
        long[][] acc = new long[coefs.length][3 * k];
        long[][] msgs = new long[rows][];
        Parallel.forRange(rows, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                msgs[i] = message(p, slice, i, firstRow + i, seed);
            }
        });
        for (int t = 0; t < coefs.length; t++) {
            long[] a = acc[t];
            long[] cf = coefs[t];
            Parallel.forRange(k, (from, to) -> {
                for (int i = 0; i < rows; i++) {
                    addRow(a, msgs[i], cf, firstRow + i, from, to);
                }
            });
        }
        return acc;
    }

    /** acc[x] += coef_row * m[x] for x in [from, to), coefficient {@code row} of {@code coefs}. */
    private static void addRow(long[] acc, long[] m, long[] coefs, int row, int from, int to) {
        long c0 = coefs[3 * row], c1 = coefs[3 * row + 1], c2 = coefs[3 * row + 2];
        for (int x = from; x < to; x++) {
            long e = m[x];
            acc[3 * x] = Goldilocks.add(acc[3 * x], Goldilocks.mul(c0, e));
            acc[3 * x + 1] = Goldilocks.add(acc[3 * x + 1], Goldilocks.mul(c1, e));
            acc[3 * x + 2] = Goldilocks.add(acc[3 * x + 2], Goldilocks.mul(c2, e));
        }
    }

    /** One band's part of {@link RowBands#columns}: out[x][i] = codewords[i][js[x]]. */
    public static long[][] bandColumns(long[][] codewords, int[] js) {
        long[][] out = new long[js.length][codewords.length];
        for (int x = 0; x < js.length; x++) {
            for (int i = 0; i < codewords.length; i++) {
                out[x][i] = codewords[i][js[x]];
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- layout

    /** Regions for tensors of the given sizes, largest first, aligned; the total is a power of two. */
    public static List<Region> layout(List<Tensor> tensors) {
        List<Region> tables = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Tensor t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("tensor " + t.name() + " committed twice");
            }
            int tv = Integer.numberOfTrailingZeros(t.values().length);
            if (t.pieces() == null) {
                tables.add(new Region(t.name(), tv, 0));
                continue;
            }
            for (int i = 0; i < t.pieces().size(); i++) {
                Piece p = t.pieces().get(i);
                tables.add(new Region(pieceName(t.name(), i), p.numVars(), 0, t.name(), tv, p.freeMask(), p.fixed()));
            }
        }
        for (Region r : tables) {
            if (r.isPiece() && names.contains(r.name())) {
                throw new IllegalArgumentException("piece " + r.name() + " has the name of a tensor");
            }
        }
        return pack(tables);
    }

    /**
     * The layout {@link #layout} gives whole tensors of these names and sizes (2^numVars entries):
     * what a verifier lays out for a commitment whose regions a proof leaves out.
     */
    public static List<Region> layoutOfSizes(java.util.Map<String, Integer> numVars) {
        List<Region> tables = new ArrayList<>();
        for (java.util.Map.Entry<String, Integer> e : numVars.entrySet()) {
            tables.add(new Region(e.getKey(), e.getValue(), 0));
        }
        return pack(tables);
    }

    private static List<Region> pack(List<Region> tables) {
        // largest first (aligned packing); a tensor's pieces keep their order, then are numbered in table order
        tables.sort(Comparator.comparingInt((Region r) -> -r.numVars()).thenComparing(Region::tensor)
                .thenComparingInt(r -> r.isPiece() ? Integer.parseInt(r.name().substring(r.name().lastIndexOf('#') + 1)) : 0));
        List<Region> regions = new ArrayList<>();
        java.util.Map<String, Integer> numbered = new java.util.HashMap<>();
        long pos = 0;
        for (Region r : tables) {
            String name = r.isPiece() ? pieceName(r.tensor(), numbered.merge(r.tensor(), 1, Integer::sum) - 1) : r.name();
            regions.add(new Region(name, r.numVars(), pos, r.tensor(), r.tensorVars(), r.freeMask(), r.fixed()));
            pos += 1L << r.numVars();
        }
        return regions;
    }

    /** Entries the regions occupy: the end of the last one (the layout packs them without gaps). */
    static long totalEntries(List<Region> regions) {
        long total = 0;
        for (Region r : regions) {
            total = Math.max(total, r.offset() + (1L << r.numVars()));
        }
        return total;
    }

    static int totalVars(List<Region> regions) {
        return PcsParams.varsFor(totalEntries(regions));
    }

    // ---------------------------------------------------------------- commit

    public static Committed commit(List<Tensor> tensors, byte[] seed) {
        return commit(tensors, seed, 100, 1);
    }

    /** The public layout {@link #commit(List, byte[])} gives these tensors: its code parameters and regions. */
    public record Layout(PcsParams params, List<Region> regions) implements java.io.Serializable {}

    public static Layout layoutOf(List<Tensor> tensors) {
        List<Region> regions = layout(tensors);
        return new Layout(PcsParams.chooseFor(totalEntries(regions), 100, 1), regions);
    }

    /** Commits, encoding the rows in {@code bands} contiguous bands (the result never depends on it). */
    public static Committed commit(List<Tensor> tensors, byte[] seed, int securityBits, int bands) {
        return commit(tensors, seed, PcsParams.chooseFor(totalEntries(layout(tensors)), securityBits, 1), bands);
    }

    /**
     * Commits a polynomial that will be opened in zero knowledge up to {@code zkBudget} times (a
     * reused commitment such as the model's): the parameters carry padding zkBudget x queries per
     * row ({@link PcsParams#choose(int, int, int)}), so that many openings' columns stay uniform.
     */
    public static Committed commitReusable(List<Tensor> tensors, byte[] seed, int securityBits, int zkBudget) {
        return commit(tensors, seed, PcsParams.chooseFor(totalEntries(layout(tensors)), securityBits, zkBudget), 1);
    }

    /** Commits with explicit parameters (their numVars must fit the tensors). */
    public static Committed commit(List<Tensor> tensors, byte[] seed, PcsParams p, int bands) {
        List<Region> regions = layout(tensors);
        long[] poly = stack(tensors, regions, p);
        List<Band> encoded = new ArrayList<>();
        int b = bandCount(p, bands);
        for (int i = 0; i < b; i++) {
            int[] range = bandRange(p, i, b);
            encoded.add(encodeBand(p, poly, range[0], range[1], seed));
        }
        return combine(p, regions, poly, encoded, seed);
    }

    /** The stacked polynomial: every tensor copied into its region (parameters must fit). */
    public static long[] stack(List<Tensor> tensors, List<Region> regions, PcsParams p) {
        int n = totalVars(regions);
        if (p.numVars() != n || p.entries() < totalEntries(regions)) {
            throw new IllegalArgumentException("parameters for " + p.entries() + " of 2^" + p.numVars() + " entries, tensors need "
                    + totalEntries(regions) + " of 2^" + n);
        }
        long[] poly = new long[(int) p.entries()];
        java.util.Map<String, List<Region>> byTensor = new java.util.HashMap<>();
        for (Region r : regions) {
            byTensor.computeIfAbsent(r.tensor(), k -> new ArrayList<>()).add(r);
        }
        for (Tensor t : tensors) {
            for (Region r : byTensor.getOrDefault(t.name(), List.of())) {
                if (!r.isPiece()) {
                    System.arraycopy(t.values(), 0, poly, (int) r.offset(), t.values().length);
                    continue;
                }
                Piece pc = r.piece();
                int off = (int) r.offset();
                Parallel.forRange(1 << r.numVars(), (from, to) -> {
                    for (int x = from; x < to; x++) {
                        poly[off + x] = t.values()[(int) pc.index(x)];
                    }
                });
            }
        }
        return poly;
    }

    /** Parameters for these tensors (as {@link #commitReusable} chooses them). */
    public static PcsParams paramsFor(List<Tensor> tensors, int securityBits, int zkBudget) {
        return PcsParams.chooseFor(totalEntries(layout(tensors)), securityBits, zkBudget);
    }

    /** How many bands {@code wanted} bands become (at most one per chunk of 32 rows, at least one). */
    public static int bandCount(PcsParams p, int wanted) {
        int chunks = Math.max(1, p.rows() / PcsParams.CHUNK_ROWS);
        return Math.max(1, Math.min(wanted, chunks));
    }

    /** Band i of {@code bands} (from {@link #bandCount}): its first row and row count, whole chunks. */
    public static int[] bandRange(PcsParams p, int i, int bands) {
        int chunks = Math.max(1, p.rows() / PcsParams.CHUNK_ROWS);
        int chunkRows = p.rows() / chunks;
        if (bands < 1 || bands > chunks || i < 0 || i >= bands) {
            throw new IllegalArgumentException("band " + i + " of " + bands + " (at most " + chunks + " bands)");
        }
        int c0 = (int) ((long) chunks * i / bands);
        int c1 = (int) ((long) chunks * (i + 1) / bands);
        return new int[] {c0 * chunkRows, (c1 - c0) * chunkRows};
    }

    /** Row i's message: its entries then random padding coefficients (from the prover seed). */
    static long[] message(PcsParams p, long[] poly, int row, byte[] seed) {
        return message(p, poly, row, row, seed);
    }

    /** Row {@code row}'s message from entries held at row {@code at} of {@code poly} (a band's slice). */
    static long[] message(PcsParams p, long[] poly, int at, int row, byte[] seed) {
        long[] m = new long[p.messageLength()];
        System.arraycopy(poly, at * p.cols(), m, 0, p.cols());
        Drbg d = new Drbg(seed, "pcs/pad/" + row);
        for (int i = p.cols(); i < m.length; i++) {
            m[i] = d.nextField();
        }
        return m;
    }

    static long[] encode(PcsParams p, long[] message) {
        long[] c = Arrays.copyOf(message, p.codeLength());
        Ntt.forward(c);
        return c;
    }

    /**
     * Encodes rows [firstRow, firstRow + count) (a whole number of chunks) and hashes their column
     * chunks: the part of a commitment one worker computes from its band of rows.
     */
    public static Band encodeBand(PcsParams p, long[] poly, int firstRow, int count, byte[] seed) {
        int chunkRows = Math.min(PcsParams.CHUNK_ROWS, p.rows());
        if (firstRow % chunkRows != 0 || count % chunkRows != 0) {
            throw new IllegalArgumentException("bands must be whole chunks of " + chunkRows + " rows");
        }
        long[][] cw = new long[count][];
        Parallel.forRange(count, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                cw[i] = encode(p, message(p, poly, firstRow + i, seed));
            }
        });
        return new Band(firstRow, cw, digestBand(p, firstRow, cw).chunkDigests());
    }

    /**
     * The chunk digests of encoded rows [firstRow, firstRow + codewords.length) (whole chunks):
     * what {@link #encodeBand} hashes, recomputable from stored codewords (a chunk table).
     */
    public static BandDigests digestBand(PcsParams p, int firstRow, long[][] cw) {
        int chunkRows = Math.min(PcsParams.CHUNK_ROWS, p.rows());
        int count = cw.length;
        if (firstRow % chunkRows != 0 || count % chunkRows != 0) {
            throw new IllegalArgumentException("bands must be whole chunks of " + chunkRows + " rows");
        }
        for (long[] row : cw) {
            if (row.length != p.codeLength()) {
                throw new IllegalArgumentException("a codeword of " + row.length + " entries, the code has " + p.codeLength());
            }
        }
        int chunks = count / chunkRows;
        byte[][][] digests = new byte[chunks][p.codeLength()][];
        Parallel.forRange(p.codeLength(), (from, to) -> {
            Digester d = Hash.SHA256.newDigester();
            byte[] buf = new byte[8 * chunkRows];
            for (int j = from; j < to; j++) {
                for (int c = 0; c < chunks; c++) {
                    for (int i = 0; i < chunkRows; i++) {
                        Goldilocks.toBytesLE(cw[c * chunkRows + i][j], buf, 8 * i);
                    }
                    d.update(buf);
                    digests[c][j] = d.digest();
                }
            }
        });
        return new BandDigests(firstRow, count, digests);
    }

    static long[][] maskMessages(PcsParams p, byte[] seed) {
        long[][] m = new long[PcsParams.MASK_ROWS][p.messageLength()];
        for (int k = 0; k < PcsParams.MASK_ROWS; k++) {
            Drbg d = new Drbg(seed, "pcs/mask/" + k);
            for (int i = 0; i < m[k].length; i++) {
                m[k][i] = d.nextField();
            }
        }
        return m;
    }

    /**
     * A band's chunk digests without its codewords: what a worker that encoded rows
     * [firstRow, firstRow + rows) sends to the driver (32 bytes per chunk of 32 rows and column).
     */
    public record BandDigests(int firstRow, int rows, byte[][][] chunkDigests) implements java.io.Serializable {
        public static BandDigests of(Band b) {
            return new BandDigests(b.firstRow(), b.codewords().length, b.chunkDigests());
        }

        /** The digests of columns [from, to) only (what a band sends to the task that owns those columns). */
        public BandDigests columns(int from, int to) {
            byte[][][] d = new byte[chunkDigests.length][][];
            for (int c = 0; c < d.length; c++) {
                d[c] = Arrays.copyOfRange(chunkDigests[c], from, to);
            }
            return new BandDigests(firstRow, rows, d);
        }
    }

    /**
     * How many column ranges {@code wanted} becomes: the largest power of two at most
     * {@code wanted} and the code length, so every range is a whole aligned Merkle subtree.
     */
    public static int columnRangeCount(PcsParams p, int wanted) {
        int n = Integer.highestOneBit(Math.max(1, wanted));
        return Math.min(n, p.codeLength());
    }

    /** Column range i of {@code ranges} (from {@link #columnRangeCount}): its first column and width. */
    public static int[] columnRange(PcsParams p, int i, int ranges) {
        if (Integer.bitCount(ranges) != 1 || ranges > p.codeLength() || i < 0 || i >= ranges) {
            throw new IllegalArgumentException("column range " + i + " of " + ranges + " (a power of two at most " + p.codeLength() + ")");
        }
        int width = p.codeLength() / ranges;
        return new int[] {i * width, width};
    }

    /**
     * The root of the Merkle subtree over columns [from, from + width) (one of {@link #columnRange})
     * from every band's digests of those columns ({@link BandDigests#columns}): the work of a
     * distributed commit's second stage, which sends 32 bytes to the driver instead of every
     * chunk digest. {@link #commitmentFromSubtrees} joins the ranges' roots.
     */
    public static byte[] subtreeRoot(PcsParams p, List<BandDigests> bands, int from, int width, byte[] seed) {
        if (Integer.bitCount(width) != 1 || from % width != 0 || from + width > p.codeLength()) {
            throw new IllegalArgumentException("columns [" + from + ", " + (from + width) + ") are not an aligned subtree");
        }
        return root(merkleOver(leaves(p, bands, maskCodewords(p, seed), salts(p, seed), from, width)));
    }

    /** The commitment from the roots of equal aligned column ranges, in column order. */
    public static Commitment commitmentFromSubtrees(PcsParams p, List<Region> regions, List<byte[]> roots) {
        if (Integer.bitCount(roots.size()) != 1 || roots.size() > p.codeLength()) {
            throw new IllegalArgumentException(roots.size() + " subtree roots: need a power of two at most " + p.codeLength());
        }
        return new Commitment(root(merkle(roots.toArray(new byte[0][]))), p, regions);
    }

    /** Combines bands (in any order, covering every row once) into the commitment. */
    public static Committed combine(PcsParams p, List<Region> regions, long[] poly, List<Band> bands, byte[] seed) {
        List<Band> sorted = new ArrayList<>(bands);
        sorted.sort(Comparator.comparingInt(Band::firstRow));
        long[][] codewords = new long[p.rows() + PcsParams.MASK_ROWS][];
        List<BandDigests> digests = new ArrayList<>();
        for (Band b : sorted) {
            if (b.firstRow() + b.codewords().length <= p.rows()) {
                System.arraycopy(b.codewords(), 0, codewords, b.firstRow(), b.codewords().length);
            }
            digests.add(BandDigests.of(b));
        }
        long[][] masks = maskMessages(p, seed);
        for (int k = 0; k < PcsParams.MASK_ROWS; k++) {
            codewords[p.rows() + k] = encode(p, masks[k]);
        }
        byte[] salts = salts(p, seed);
        byte[][] tree = merkleOver(leaves(p, digests, codewords, salts));
        Commitment c = new Commitment(root(tree), p, regions);
        long[][] messages = new long[p.rows() + PcsParams.MASK_ROWS][];
        for (int k = 0; k < PcsParams.MASK_ROWS; k++) {
            messages[p.rows() + k] = masks[k];
        }
        return new Committed(c, poly, messages, codewords, prune(tree), seed);
    }

    /**
     * As {@link #combine}, from bands whose codewords were stored earlier (a chunk table) instead of
     * encoded now: every band's chunk digests are recomputed from its codewords, and the first row
     * of every band is encoded again from {@code poly} and compared, so codewords of another
     * polynomial or seed are refused here (IllegalArgumentException) rather than by a verifier. The
     * caller compares the returned root with the published one, which binds every codeword.
     */
    public static Committed combineStored(PcsParams p, List<Region> regions, long[] poly, List<Integer> firstRows, List<long[][]> codewords,
            byte[] seed) {
        if (firstRows.size() != codewords.size()) {
            throw new IllegalArgumentException(firstRows.size() + " band offsets for " + codewords.size() + " bands");
        }
        List<Band> bands = new ArrayList<>();
        for (int b = 0; b < codewords.size(); b++) {
            int first = firstRows.get(b);
            long[][] cw = codewords.get(b);
            BandDigests d = digestBand(p, first, cw);
            if (first < 0 || first + cw.length > p.rows()) {
                throw new IllegalArgumentException("band rows [" + first + ", " + (first + cw.length) + ") outside the " + p.rows() + " rows");
            }
            if (cw.length > 0 && !Arrays.equals(cw[0], encode(p, message(p, poly, first, seed)))) {
                throw new IllegalArgumentException("row " + first + " is not the encoding of this polynomial's row " + first);
            }
            bands.add(new Band(first, cw, d.chunkDigests()));
        }
        return combine(p, regions, poly, bands, seed);
    }

    /**
     * The commitment from every band's chunk digests alone: the same root as {@link #combine}
     * without the entries or any codeword of the data rows, so a driver can assemble the
     * commitment of a model it never holds (the mask rows and salts come from the seed).
     */
    public static Commitment commitmentFromDigests(PcsParams p, List<Region> regions, List<BandDigests> bands, byte[] seed) {
        return commitmentFromSubtrees(p, regions, List.of(subtreeRoot(p, bands, 0, p.codeLength(), seed)));
    }

    /** Codewords of the mask rows at indices rows..rows + MASK_ROWS - 1 (data rows null). */
    private static long[][] maskCodewords(PcsParams p, byte[] seed) {
        long[][] codewords = new long[p.rows() + PcsParams.MASK_ROWS][];
        long[][] masks = maskMessages(p, seed);
        for (int k = 0; k < PcsParams.MASK_ROWS; k++) {
            codewords[p.rows() + k] = encode(p, masks[k]);
        }
        return codewords;
    }

    private static final String SALT_LABEL = "pcs/salt";

    private static byte[] salts(PcsParams p, byte[] seed) {
        byte[] salts = new byte[SALT_BYTES * p.codeLength()];
        byte[] s = new byte[SALT_BYTES];
        Drbg saltRng = new Drbg(seed, SALT_LABEL);
        for (int j = 0; j < p.codeLength(); j++) {
            saltRng.nextBytes(s);
            System.arraycopy(s, 0, salts, SALT_BYTES * j, SALT_BYTES);
        }
        return salts;
    }

    /** Column leaves H(salt_j || chunk digests of column j in row order || mask digest). */
    private static byte[] leaves(PcsParams p, List<BandDigests> bands, long[][] codewords, byte[] salts) {
        return leaves(p, bands, codewords, salts, 0, p.codeLength());
    }

    /**
     * The leaves of columns [from, from + width), 32 bytes each in one flat array (no object per
     * leaf); the bands hold the digests of those columns only.
     */
    private static byte[] leaves(PcsParams p, List<BandDigests> bands, long[][] codewords, byte[] salts, int from, int width) {
        List<BandDigests> sorted = new ArrayList<>(bands);
        sorted.sort(Comparator.comparingInt(BandDigests::firstRow));
        List<byte[][]> chunkDigests = new ArrayList<>();
        int next = 0;
        for (BandDigests b : sorted) {
            if (b.firstRow() != next) {
                throw new IllegalArgumentException("bands must cover the rows exactly once");
            }
            next += b.rows();
            chunkDigests.addAll(Arrays.asList(b.chunkDigests()));
        }
        if (next != p.rows()) {
            throw new IllegalArgumentException("bands cover " + next + " of " + p.rows() + " rows");
        }
        for (byte[][] chunk : chunkDigests) {
            if (chunk.length != width) {
                throw new IllegalArgumentException("digests of " + chunk.length + " columns for a range of " + width);
            }
        }
        byte[] leaves = new byte[32 * width];
        Parallel.forRange(width, (lo, hi) -> {
            Digester d = Hash.SHA256.newDigester();
            Digester md = Hash.SHA256.newDigester();
            byte[] buf = new byte[8 * PcsParams.MASK_ROWS];
            for (int k = lo; k < hi; k++) {
                int j = from + k;
                d.update(salts, SALT_BYTES * j, SALT_BYTES);
                for (byte[][] chunk : chunkDigests) {
                    d.update(chunk[k]);
                }
                d.update(maskChunk(codewords, p, j, md, buf));
                System.arraycopy(d.digest(), 0, leaves, 32 * k, 32);
            }
        });
        return leaves;
    }

    /** The digest of column j's mask rows, with a caller's digester and 8 x MASK_ROWS-byte buffer. */
    private static byte[] maskChunk(long[][] codewords, PcsParams p, int j, Digester d, byte[] buf) {
        for (int k = 0; k < PcsParams.MASK_ROWS; k++) {
            Goldilocks.toBytesLE(codewords[p.rows() + k][j], buf, 8 * k);
        }
        d.update(buf);
        return d.digest();
    }

    /** Leaf digest of a column from its entries (data rows then mask rows) and salt. */
    static byte[] leaf(PcsParams p, long[] column, byte[] salt) {
        int chunkRows = Math.min(PcsParams.CHUNK_ROWS, p.rows());
        Digester d = Hash.SHA256.newDigester();
        d.update(salt);
        byte[] buf = new byte[8 * chunkRows];
        for (int c = 0; c < p.rows() / chunkRows; c++) {
            for (int i = 0; i < chunkRows; i++) {
                Goldilocks.toBytesLE(column[c * chunkRows + i], buf, 8 * i);
            }
            d.update(Hash.SHA256.digest(buf));
        }
        byte[] mb = new byte[8 * PcsParams.MASK_ROWS];
        for (int k = 0; k < PcsParams.MASK_ROWS; k++) {
            Goldilocks.toBytesLE(column[p.rows() + k], mb, 8 * k);
        }
        d.update(Hash.SHA256.digest(mb));
        return d.digest();
    }

    /**
     * The Merkle tree over the leaves, each level one flat array of 32-byte nodes: tree[0] the
     * leaves, tree[d] the parents of tree[d-1], the last level the root (32 bytes per node, no
     * per-node object: 2 x 32 bytes per column, of which a {@link Committed} keeps the quarter
     * from level {@link #TREE_LOW} up).
     */
    static byte[][] merkle(byte[][] leaves) {
        byte[] first = new byte[32 * leaves.length];
        for (int i = 0; i < leaves.length; i++) {
            System.arraycopy(leaves[i], 0, first, 32 * i, 32);
        }
        return merkleOver(first);
    }

    /** As {@link #merkle} over leaves given as one flat array of 32-byte nodes (kept as level 0). */
    static byte[][] merkleOver(byte[] first) {
        List<byte[]> levels = new ArrayList<>();
        levels.add(first);
        byte[] cur = first;
        while (cur.length > 32) {
            byte[] prev = cur;
            byte[] next = new byte[cur.length / 2];
            Parallel.forRange(next.length / 32, (from, to) -> {
                Digester d = Hash.SHA256.newDigester();
                for (int i = from; i < to; i++) {
                    d.update(prev, 64 * i, 64);
                    System.arraycopy(d.digest(), 0, next, 32 * i, 32);
                }
            });
            levels.add(next);
            cur = next;
        }
        return levels.toArray(new byte[0][]);
    }

    /** The root of a tree from {@link #merkle}. */
    static byte[] root(byte[][] tree) {
        return tree[tree.length - 1].clone();
    }

    // ---------------------------------------------------------------- open

    /** Opens every claim (on regions of this commitment) with one proof. */
    public static OpeningProof open(Committed st, List<Claim> claims, Transcript t) {
        if (st.bands != null) {
            throw new UnsupportedOperationException("not supported: a plain opening of a commitment held in bands (the zero-knowledge one is)");
        }
        Commitment c = st.commitment;
        PcsParams p = c.params();
        int n = p.numVars();
        Fp3 alpha = beginBatch(c, claims, t);
        long[] g = new long[3 << n];
        Fp3 coef = Fp3.ONE;
        Fp3 combined = Fp3.ZERO;
        for (Claim cl : claims) {
            if (c.regionsOf(cl.tensor()).isEmpty()) {
                throw new IllegalArgumentException("no tensor " + cl.tensor() + " in this commitment");
            }
            for (PieceClaims.Part part : PieceClaims.parts(c.regionsOf(cl.tensor()), cl.point())) {
                long[] eq = Mle.eqTableScaled(part.local(), coef.mul(part.weight()));
                int off = (int) part.region().offset();
                for (int x = 0; x < (1 << part.region().numVars()); x++) {
                    int o = 3 * (off + x);
                    g[o] = Goldilocks.add(g[o], eq[3 * x]);
                    g[o + 1] = Goldilocks.add(g[o + 1], eq[3 * x + 1]);
                    g[o + 2] = Goldilocks.add(g[o + 2], eq[3 * x + 2]);
                }
            }
            combined = combined.add(coef.mul(cl.value()));
            coef = coef.mul(alpha);
        }
        SumcheckProver.Result res = SumcheckProver.prove(
                new SumcheckInstance(PRODUCT, List.of(Mle.base(Arrays.copyOf(st.poly, 1 << n)), Mle.ext(g)), combined), t);
        Point rho = res.subclaims().get(0).point();
        long[] rowWeights = Mle.eqTable(rho.slice(p.colVars(), n)).data();
        long[] colWeights = Mle.eqTable(rho.slice(0, p.colVars())).data();
        LigeroOpening o = openRows(st, null, rowWeights, colWeights, null, t, PcsParams.ROW_LEVELS).rows();
        return new OpeningProof(res.proof(), o.maskEval(), o.evalRow(), o.proxRow(), o.grindNonce(), columns(o), salts(o), paths(o),
                o.committed());
    }

    /**
     * The tensor-code opening of the functional sum_i a_i sum_j b_j M_i[j] (row weights a over the
     * rows, column weights b over the data columns; both interleaved extension vectors). y_R is
     * absorbed before mu is drawn, so the evaluation row's check pins the functional's value for all
     * but one mu; the proximity row uses powers of gamma (PcsParams' soundness argument). The rows
     * are sent (the batch mask's one-row opening, whose functional is not an eq point).
     */
    static LigeroOpening openRows(Committed st, long[] rowWeights, long[] colWeights, Transcript t) {
        return openRows(st, null, rowWeights, colWeights, null, t, 0).rows();
    }

    /** An opening's rows and the commitment's columns, and the companion's columns (or null). */
    record Opened(LigeroOpening rows, ColumnSet companion) {}

    /**
     * The opening with a companion {@code comp} (null: the commitment's own mask rows): the
     * functional is that of the extended matrix [M; Bl] with row weights (a, r_b), so
     * v = sum_i a_i M_i + r_b Bl + mu R_eval and u = sum_i gamma^i M_i + gamma^rows Bl + R_prox with
     * the companion's F_p^3 rows; at every queried column both commitments' columns are sent.
     */
    static Opened openRows(Committed st, Committed comp, long[] rowWeights, long[] colWeights, Fp3 rb, Transcript t) {
        return openRows(st, comp, rowWeights, colWeights, rb, t, PcsParams.ROW_LEVELS);
    }

    /**
     * As above; {@code levels} are the levels of committed rows this opening may use: 0 sends the
     * rows whatever the parameters (the batch mask, the innermost opening of committed rows),
     * more lets the mode be chosen ({@link Committed#rowsCommitted}, else the smaller one): in the
     * committed mode the rows are committed and their checks proved ({@link CommittedRows}) by an
     * inner opening with levels - 1 left.
     */
    static Opened openRows(Committed st, Committed comp, long[] rowWeights, long[] colWeights, Fp3 rb, Transcript t,
            int levels) {
        PcsParams p = st.commitment.params();
        int k = p.messageLength();
        long[] evalMask;
        long[] proxMask;
        long[] blind = null;
        if (comp == null) {
            evalMask = extRow(st, p, p.rows() + EVAL_MASK);
            proxMask = extRow(st, p, p.rows() + PROX_MASK);
        } else {
            PcsParams cp = comp.commitment.params();
            evalMask = extRow(comp, cp, COMPANION_EVAL);
            proxMask = extRow(comp, cp, COMPANION_PROX);
            blind = rowMessage(comp, cp, COMPANION_BLIND);
        }
        Fp3 maskEval = dotExt(colWeights, evalMask, p.cols());
        t.absorbExt("pcs/mask-eval", maskEval);
        Fp3 mu = t.challengeExt("pcs/mu");
        Fp3 gamma = t.challengeExt("pcs/gamma");
        long[] gammaPow = powers(gamma, p.rows() + 1);
        long[][] vu = st.bands != null ? st.bands.combineRows(new long[][] {rowWeights, gammaPow})
                : new long[][] {combineRows(st, p, rowWeights), combineRows(st, p, gammaPow)};
        long[] v = vu[0];
        long[] u = vu[1];
        addScaledExt(v, evalMask, mu, k);
        addScaledExt(u, proxMask, Fp3.ONE, k);
        if (comp != null) {
            addScaledBase(v, blind, rb, k);
            addScaledBase(u, blind, Fp3.get(gammaPow, p.rows()), k);
        }
        boolean committed = levels > 0 && (st.rowsCommitted != null ? st.rowsCommitted : p.committedRowsSmaller(levels));
        Fp3[] vRow = null;
        Fp3[] uRow = null;
        CommittedRows.Prover rowsProver = null;
        if (committed) {
            rowsProver = CommittedRows.commit(p, v, u, comp != null ? comp.seed : st.seed, t, levels);
        } else {
            vRow = toExt(v, k);
            uRow = toExt(u, k);
            t.absorbExt("pcs/eval-row", vRow);
            t.absorbExt("pcs/prox-row", uRow);
        }
        long nonce = grind(t);
        t.absorbLong("pcs/grind", nonce);
        int q = p.queries();
        int[] js = new int[q];
        for (int x = 0; x < q; x++) {
            js[x] = (int) t.challengeIndex("pcs/query", p.codeLength());
        }
        ColumnSet opened = queried(st, js);
        LigeroOpening rows = committed
                ? new LigeroOpening(maskEval, nonce, opened, CommittedRows.prove(rowsProver, js, colWeights, t))
                : new LigeroOpening(maskEval, vRow, uRow, nonce, opened);
        return new Opened(rows, comp == null ? null : queried(comp, js));
    }

    /** Levels at the bottom of a prover's Merkle tree that are not kept (a quarter of the tree is). */
    static final int TREE_LOW = 2;

    /** The levels a {@link Committed} keeps of a full tree from {@link #merkle}. */
    private static byte[][] prune(byte[][] tree) {
        return Arrays.copyOfRange(tree, Math.min(TREE_LOW, tree.length - 1), tree.length);
    }

    /**
     * Columns js of a commitment with their salts and Merkle paths. The kept tree starts at level
     * {@code low}: the 2^low columns of each queried one's block are computed (data rows fetched
     * from the bands in one request when held elsewhere), hashed into leaves and then into the
     * block's subtree, which gives the path's low levels and must give the kept node above it.
     *
     * @throws IllegalStateException if a block's columns do not give the kept tree (bands that
     *     return other rows than they committed)
     */
    private static ColumnSet queried(Committed st, int[] js) {
        PcsParams p = st.commitment.params();
        int low = p.codeVars() + 1 - st.tree.length;
        int width = 1 << low;
        int[] ks = Arrays.stream(js).map(j -> j >> low).distinct().sorted()
                .flatMap(b -> java.util.stream.IntStream.range(b * width, (b + 1) * width)).toArray();
        long[][] cols = columnsAt(st, ks);
        byte[][] ksalts = new byte[ks.length][];
        byte[][] leaves = new byte[ks.length][];
        Parallel.forRange(ks.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                ksalts[i] = salt(st.seed, ks[i]);
                leaves[i] = leaf(p, cols[i], ksalts[i]);
            }
        });
        long[][] out = new long[js.length][];
        byte[][] salts = new byte[js.length][];
        byte[][][] paths = new byte[js.length][][];
        for (int x = 0; x < js.length; x++) {
            int j = js[x];
            int at = Arrays.binarySearch(ks, j);
            int first = at - (j & (width - 1));
            // the block's subtree, level by level from its leaves
            byte[][] level = Arrays.copyOfRange(leaves, first, first + width);
            byte[][] path = new byte[p.codeVars()][];
            int idx = j;
            for (int d = 0; d < low; d++) {
                path[d] = level[(idx ^ 1) & (level.length - 1)].clone();
                byte[][] up = new byte[level.length / 2][];
                for (int i = 0; i < up.length; i++) {
                    up[i] = parent(level[2 * i], level[2 * i + 1]);
                }
                level = up;
                idx >>= 1;
            }
            if (!Arrays.equals(level[0], 0, 32, st.tree[0], 32 * idx, 32 * idx + 32)) {
                throw new IllegalStateException("the columns around column " + j + " do not give the committed tree");
            }
            for (int d = low; d < p.codeVars(); d++) {
                int sib = 32 * (idx ^ 1);
                path[d] = Arrays.copyOfRange(st.tree[d - low], sib, sib + 32);
                idx >>= 1;
            }
            out[x] = cols[at];
            salts[x] = ksalts[at];
            paths[x] = path;
        }
        return new ColumnSet(out, salts, paths);
    }

    /** A Merkle node from its children, as {@link #merkle} hashes them. */
    private static byte[] parent(byte[] left, byte[] right) {
        Digester d = Hash.SHA256.newDigester();
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** Column j's salt: bytes 16 j .. 16 j + 15 of the seed's salt stream ({@link #salts}). */
    private static byte[] salt(byte[] seed, int j) {
        byte[] s = new byte[SALT_BYTES];
        new Drbg(seed, SALT_LABEL).seek((long) SALT_BYTES * j).nextBytes(s);
        return s;
    }

    /**
     * The smallest nonce whose SHA-256 with the transcript state starts with
     * {@link PcsParams#GRIND_BITS} zero bits (the proof of work before the queries). The nonces are
     * tried in rounds of {@link #GRIND_BLOCK} per thread, each thread a block in order, and the
     * first round with a hit gives its smallest: the same nonce as a serial search, for any thread
     * count.
     */
    static long grind(Transcript t) {
        byte[] state = t.state();
        int threads = Parallel.threads();
        for (long base = 0; ; base += (long) threads * GRIND_BLOCK) {
            long from = base;
            Long[] hits = Parallel.mapRanges(threads * GRIND_BLOCK, Long[]::new, (lo, hi) -> firstGrindHit(state, from + lo, from + hi));
            for (Long hit : hits) {
                if (hit >= 0) {
                    return hit;
                }
            }
        }
    }

    /** Nonces a thread tries per round of {@link #grind}. */
    private static final int GRIND_BLOCK = 1 << 14;

    /** The first nonce in [from, to) passing the proof of work, or -1. */
    private static long firstGrindHit(byte[] state, long from, long to) {
        java.security.MessageDigest d = sha256();
        byte[] buf = new byte[GRIND_LABEL.length + state.length + 8];
        System.arraycopy(GRIND_LABEL, 0, buf, 0, GRIND_LABEL.length);
        System.arraycopy(state, 0, buf, GRIND_LABEL.length, state.length);
        int at = GRIND_LABEL.length + state.length;
        for (long n = from; n < to; n++) {
            for (int i = 0; i < 8; i++) {
                buf[at + i] = (byte) (n >>> (8 * i));
            }
            if (leadingZeros(d.digest(buf)) >= PcsParams.GRIND_BITS) {
                return n;
            }
        }
        return -1;
    }

    static boolean grindOk(byte[] state, long nonce) {
        java.security.MessageDigest d = sha256();
        d.update(GRIND_LABEL);
        d.update(state);
        for (int i = 0; i < 8; i++) {
            d.update((byte) (nonce >>> (8 * i)));
        }
        return leadingZeros(d.digest()) >= PcsParams.GRIND_BITS;
    }

    /**
     * The proof of work hashes this label, the 32-byte transcript state and the 8-byte nonce: 51
     * bytes, one SHA-256 block (the 17-byte label of format 4.x made it two).
     */
    private static final byte[] GRIND_LABEL = "zkspark/pow".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static int leadingZeros(byte[] h) {
        int z = 0;
        for (byte b : h) {
            if (b == 0) {
                z += 8;
                continue;
            }
            return z + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
        }
        return z;
    }

    /**
     * Columns ks of every codeword (data rows, then the six base rows of the two mask rows): the
     * data rows' entries fetched from the bands when held elsewhere (one request), every other row
     * from its codeword if kept, else encoded here from its message, one transient codeword per
     * thread ({@link #withoutCodewords}: O(code length) memory, not O(rows x code length)).
     */
    private static long[][] columnsAt(Committed st, int[] ks) {
        PcsParams p = st.commitment.params();
        int rows = p.rows();
        int all = st.codewords.length;
        long[][] cols = new long[ks.length][all];
        int fromRow = 0;
        if (st.bands != null) {
            long[][] data = st.bands.columns(ks);
            for (int x = 0; x < ks.length; x++) {
                if (data[x].length != rows) {
                    throw new IllegalStateException("the bands returned " + data[x].length + " entries of column " + ks[x]
                            + ", not " + rows);
                }
                System.arraycopy(data[x], 0, cols[x], 0, rows);
            }
            fromRow = rows;
        }
        int first = fromRow;
        Parallel.forRange(all - first, 1, (lo, hi) -> {
            for (int i = first + lo; i < first + hi; i++) {
                long[] cw = st.codewords[i] != null ? st.codewords[i] : encode(p, st.messages[i] != null ? st.messages[i]
                        : message(p, st.poly, i, st.seed));
                for (int x = 0; x < ks.length; x++) {
                    cols[x][i] = cw[ks[x]];
                }
            }
        });
        return cols;
    }

    /**
     * The same commitment without its codewords: for a commitment opened at q columns only (the
     * companion, the committed rows' inner commitment) whose codewords are the largest part of
     * its state; {@link #columnsAt} encodes each row again from its message when opening.
     */
    static Committed withoutCodewords(Committed st) {
        return new Committed(st.commitment, st.poly, st.messages, new long[st.codewords.length][], st.tree, st.seed, st.bands);
    }

    /**
     * The commitment's own mask rows, after the data rows: R_eval at rows + 0..2 and R_prox at
     * rows + 3..5, each an F_p^3 row stored as three base rows. They must be F_p^3-valued: a
     * base-field mask row R in v = sum a_i M_i + mu R (a_i, mu in F_p^3) masks only one of the three
     * base coordinates of each entry, so two combinations of every column would show in the clear.
     */
    static final int EVAL_MASK = 0;
    static final int PROX_MASK = 3;

    /** Rows first..first+2 as the F_p^3 row r_first + X r_first+1 + X^2 r_first+2 (interleaved). */
    private static long[] extRow(Committed comp, PcsParams cp, int first) {
        long[] out = new long[3 * cp.messageLength()];
        for (int c = 0; c < 3; c++) {
            long[] m = rowMessage(comp, cp, first + c);
            for (int x = 0; x < m.length; x++) {
                out[3 * x + c] = m[x];
            }
        }
        return out;
    }

    private static Fp3 dotExt(long[] a, long[] b, int n) {
        Fp3 acc = Fp3.ZERO;
        for (int x = 0; x < n; x++) {
            acc = acc.add(Fp3.get(a, x).mul(Fp3.get(b, x)));
        }
        return acc;
    }

    private static void addScaledExt(long[] acc, long[] row, Fp3 c, int k) {
        for (int x = 0; x < k; x++) {
            Fp3.get(acc, x).add(c.mul(Fp3.get(row, x))).put(acc, x);
        }
    }

    private static void addScaledBase(long[] acc, long[] row, Fp3 c, int k) {
        for (int x = 0; x < k; x++) {
            Fp3.get(acc, x).add(c.mul(row[x])).put(acc, x);
        }
    }

    private static Fp3[] toExt(long[] a, int k) {
        Fp3[] out = new Fp3[k];
        for (int x = 0; x < k; x++) {
            out[x] = Fp3.get(a, x);
        }
        return out;
    }

    private static long[][] columns(LigeroOpening o) {
        long[][] c = new long[o.numColumns()][];
        for (int k = 0; k < c.length; k++) {
            c[k] = o.column(k);
        }
        return c;
    }

    private static byte[][] salts(LigeroOpening o) {
        byte[][] s = new byte[o.numColumns()][];
        for (int k = 0; k < s.length; k++) {
            s[k] = o.salt(k);
        }
        return s;
    }

    private static byte[][][] paths(LigeroOpening o) {
        byte[][][] s = new byte[o.numColumns()][][];
        for (int k = 0; k < s.length; k++) {
            s[k] = o.path(k);
        }
        return s;
    }

    private static Fp3 beginBatch(Commitment c, List<Claim> claims, Transcript t) {
        t.absorb("pcs/commitment", c.digest());
        t.absorbLong("pcs/claims", claims.size());
        for (Claim cl : claims) {
            t.absorb("pcs/claim-region", cl.tensor().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            t.absorbExt("pcs/claim-point", cl.point().toArray());
            t.absorbExt("pcs/claim-value", cl.value());
        }
        return t.challengeExt("pcs/alpha");
    }

    /** sum_i coef_i M_i over full messages, interleaved F_p^3 (the data rows only). */
    private static long[] combineRows(Committed st, PcsParams p, long[] coefs) {
        int k = p.messageLength();
        long[] acc = new long[3 * k];
        Parallel.forRange(p.rows(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                rowMessage(st, p, i);
            }
        });
        Parallel.forRange(k, (from, to) -> {
            for (int i = 0; i < p.rows(); i++) {
                addRow(acc, st.messages[i], coefs, i, from, to);
            }
        });
        return acc;
    }

    static long[] rowMessage(Committed st, PcsParams p, int i) {
        long[] m = st.messages[i];
        if (m == null) {
            // regenerated from the polynomial and the seed-derived padding rather than kept from
            // commit time: that would double the prover's memory between commit and open
            m = message(p, st.poly, i, st.seed);
            st.messages[i] = m;
        }
        return m;
    }

    private static long[] powers(Fp3 g, int n) {
        long[] out = new long[3 * n];
        Fp3 x = Fp3.ONE;
        for (int i = 0; i < n; i++) {
            x.put(out, i);
            x = x.mul(g);
        }
        return out;
    }

    // ---------------------------------------------------------------- zero-knowledge open

    /**
     * Commits the Libra masking polynomial for a zero-knowledge opening whose sumcheck has
     * {@code numVars} variables (the largest numVars among the opened commitments):
     * G_mask(x) = a_0 + sum_i (c_i1 x_i + c_i2 x_i^2) with uniform F_p^3 coefficients from
     * {@code seed}, stored as the one tensor "pcs/batch-mask" (coefficient e on entries 3e..3e+2 in
     * the basis 1, X, X^2, zero-padded to a power of two) of a one-row hiding commitment. Its own
     * commitment randomness is derived from the seed under a separate label, so the seed may be the
     * witness's. Use a fresh batch mask for every {@link #openZk}.
     */
    public static Committed commitBatchMask(int numVars, byte[] seed) {
        return commitBatchMask(numVars, seed, 100);
    }

    public static Committed commitBatchMask(int numVars, byte[] seed, int securityBits) {
        if (numVars < 0 || numVars > 60) {
            throw new IllegalArgumentException("batch mask for " + numVars + " variables");
        }
        int size = ZkBatchOpening.maskTensorSize(numVars);
        long[] coef = new long[size];
        Drbg d = new Drbg(seed, "pcs/batch-mask/coefficients/" + numVars);
        for (int i = 0; i < 3 * ZkBatchOpening.maskCoefficients(numVars); i++) {
            coef[i] = d.nextField();
        }
        byte[] commitSeed = new byte[32];
        new Drbg(seed, "pcs/batch-mask/commit/" + numVars).nextBytes(commitSeed);
        PcsParams p = PcsParams.chooseSingleRow(Integer.numberOfTrailingZeros(size), securityBits);
        return commit(List.of(new Tensor(ZkBatchOpening.BATCH_MASK_TENSOR, coef)), commitSeed, p, 1);
    }

    /** The companion's one tensor: its rows are the fresh mask rows (see {@link #commitCompanion}). */
    static final String COMPANION_TENSOR = "pcs/companion";
    /** Companion data rows: Bl, R_eval (three base rows = one F_p^3 row), R_prox (three), a spare. */
    static final int COMPANION_ROW_VARS = 3;
    static final int COMPANION_BLIND = 0;
    static final int COMPANION_EVAL = 1;
    static final int COMPANION_PROX = 4;

    /** The companion's parameters for a commitment with parameters {@code p}: same code, 8 rows. */
    static PcsParams companionParams(PcsParams p) {
        return new PcsParams(p.colVars() + COMPANION_ROW_VARS, COMPANION_ROW_VARS, p.colVars(), p.codeVars(), p.queries(), p.zkBudget());
    }

    /**
     * Commits fresh mask rows for one zero-knowledge opening of a REUSED commitment with parameters
     * {@code params} (the model's): a hiding commitment with the same code (column count, message
     * length = columns + padding, code length, queries) holding uniformly random full messages
     * (data part and padding both random): row 0 is the blinding row Bl, rows 1-3 the evaluation
     * mask R_eval = r1 + X r2 + X^2 r3 in F_p^3, rows 4-6 the proximity mask R_prox likewise, row 7
     * unused (the commitment has 2^3 rows). Column j's leaf has the usual form, so the opening
     * sends the companion's column j beside the commitment's. The mask rows are F_p^3-valued so that
     * mu R_eval and R_prox are uniform over F_p^3 (a base-field mask row times mu covers only the
     * F_p-line through mu in each coordinate). Everything is derived from {@code seed}; use a fresh
     * companion for every opening ({@link #openZk(List, List, Committed, List, Transcript)}).
     */
    public static Committed commitCompanion(PcsParams params, byte[] seed) {
        PcsParams cp = companionParams(params);
        long[] rows = new long[1 << cp.numVars()];
        Drbg d = new Drbg(seed, "pcs/companion/rows");
        for (int i = 0; i < rows.length; i++) {
            rows[i] = d.nextField();
        }
        byte[] commitSeed = new byte[32];
        new Drbg(seed, "pcs/companion/commit").nextBytes(commitSeed);
        return withoutCodewords(commit(List.of(new Tensor(COMPANION_TENSOR, rows)), commitSeed, cp, 1));
    }

    /** Bl~ at the column weights b: sum_j b_j Bl[j] over the companion's blinding row's data part. */
    static Fp3 blindEval(Committed comp, long[] colWeights) {
        PcsParams cp = comp.commitment.params();
        long[] bl = rowMessage(comp, cp, COMPANION_BLIND);
        long[] acc = new long[3];
        for (int j = 0; j < cp.cols(); j++) {
            acc[0] = Goldilocks.add(acc[0], Goldilocks.mul(colWeights[3 * j], bl[j]));
            acc[1] = Goldilocks.add(acc[1], Goldilocks.mul(colWeights[3 * j + 1], bl[j]));
            acc[2] = Goldilocks.add(acc[2], Goldilocks.mul(colWeights[3 * j + 2], bl[j]));
        }
        return new Fp3(acc[0], acc[1], acc[2]);
    }

    /** Null, or why {@code comp} is not a companion for a commitment with parameters {@code p}. */
    static String checkCompanion(Commitment comp, PcsParams p) {
        PcsParams cp = companionParams(p);
        if (!comp.params().equals(cp) || comp.regions().size() != 1 || !COMPANION_TENSOR.equals(comp.regions().get(0).name())
                || comp.regions().get(0).numVars() != cp.numVars() || comp.regions().get(0).offset() != 0) {
            return "a companion must hold exactly the tensor " + COMPANION_TENSOR + " of 2^" + cp.numVars()
                    + " entries with the code of its commitment (" + cp + ")";
        }
        return null;
    }

    /**
     * Opens linear claims over several commitments in zero knowledge (protocol, hiding and
     * soundness in the class comment). Every term's tensor must be a region of exactly one of
     * {@code states}; {@code batchMask} comes from {@link #commitBatchMask} for the largest numVars
     * of {@code states} and must be bound to the statement like the other commitments.
     *
     * <p><b>Hiding requirement:</b> each commitment must contain a blinding region, a tensor of at
     * least 4 (8 recommended) fresh uniform entries that no claim ever touches; otherwise the revealed
     * P_k(rho_k) is a linear combination of committed data. Each commitment and each batch mask may be
     * opened only once.
     *
     * @throws IllegalArgumentException if a term's tensor is in none or several of the commitments,
     *     a point has the wrong size, a slot is outside its tensor, or the batch mask does not fit
     */
    public static ZkOpeningProof openZk(List<Committed> states, Committed batchMask, List<LinearClaim> claims, Transcript t) {
        return ZkBatchOpening.prove(states, null, batchMask, claims, t);
    }

    /**
     * As {@link #openZk(List, Committed, List, Transcript)}, where commitment k is opened with the
     * fresh mask rows of {@code companions.get(k)} ({@link #commitCompanion} for its parameters)
     * when that entry is not null: required for a commitment opened by more than one proof (the
     * model), whose own mask rows and blinding region are fixed. When any companion is present the
     * batch mask must be for one more variable (the b variable, see the class comment).
     */
    public static ZkOpeningProof openZk(List<Committed> states, List<Committed> companions, Committed batchMask, List<LinearClaim> claims,
            Transcript t) {
        return ZkBatchOpening.prove(states, companions, batchMask, claims, t);
    }

    /**
     * Checks a zero-knowledge opening; never throws on malformed input, a rejecting verdict names the
     * first failed check.
     */
    public static Verdict verifyZk(List<Commitment> commitments, Commitment batchMask, List<LinearClaim> claims, ZkOpeningProof proof,
            Transcript t) {
        return ZkBatchOpening.verify(commitments, null, batchMask, claims, proof, t, null);
    }

    /** Checks an opening made with companions ({@code companions.get(k)} null = none for commitment k). */
    public static Verdict verifyZk(List<Commitment> commitments, List<Commitment> companions, Commitment batchMask, List<LinearClaim> claims,
            ZkOpeningProof proof, Transcript t) {
        return ZkBatchOpening.verify(commitments, companions, batchMask, claims, proof, t, null);
    }

    // ---------------------------------------------------------------- verify

    /** Checks one opening of {@code claims} against the commitment; never throws on bad input. */
    public static Verdict verify(Commitment c, List<Claim> claims, OpeningProof proof, Transcript t) {
        PcsParams p = c.params();
        int n = p.numVars();
        for (Claim cl : claims) {
            List<Region> rs = c.regionsOf(cl.tensor());
            if (rs.isEmpty()) {
                return Verdict.reject("pcs: no region " + cl.tensor() + " in this commitment");
            }
            if (cl.point().size() != PieceClaims.tensorVars(rs)) {
                return Verdict.reject("pcs: claim on " + cl.tensor() + " has a point of the wrong size");
            }
        }
        if (claims.isEmpty()) {
            return Verdict.reject("pcs: nothing to open");
        }
        if (proof.columns.length != p.queries() || (proof.committed == null && (proof.evalRow.length != p.messageLength()
                || proof.proxRow.length != p.messageLength()))) {
            return Verdict.reject("pcs: opening has the wrong shape");
        }
        Fp3 alpha = beginBatch(c, claims, t);
        Fp3 coef = Fp3.ONE;
        Fp3 combined = Fp3.ZERO;
        List<Fp3> coefs = new ArrayList<>();
        for (Claim cl : claims) {
            coefs.add(coef);
            combined = combined.add(coef.mul(cl.value()));
            coef = coef.mul(alpha);
        }
        SumcheckVerifier.Result sv = SumcheckVerifier.verify(new SumcheckClaim(n, PRODUCT, combined), proof.batching, t);
        if (!sv.verdict().isAccepted()) {
            return sv.verdict().within("pcs batching");
        }
        Subclaim sc = sv.subclaims().get(0);
        Point rho = sc.point();
        // G(rho) = sum_c alpha^c eq(p_c, rho_low) eq(rho_high, region bits)
        Fp3 g = Fp3.ZERO;
        for (int i = 0; i < claims.size(); i++) {
            Claim cl = claims.get(i);
            for (PieceClaims.Part part : PieceClaims.parts(c.regionsOf(cl.tensor()), cl.point())) {
                Region r = part.region();
                Fp3 e = Mle.eq(part.local(), rho.slice(0, r.numVars())).mul(Mle.eqAt(rho.slice(r.numVars(), n), r.offset() >>> r.numVars()));
                g = g.add(coefs.get(i).mul(part.weight()).mul(e));
            }
        }
        if (!g.equals(sc.value(1))) {
            return Verdict.reject("pcs: batching weights evaluate differently");
        }
        long[] rowWeights = Mle.eqTable(rho.slice(p.colVars(), n)).data();
        long[] colWeights = Mle.eqTable(rho.slice(0, p.colVars())).data();
        return checkRows(c, null, null, rowWeights, colWeights, null, sc.value(0), proof.rows(), t, PcsParams.ROW_LEVELS);
    }

    /**
     * Checks a tensor-code opening of sum_i a_i sum_j b_j M_i[j] = value (see {@link #openRows}):
     * the evaluation row's data part weighted by b gives value + mu y_R, and at every queried column
     * the encodings of v and u match the same combinations of the column's committed entries.
     */
    static Verdict checkRows(Commitment c, long[] rowWeights, long[] colWeights, Fp3 value, LigeroOpening o, Transcript t) {
        return checkRows(c, null, null, rowWeights, colWeights, null, value, o, t, 0);
    }

    /**
     * As above with companion {@code comp} (null: the commitment's own mask rows): value is the
     * functional of [M; Bl] with row weights (a, r_b), and column j of the companion (in
     * {@code cset}, at the same indices) must be in the companion's tree and supply Bl, R_eval and
     * R_prox at j.
     */
    static Verdict checkRows(Commitment c, Commitment comp, ColumnSet cset, long[] rowWeights, long[] colWeights, Fp3 rb, Fp3 value,
            LigeroOpening o, Transcript t) {
        return checkRows(c, comp, cset, rowWeights, colWeights, rb, value, o, t, PcsParams.ROW_LEVELS);
    }

    /**
     * As above; {@code levels} as in {@link #openRows}: with 0 left the committed-rows mode is
     * rejected (the batch mask, the innermost opening of committed rows). In that mode the row
     * checks become claims on the rows' commitment, checked by {@link CommittedRows#verify} after
     * the columns with levels - 1 left.
     */
    static Verdict checkRows(Commitment c, Commitment comp, ColumnSet cset, long[] rowWeights, long[] colWeights, Fp3 rb, Fp3 value,
            LigeroOpening o, Transcript t, int levels) {
        PcsParams p = c.params();
        CommittedRows.Proof committed = o.committed();
        if (committed != null && levels <= 0) {
            return Verdict.reject("pcs: this opening must send its rows");
        }
        if (o.numColumns() != p.queries() || (committed == null && (o.evalRow().length != p.messageLength()
                || o.proxRow().length != p.messageLength()))) {
            return Verdict.reject("pcs: opening has the wrong shape");
        }
        if (comp != null && (cset == null || cset.numColumns() != p.queries())) {
            return Verdict.reject("pcs: the companion's columns are missing or have the wrong count");
        }
        t.absorbExt("pcs/mask-eval", o.maskEval());
        Fp3 mu = t.challengeExt("pcs/mu");
        Fp3 gamma = t.challengeExt("pcs/gamma");
        Fp3 target = value.add(mu.mul(o.maskEval()));
        long[][] encV = null;
        long[][] encU = null;
        if (committed == null) {
            Fp3[] evalRow = o.evalRow();
            Fp3[] proxRow = o.proxRow();
            Fp3 vAt = Fp3.ZERO;
            for (int j = 0; j < p.cols(); j++) {
                vAt = vAt.add(Fp3.get(colWeights, j).mul(evalRow[j]));
            }
            if (!vAt.equals(target)) {
                return Verdict.reject("pcs: evaluation row does not give the claimed value");
            }
            t.absorbExt("pcs/eval-row", evalRow);
            t.absorbExt("pcs/prox-row", proxRow);
            encV = encodeExt(p, evalRow);
            encU = encodeExt(p, proxRow);
        } else {
            CommittedRows.absorbRoot(t, committed.root());
        }
        if (!grindOk(t.state(), o.grindNonce())) {
            return Verdict.reject("pcs: the proof of work before the queries is missing or wrong");
        }
        t.absorbLong("pcs/grind", o.grindNonce());
        int[] js = new int[p.queries()];
        Fp3[] evs = new Fp3[p.queries()];
        Fp3[] pvs = new Fp3[p.queries()];
        long[] gammaPow = powers(gamma, p.rows() + 1);
        Fp3 gammaBlind = Fp3.get(gammaPow, p.rows());
        byte[] root = c.root();
        byte[] compRoot = comp == null ? null : comp.root();
        PcsParams cp = comp == null ? null : comp.params();
        for (int k = 0; k < p.queries(); k++) {
            int j = (int) t.challengeIndex("pcs/query", p.codeLength());
            js[k] = j;
            long[] col = o.column(k);
            if (col.length != p.rows() + PcsParams.MASK_ROWS) {
                return Verdict.reject("pcs: column " + k + " has the wrong height");
            }
            if (!Arrays.equals(root, walk(leaf(p, col, o.salt(k)), j, o.path(k)))) {
                return Verdict.reject("pcs: column " + j + " is not in the committed tree");
            }
            Fp3 ev = dot(rowWeights, col, p.rows());
            Fp3 pv = dot(gammaPow, col, p.rows());
            if (comp == null) {
                int e = p.rows() + EVAL_MASK, x = p.rows() + PROX_MASK;
                ev = ev.add(mu.mul(new Fp3(col[e], col[e + 1], col[e + 2])));
                pv = pv.add(new Fp3(col[x], col[x + 1], col[x + 2]));
            } else {
                long[] cc = cset.column(k);
                if (cc.length != cp.rows() + PcsParams.MASK_ROWS) {
                    return Verdict.reject("pcs: companion column " + k + " has the wrong height");
                }
                if (!Arrays.equals(compRoot, walk(leaf(cp, cc, cset.salt(k)), j, cset.path(k)))) {
                    return Verdict.reject("pcs: companion column " + j + " is not in the companion's tree");
                }
                long bl = cc[COMPANION_BLIND];
                Fp3 re = new Fp3(cc[COMPANION_EVAL], cc[COMPANION_EVAL + 1], cc[COMPANION_EVAL + 2]);
                Fp3 rp = new Fp3(cc[COMPANION_PROX], cc[COMPANION_PROX + 1], cc[COMPANION_PROX + 2]);
                ev = ev.add(rb.mul(bl)).add(mu.mul(re));
                pv = pv.add(gammaBlind.mul(bl)).add(rp);
            }
            evs[k] = ev;
            pvs[k] = pv;
            if (committed != null) {
                continue;
            }
            if (!ev.equals(new Fp3(encV[0][j], encV[1][j], encV[2][j]))) {
                return Verdict.reject("pcs: evaluation row inconsistent with column " + j);
            }
            if (!pv.equals(new Fp3(encU[0][j], encU[1][j], encU[2][j]))) {
                return Verdict.reject("pcs: proximity row inconsistent with column " + j);
            }
        }
        return committed == null ? Verdict.accept() : CommittedRows.verify(p, committed, js, evs, pvs, colWeights, target, t, levels);
    }

    private static Fp3 dot(long[] coefs, long[] col, int rows) {
        long[] acc = new long[3];
        for (int i = 0; i < rows; i++) {
            acc[0] = Goldilocks.add(acc[0], Goldilocks.mul(coefs[3 * i], col[i]));
            acc[1] = Goldilocks.add(acc[1], Goldilocks.mul(coefs[3 * i + 1], col[i]));
            acc[2] = Goldilocks.add(acc[2], Goldilocks.mul(coefs[3 * i + 2], col[i]));
        }
        return new Fp3(acc[0], acc[1], acc[2]);
    }

    private static long[][] encodeExt(PcsParams p, Fp3[] row) {
        long[][] out = new long[3][];
        for (int c = 0; c < 3; c++) {
            long[] m = new long[row.length];
            for (int i = 0; i < row.length; i++) {
                m[i] = c == 0 ? row[i].c0 : c == 1 ? row[i].c1 : row[i].c2;
            }
            out[c] = encode(p, m);
        }
        return out;
    }

    private static byte[] walk(byte[] leaf, int j, byte[][] path) {
        byte[] cur = leaf;
        int idx = j;
        for (byte[] sib : path) {
            cur = (idx & 1) == 0 ? Hash.SHA256.digest(cur, sib) : Hash.SHA256.digest(sib, cur);
            idx >>= 1;
        }
        return cur;
    }
}
