package dev.zkspark.spark.jobs;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.format.ModelFiles;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.datasets.tokenizer.Tokenizers;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.proof.InferenceProver;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.spark.io.ChunkTable;
import dev.zkspark.spark.io.ProofRecord;
import dev.zkspark.spark.io.RequestSpec;
import dev.zkspark.transcript.Hash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Proves one whole inference per request on an executor (DESIGN §5 steps 2-5 in one task): greedy
 * generation with the committed model's fixed-point arithmetic, then {@link InferenceProver} on the
 * statement "the committed model, run on this prompt, generates exactly these tokens".
 *
 * <p>The executor rebuilds the prover's side of the model commitment from the checkpoint and the
 * commitment key and refuses to prove unless its digest is the given commitment's, so a task can
 * never prove against a model other than the published one. That work (quantize, pad, commit) is
 * done once per JVM and model/parameters/key, and shared by every task of that JVM (and, in local
 * mode, with the driver through {@link #commitModel}).
 *
 * <p>Deterministic (DESIGN §6): the per-request prover seed is SHA-256(proverSeed || request id) and
 * nothing else is random, so a retried task writes the same bytes. {@code witnessMs} of the record
 * is the generation (the inference the provider runs anyway); {@code proveMs} is the proof,
 * which recomputes the witness and proves it.
 */
public final class InferenceRequestProver implements RequestProver {
    private static final long serialVersionUID = 1L;

    /** Prepared models kept per JVM; a few, since each holds the model commitment's codewords. */
    private static final int CACHED_MODELS = 2;
    private static final Map<String, Slot> CACHE = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
            return size() > CACHED_MODELS;
        }
    };

    private final byte[] modelCommitment;
    private final byte[] commitmentKey;
    private final byte[] proverSeed;
    /** Checkpoint path readable on every executor; null means the bundled model. */
    private final String modelPath;
    /** Tokenizer path (tokenizer.json or llama2.c tokenizer.bin); null with the bundled model or for token-id requests only. */
    private final String tokenizerPath;
    /** Zero knowledge (the default); off only for benchmarks ({@link #withoutZeroKnowledge}). */
    private final boolean zk;
    /** A chunk table of the model (commit-job --chunks) to load the codewords from, or null to encode them. */
    private final String chunks;
    /** Whether executors build only the model's commitment, not its opening state ({@link #withLeanModel}). */
    private final boolean lean;

    /** A prover for the bundled model. */
    public InferenceRequestProver(byte[] modelCommitment, byte[] commitmentKey, byte[] proverSeed) {
        this(null, null, modelCommitment, commitmentKey, proverSeed);
    }

    /**
     * A prover for a checkpoint at {@code modelPath} with its tokenizer (both paths must be readable
     * on every executor), or the bundled model when both are null. Without a tokenizer, requests
     * must give {@code prompt_tokens} and records carry no generated text.
     */
    public InferenceRequestProver(String modelPath, String tokenizerPath, byte[] modelCommitment, byte[] commitmentKey,
            byte[] proverSeed) {
        if (modelPath == null && tokenizerPath != null) {
            throw ZksparkException.badInput("a tokenizer path needs a model path (the bundled model has its own tokenizer)");
        }
        if (commitmentKey.length < 16 || proverSeed.length < 16) {
            throw ZksparkException.badInput("the commitment key and the prover seed need at least 16 bytes each");
        }
        parse(modelCommitment);
        this.modelPath = modelPath;
        this.tokenizerPath = tokenizerPath;
        this.modelCommitment = modelCommitment.clone();
        this.commitmentKey = commitmentKey.clone();
        this.proverSeed = proverSeed.clone();
        this.zk = true;
        this.chunks = null;
        this.lean = false;
    }

    private InferenceRequestProver(InferenceRequestProver o, boolean zk, String chunks) {
        this(o, zk, chunks, o.lean);
    }

    private InferenceRequestProver(InferenceRequestProver o, boolean zk, String chunks, boolean lean) {
        this.modelPath = o.modelPath;
        this.tokenizerPath = o.tokenizerPath;
        this.modelCommitment = o.modelCommitment;
        this.commitmentKey = o.commitmentKey;
        this.proverSeed = o.proverSeed;
        this.zk = zk;
        this.chunks = chunks;
        this.lean = lean;
    }

    /**
     * The same prover whose executors check the model commitment band by band and keep no
     * codeword of it (for split openings, whose bands encode their own rows): with a chunk table
     * the stored codewords are read as before.
     */
    InferenceRequestProver withLeanModel() {
        return new InferenceRequestProver(this, zk, chunks, true);
    }

    /** The same prover writing plain (sound, not zero-knowledge) proofs: for benchmarks. */
    public InferenceRequestProver withoutZeroKnowledge() {
        return new InferenceRequestProver(this, false, chunks);
    }

    /**
     * The same prover taking the model commitment's codewords from a chunk table (a directory
     * readable on every executor, written by {@code commit-job --chunks}) instead of encoding the
     * model again in every executor JVM. The proofs are the same bytes.
     */
    public InferenceRequestProver withChunks(String chunkTable) {
        return new InferenceRequestProver(this, zk, chunkTable);
    }

    public boolean zeroKnowledge() {
        return zk;
    }

    /**
     * The padded model, its commitment and the tokenizer; the commitment's opening state (every
     * codeword) is built when first asked for ({@link #made}) unless it came with the commitment.
     */
    static final class Prepared {
        private final ModelCommitment commitment;
        private final QuantizedModel padded;
        private final Tokenizer tokenizer;
        private final byte[] key;
        private final int zkBudget;
        private ModelCommitment.Made made;
        private long[] stacked;

        Prepared(ModelCommitment commitment, ModelCommitment.Made made, QuantizedModel padded, Tokenizer tokenizer, byte[] key, int zkBudget) {
            this.commitment = commitment;
            this.made = made;
            this.padded = padded;
            this.tokenizer = tokenizer;
            this.key = key.clone();
            this.zkBudget = zkBudget;
        }

        ModelCommitment commitment() {
            return commitment;
        }

        QuantizedModel padded() {
            return padded;
        }

        Tokenizer tokenizer() {
            return tokenizer;
        }

        /** Whether the whole opening state is already in this JVM. */
        synchronized boolean hasState() {
            return made != null;
        }

        /** The commitment with its whole opening state, built now if this JVM has not yet. */
        synchronized ModelCommitment.Made made() {
            if (made == null) {
                made = ModelCommitment.commit(padded, key, zkBudget);
                FULL_STATES.incrementAndGet();
            }
            return made;
        }

        /** The committed polynomial (the model as field elements in the commitment's layout), kept once built. */
        synchronized long[] stacked() {
            if (stacked == null) {
                stacked = ModelCommitment.stacked(padded, key, commitment.commitment().params());
            }
            return stacked;
        }

        /** Rows of band b encoded from {@link #stacked}: what a split opening's band holds. */
        dev.zkspark.spark.sumcheck.SparkRowBands.Held band(dev.zkspark.pcs.BandSlice b) {
            return dev.zkspark.spark.sumcheck.SparkRowBands.encoded(b, commitment.commitment().params(), stacked(), ModelCommitment.pcsKey(key));
        }
    }

    /** Whole model commitment states built in this JVM (test hook: lean provers build none). */
    private static final java.util.concurrent.atomic.AtomicInteger FULL_STATES = new java.util.concurrent.atomic.AtomicInteger();

    static int fullStatesBuilt() {
        return FULL_STATES.get();
    }

    /** Forgets this JVM's prepared models (tests and benchmarks measure from scratch). */
    static void clearModelCache() {
        synchronized (CACHE) {
            CACHE.clear();
        }
    }

    /**
     * Quantizes, pads and commits a model (what {@code commit-model} does) through this JVM's cache,
     * so that in local mode the executors reuse the driver's work. {@code modelPath} and
     * {@code tokenizerPath} null mean the bundled model.
     */
    public static ModelCommitment commitModel(String modelPath, String tokenizerPath, QuantParams params, byte[] commitmentKey) {
        return prepared(modelPath, tokenizerPath, params, commitmentKey, ModelCommitment.ZK_BUDGET, null, null, false).commitment();
    }

    /**
     * @param chunks a chunk table to take the codewords from (null: encode), for the commitment
     *     whose digest is {@code digest}
     */
    private static Prepared prepared(String modelPath, String tokenizerPath, QuantParams params, byte[] key, int zkBudget, String chunks,
            byte[] digest, boolean lean) {
        String source = (modelPath == null ? "bundled" : "path:" + modelPath + "\0" + tokenizerPath)
                + (chunks == null ? "" : "\0chunks:" + chunks);
        String id = HexFormat.of().formatHex(Hash.SHA256.digest(source.getBytes(StandardCharsets.UTF_8), new byte[] {0},
                params.digest(), key, java.nio.ByteBuffer.allocate(4).putInt(zkBudget).array()));
        Slot slot;
        synchronized (CACHE) {
            slot = CACHE.computeIfAbsent(id, k -> new Slot());
        }
        return slot.get(() -> {
            Checkpoint ck = modelPath == null ? Bundled.model() : ModelFiles.load(Path.of(modelPath));
            Tokenizer tok = modelPath == null ? Bundled.tokenizer() : tokenizerPath == null ? null : Tokenizers.read(Path.of(tokenizerPath), ck.config().vocab());
            QuantizedModel padded = QuantizedModel.quantize(ck, params).forProof();
            if (chunks == null && lean) {
                ModelCommitment layout = ModelCommitment.layout(padded, key, zkBudget);
                long[] stacked = ModelCommitment.stacked(padded, key, layout.commitment().params());
                Prepared lp = new Prepared(layout.commitRows(stacked, key), null, padded, tok, key, zkBudget);
                lp.stacked = stacked; // the bands of split openings encode their rows from it
                return lp;
            }
            if (chunks == null) {
                ModelCommitment.Made made = ModelCommitment.commit(padded, key, zkBudget);
                FULL_STATES.incrementAndGet();
                return new Prepared(made.commitment(), made, padded, tok, key, zkBudget);
            }
            ChunkTable.Rows rows = ChunkTable.read(chunks, digest);
            try {
                ModelCommitment.Made made = ModelCommitment.fromStoredRows(padded, key, zkBudget, rows.firstRows(), rows.codewords());
                FULL_STATES.incrementAndGet();
                return new Prepared(made.commitment(), made, padded, tok, key, zkBudget);
            } catch (IllegalArgumentException e) {
                throw ZksparkException.badInput("chunk table " + chunks + " does not hold this model's commitment: " + e.getMessage());
            }
        });
    }

    /** Computes its model once; concurrent tasks for the same model wait for the first (a failure is retried). */
    private static final class Slot {
        private Prepared value;

        synchronized Prepared get(Supplier<Prepared> make) {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }

    @Override
    public ProofRecord prove(RequestSpec request) {
        try {
            Generated g = generate(request);
            long t0 = System.nanoTime();
            Prepared p = checkedModel();
            InferenceProver.Proved proved = InferenceProver.prove(p.made(), p.padded(), g.prompt(), g.generated(), requestSeed(request.id()), zk,
                    InferenceProver.Steps.NONE);
            byte[] proof = proved.proof().toBytes();
            double proveMs = (System.nanoTime() - t0) / 1e6;
            return new ProofRecord(request.id(), ProofRecord.PROVED, null, g.prompt(), g.generated(), g.text(),
                    proved.statement().toBytes(), proof, g.witnessMs(), proveMs);
        } catch (ZksparkException e) {
            return ProofRecord.failed(request.id(), e.getMessage());
        }
    }

    /** A request's prompt ids and greedy continuation under the committed model (the statement's tokens). */
    record Generated(int[] prompt, int[] generated, String text, double witnessMs) implements java.io.Serializable {}

    /** Tokenizes (or checks the ids of) the prompt and generates greedily; BAD_INPUT for an unusable request. */
    Generated generate(RequestSpec request) {
        Prepared p = checkedModel();
        long t0 = System.nanoTime();
        int[] prompt = promptTokens(request, p);
        int eos = p.tokenizer() == null ? -1 : p.tokenizer().eosId();
        int[] all = new FixedPointForward(p.padded()).generate(prompt, request.maxNewTokens(), eos);
        int[] generated = Arrays.copyOfRange(all, prompt.length, all.length);
        String text = p.tokenizer() == null ? null : p.tokenizer().decode(generated);
        return new Generated(prompt, generated, text, (System.nanoTime() - t0) / 1e6);
    }

    /** This JVM's prepared model, refused unless it is the one the given commitment was made from. */
    Prepared checkedModel() {
        ModelCommitment mc = parse(modelCommitment);
        Prepared p = prepared(modelPath, tokenizerPath, mc.params(), commitmentKey, mc.zkBudget(), chunks, mc.digest(), lean);
        if (chunks != null && !Arrays.equals(p.commitment().digest(), mc.digest())) {
            throw ZksparkException.badInput("the codewords of chunk table " + chunks + " are not those of the model commitment");
        }
        if (!Arrays.equals(p.commitment().digest(), mc.digest())) {
            throw ZksparkException.badInput("the model commitment was not made from "
                    + (modelPath == null ? "the bundled model" : modelPath) + " with this commitment key" + p.commitment().layoutNote(mc));
        }
        return p;
    }

    /** The secret model commitment key (stage C's driver derives the model's opening seed from it). */
    byte[] commitmentKey() {
        return commitmentKey.clone();
    }

    /** The per-request prover seed: SHA-256(job seed || request id), so a retried task reproduces its bytes. */
    byte[] requestSeed(String requestId) {
        return Hash.SHA256.digest(proverSeed, requestId.getBytes(StandardCharsets.UTF_8));
    }

    private static int[] promptTokens(RequestSpec r, Prepared p) {
        int[] ids;
        if (r.hasText()) {
            if (p.tokenizer() == null) {
                throw ZksparkException.badInput("a text prompt needs a tokenizer (give prompt_tokens, or the model's tokenizer)");
            }
            ids = p.tokenizer().encode(r.promptText(), true);
        } else {
            ids = r.promptTokens().clone();
            int vocab = p.commitment().logical().vocab();
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= vocab) {
                    throw ZksparkException.badInput("prompt_tokens[" + i + "] = " + ids[i] + " is not in the model's vocabulary of "
                            + vocab);
                }
            }
        }
        int maxSeq = p.padded().config().maxSeq();
        if (ids.length == 0 || ids.length >= maxSeq) {
            throw ZksparkException.badInput("the prompt has " + ids.length + " tokens; the model takes 1 to " + (maxSeq - 1));
        }
        return ids;
    }

    /** Parses a published model commitment; BAD_INPUT with the reason if it is malformed. */
    static ModelCommitment parse(byte[] commitment) {
        try {
            return ModelCommitment.parse(commitment);
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput("model commitment: " + e.getMessage());
        }
    }
}
