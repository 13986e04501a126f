package dev.zkspark.proof;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.model.LlamaConfig;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.pcs.Commitment;
import dev.zkspark.pcs.PcsParams;
import dev.zkspark.pcs.Piece;
import dev.zkspark.pcs.Region;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.transcript.Hash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model provider publishes once (DESIGN §5.1): the (proof-padded) architecture, the
 * quantization parameters, each weight tensor's fractional bits and the polynomial commitment to
 * the quantized weights stacked in canonical order. Its digest is the statement's modelDigest. The
 * weights stay secret: the commitment is hiding, and the seed that randomizes it is the provider's.
 */
public record ModelCommitment(LlamaConfig config, QuantizedModel.Logical logical, QuantParams params, Map<String, Integer> fracBits,
        Commitment commitment) {
    public static final byte[] MAGIC = "ZKSPARKM".getBytes(StandardCharsets.US_ASCII);
    /** 2: F_p^3 mask rows (six base rows per column), proof of work, zk budget; version 1 files are refused. */
    public static final int VERSION = 2;

    public ModelCommitment {
        fracBits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fracBits));
    }

    /**
     * Zero-knowledge proofs one model commitment supports by default before its opened columns
     * could accumulate beyond the codewords' random padding (docs/ZK.md §6). Padding is
     * ZK_BUDGET x queries coefficients per row; for the bundled model (2^21 entries, 256 x 8192)
     * each unit of budget costs about 2 x 24 x 250 bytes of the two opened rows plus a few more
     * queries (the longer message lowers the code's distance): budget 8 makes its zero-knowledge
     * proof about 7% larger than budget 1 (244 -> 268 queries), budget 12 about 11%.
     */
    public static final int ZK_BUDGET = 8;

    /** A commitment and the prover state its openings need. */
    public record Made(ModelCommitment commitment, TensorCodePcs.Committed state) {}

    /** Zero-knowledge proofs this commitment supports with uniform opened columns (docs/ZK.md §6). */
    public int zkBudget() {
        return commitment.params().zkBudget();
    }

    /** {@link #commit(QuantizedModel, byte[], int)} with the default budget {@link #ZK_BUDGET}. */
    public static Made commit(QuantizedModel padded, byte[] seed) {
        return commit(padded, seed, ZK_BUDGET);
    }

    /**
     * Commits a model padded for proving ({@link QuantizedModel#forProof()}); the seed must stay
     * secret. Besides the weights the commitment holds a blinding region of random values that no
     * claim touches (plain proofs' openings and older zero-knowledge proofs relied on it; with the
     * per-proof companion the revealed evaluation is blinded afresh every proof). {@code zkProofs}
     * is the padding budget: that many zero-knowledge proofs reveal only uniform columns of the
     * weights' codewords; it is recorded in the commitment's parameters.
     */
    public static Made commit(QuantizedModel padded, byte[] seed, int zkProofs) {
        byte[] key = pcsKey(seed);
        TensorCodePcs.Committed st = TensorCodePcs.commitReusable(tensors(padded, key), key, 100, zkProofs);
        return new Made(new ModelCommitment(padded.config(), padded.logical(), padded.params(), padded.fracBits(), st.commitment()), st);
    }

    /** The tensor-code commitment's seed (salts, padding, mask rows) derived from the commitment key. */
    public static byte[] pcsKey(byte[] seed) {
        return Hash.SHA256.digest("zkspark/model".getBytes(StandardCharsets.UTF_8), seed);
    }

    /** The committed tensors: the weights in the model's order, then the blinding region. */
    private static List<TensorCodePcs.Tensor> tensors(QuantizedModel padded, byte[] key) {
        List<TensorCodePcs.Tensor> tensors = new ArrayList<>();
        for (QuantizedModel.QTensor q : padded.tensors()) {
            tensors.add(new TensorCodePcs.Tensor(q.name(), InferenceWitness.field(q.values()), pieces(padded, q)));
        }
        tensors.add(new TensorCodePcs.Tensor(InferenceProver.BLIND,
                dev.zkspark.sumcheck.ZkMasks.generate(key, "model-blind", InferenceProver.BLIND_SIZE)));
        return tensors;
    }

    /**
     * The pieces of a padded tensor's real weights (null: commit it whole), so the padding zeros are
     * not committed (a claim on the padded tensor is rewritten onto its pieces, {@link Piece}): the
     * stories15M shape's 15.2M weights take 2^24 committed entries instead of 2^25.
     */
    private static List<Piece> pieces(QuantizedModel padded, QuantizedModel.QTensor q) {
        boolean[][] real = padded.realIndices(q.name());
        if (real == null) {
            return null;
        }
        boolean[] rows = real.length == 1 ? new boolean[] {true} : real[0];
        boolean[] cols = real.length == 1 ? real[0] : real[1];
        List<Piece> ps = Piece.grid(rows, Integer.numberOfTrailingZeros(rows.length), cols, Integer.numberOfTrailingZeros(cols.length));
        return ps.size() == 1 && ps.get(0).numVars() == Integer.numberOfTrailingZeros(q.values().length) ? null : ps;
    }

    // ---------------------------------------------------------------- distributed commit (issue 7)

    /**
     * The commitment's public parts before any row is encoded: configuration, quantization, the
     * regions and the code parameters, with an all-zero root (what {@link #assemble} fills in). A
     * worker computes it; the driver of a distributed commit never holds the weights.
     */
    public static ModelCommitment layout(QuantizedModel padded, byte[] seed, int zkProofs) {
        List<TensorCodePcs.Tensor> tensors = tensors(padded, pcsKey(seed));
        PcsParams p = TensorCodePcs.paramsFor(tensors, 100, zkProofs);
        Commitment placeholder = new Commitment(new byte[32], p, TensorCodePcs.layout(tensors));
        return new ModelCommitment(padded.config(), padded.logical(), padded.params(), padded.fracBits(), placeholder);
    }

    /** The committed polynomial: the weights (and the blinding region) stacked into this commitment's regions. */
    public static long[] stacked(QuantizedModel padded, byte[] seed, PcsParams p) {
        List<TensorCodePcs.Tensor> tensors = tensors(padded, pcsKey(seed));
        return TensorCodePcs.stack(tensors, TensorCodePcs.layout(tensors), p);
    }

    /**
     * This layout's commitment (the same bytes as {@link #commit}) from the stacked polynomial
     * ({@link #stacked}), without the opening state: the rows are encoded one band of 32-row chunks
     * at a time and only their chunk digests kept, so the memory is the polynomial plus about 1/64
     * of the codewords (for provers whose openings take the rows from bands, spark-jobs).
     */
    public ModelCommitment commitRows(long[] stacked, byte[] seed) {
        PcsParams p = commitment.params();
        byte[] key = pcsKey(seed);
        int bands = TensorCodePcs.bandCount(p, LEAN_BANDS);
        List<TensorCodePcs.BandDigests> digests = new ArrayList<>();
        for (int b = 0; b < bands; b++) {
            int[] range = TensorCodePcs.bandRange(p, b, bands);
            digests.add(TensorCodePcs.BandDigests.of(TensorCodePcs.encodeBand(p, stacked, range[0], range[1], key)));
        }
        return assemble(digests, seed);
    }

    private static final int LEAN_BANDS = 64;

    /**
     * Encodes band {@code band} of {@code bands} (see {@link TensorCodePcs#bandCount}) of the committed
     * polynomial: a worker's share of the commitment, identical to the same rows of {@link #commit}.
     */
    public static TensorCodePcs.Band encodeBand(QuantizedModel padded, byte[] seed, PcsParams p, int band, int bands) {
        byte[] key = pcsKey(seed);
        List<TensorCodePcs.Tensor> tensors = tensors(padded, key);
        long[] poly = TensorCodePcs.stack(tensors, TensorCodePcs.layout(tensors), p);
        int[] range = TensorCodePcs.bandRange(p, band, bands);
        return TensorCodePcs.encodeBand(p, poly, range[0], range[1], key);
    }

    /**
     * The commitment and its prover state from the stored codewords of its data rows (a chunk table
     * written by commit-job) instead of encoding the model again: {@link #commit}'s result when the
     * codewords are the model's. Rows of another model or key are refused (IllegalArgumentException,
     * one row per band is re-encoded and compared); the caller compares the digest with the
     * published commitment, which binds every codeword.
     */
    public static Made fromStoredRows(QuantizedModel padded, byte[] seed, int zkProofs, List<Integer> firstRows, List<long[][]> codewords) {
        byte[] key = pcsKey(seed);
        List<TensorCodePcs.Tensor> tensors = tensors(padded, key);
        PcsParams p = TensorCodePcs.paramsFor(tensors, 100, zkProofs);
        List<Region> regions = TensorCodePcs.layout(tensors);
        TensorCodePcs.Committed st = TensorCodePcs.combineStored(p, regions, TensorCodePcs.stack(tensors, regions, p), firstRows, codewords, key);
        return new Made(new ModelCommitment(padded.config(), padded.logical(), padded.params(), padded.fracBits(), st.commitment()), st);
    }

    /**
     * The opening state of this commitment with its data rows held in bands elsewhere
     * ({@link TensorCodePcs#remote}): salts and mask rows from the commitment key, the tree from
     * the bands' leaves (checked against the root).
     *
     * @throws IllegalArgumentException if the leaves do not give this commitment's root
     */
    public TensorCodePcs.Committed remoteState(byte[] seed, byte[][] leaves, dev.zkspark.pcs.RowBands bands) {
        return TensorCodePcs.remote(commitment, leaves, pcsKey(seed), bands);
    }

    /** This layout with the root computed from every band's chunk digests: the same bytes as {@link #commit}. */
    public ModelCommitment assemble(List<TensorCodePcs.BandDigests> bands, byte[] seed) {
        Commitment c = TensorCodePcs.commitmentFromDigests(commitment.params(), commitment.regions(), bands, pcsKey(seed));
        return new ModelCommitment(config, logical, params, fracBits, c);
    }

    /**
     * The Merkle subtree root of column range {@code range} of {@code ranges}
     * ({@link TensorCodePcs#columnRange}) from every band's digests of those columns
     * ({@link TensorCodePcs.BandDigests#columns}): a distributed commit's second stage.
     */
    public byte[] subtreeRoot(List<TensorCodePcs.BandDigests> bandColumns, int range, int ranges, byte[] seed) {
        int[] cols = TensorCodePcs.columnRange(commitment.params(), range, ranges);
        return TensorCodePcs.subtreeRoot(commitment.params(), bandColumns, cols[0], cols[1], pcsKey(seed));
    }

    /** This layout with the root joined from every column range's subtree root, in range order. */
    public ModelCommitment assembleFromSubtrees(List<byte[]> roots) {
        Commitment c = TensorCodePcs.commitmentFromSubtrees(commitment.params(), commitment.regions(), roots);
        return new ModelCommitment(config, logical, params, fracBits, c);
    }

    /**
     * Why {@code published} is not this commitment (made again from the model and key): "" when
     * only the root differs (another model or key), else a note that its layout is not the one
     * this zkspark makes (commitments made before 2026-12-02 commit the padding and every row).
     */
    public String layoutNote(ModelCommitment published) {
        if (published.commitment.params().equals(commitment.params()) && published.commitment.regions().equals(commitment.regions())) {
            return "";
        }
        return " (its layout is not the one this zkspark makes for this model: a commitment made before 2026-12-02 commits "
                + "the padding and every row; make it again with commit-model)";
    }

    public byte[] toBytes() {
        ByteSink out = new ByteSink();
        out.bytes(MAGIC).u32(VERSION);
        config.write(out);
        out.u32(logical.dim()).u32(logical.headDim()).u32(logical.vocab());
        params.write(out);
        out.u32(fracBits.size());
        for (Map.Entry<String, Integer> e : fracBits.entrySet()) {
            out.utf8(e.getKey()).u32(e.getValue());
        }
        commitment.write(out);
        return out.toByteArray();
    }

    /** SHA-256 of the encoding: the modelDigest of every statement about this model. */
    public byte[] digest() {
        return Hash.SHA256.digest(toBytes());
    }

    public static ModelCommitment parse(byte[] b) throws MalformedInputException {
        ByteSource in = new ByteSource(b);
        if (!java.util.Arrays.equals(in.bytes("magic", MAGIC.length), MAGIC)) {
            throw new MalformedInputException("not a zkspark model commitment (wrong magic)");
        }
        int version = in.u32("version");
        if (version != VERSION) {
            throw new MalformedInputException("model commitment version " + version + " (this zkspark reads " + VERSION + ")");
        }
        LlamaConfig c;
        QuantizedModel.Logical logical;
        QuantParams p;
        try {
            c = new LlamaConfig(in.u32("dim"), in.u32("hidden"), in.u32("layers"), in.u32("heads"), in.u32("kv heads"),
                    in.u32("vocab"), in.u32("max seq"), Float.intBitsToFloat(in.u32("eps")), Float.intBitsToFloat(in.u32("theta")),
                    in.u8("tied") == 1);
            logical = new QuantizedModel.Logical(in.u32("real dim"), in.u32("real head dim"), in.u32("real vocab"));
            if (logical.dim() < 1 || logical.dim() > c.dim() || logical.headDim() < 2 || logical.headDim() > c.headDim()
                    || logical.vocab() < 1 || logical.vocab() > c.vocab()) {
                throw new MalformedInputException("real sizes " + logical + " do not fit the padded architecture");
            }
            String v = in.utf8("quantization version", 64);
            if (!v.equals(QuantParams.VERSION)) {
                throw new MalformedInputException("quantization " + v + " is not " + QuantParams.VERSION);
            }
            p = new QuantParams(in.u32("s"), in.u32("weight bits"), in.u32("B"), in.u32("sm"), in.u32("digit bits"),
                    in.u32("low digits"), in.u32("sigmoid frac"), in.u32("sigmoid int"), in.u32("tolerance"));
        } catch (RuntimeException e) {
            throw new MalformedInputException("invalid model parameters: " + e.getMessage());
        }
        int n = in.count("tensor count", 1 << 16);
        Map<String, Integer> fb = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.utf8("tensor name", 1024);
            int f = in.u32("fractional bits");
            if (f > 62) {
                throw new MalformedInputException("tensor " + name + " has " + f + " fractional bits");
            }
            fb.put(name, f);
        }
        Commitment cm = Commitment.read(in);
        in.expectEnd("model commitment");
        return new ModelCommitment(c, logical, p, fb, cm);
    }
}
