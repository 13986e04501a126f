package dev.zkspark.spark.demo;

import dev.zkspark.circuit.Selection;
import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.tokenizer.Llama2cTokenizer;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FloatReference;
import dev.zkspark.pcs.Commitment;
import dev.zkspark.pcs.OpeningProof;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.SumcheckProof;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bin/zkspark demo} proves today: for every request, that the committed input rows of
 * the forward pass are the committed model's embedding rows of the public prompt tokens
 * (Selection, DESIGN §1's first step), with one witness commitment per request and all claims on the
 * model batched into one opening on the driver (DESIGN §5 step 5). The transformer layers, logits and
 * greedy-argmax checks are issue 6; the generated text printed next to it comes from the float
 * reference model and is not yet proved.
 */
public final class EmbeddingDemo {
    /** Fixed-point scale of the committed embedding (DESIGN §2 default). */
    public static final int SCALE_BITS = 16;
    static final String EMBED = "model.embed_tokens";
    static final String X0 = "x0";

    private EmbeddingDemo() {}

    /** The quantized embedding [vocab][dim] as field elements (round half up at 2^16). */
    public static long[] quantizedEmbedding(Checkpoint ck) {
        float[] e = ck.tensor("model.embed_tokens.weight");
        long[] q = new long[e.length];
        for (int i = 0; i < e.length; i++) {
            q[i] = Goldilocks.fromSigned((long) Math.floor(e[i] * (double) (1 << SCALE_BITS) + 0.5));
        }
        return q;
    }

    /** Padded public indices: the prompt tokens, then token 0 up to a power of two. */
    static int[] paddedIndices(int[] tokens) {
        int n = Integer.highestOneBit(Math.max(1, tokens.length));
        if (n < tokens.length) {
            n <<= 1;
        }
        return java.util.Arrays.copyOf(tokens, n);
    }

    /** One request's part of the demo proof, as bytes (Spark ships it to the driver). */
    public record RequestProof(String id, int[] prompt, int[] generated, String text, byte[] witnessCommitment,
            byte[] selection, byte[] onX0Point, byte[] witnessOpening, byte[] onEmbedding, double proveMs) implements Serializable {}

    /** Executor side: generate, commit the witness, prove the selection, open the witness commitment. */
    public static RequestProof proveRequest(String id, String prompt, int maxNew, byte[] modelDigest, byte[] seed) {
        long t0 = System.nanoTime();
        Checkpoint ck = Bundled.model();
        Llama2cTokenizer tok = Bundled.tokenizer();
        int[] tokens = tok.encode(prompt, true);
        int[] all = new FloatReference(ck).generate(tokens, maxNew, tok.eosId());
        int[] gen = java.util.Arrays.copyOfRange(all, tokens.length, all.length);
        int dim = ck.config().dim();
        long[] embed = quantizedEmbedding(ck);
        int[] idx = paddedIndices(tokens);
        long[] x0 = Selection.compute(embed, dim, idx);
        byte[] reqSeed = Hash.SHA256.digest(seed, id.getBytes(StandardCharsets.UTF_8));
        TensorCodePcs.Committed wc = TensorCodePcs.commit(List.of(new TensorCodePcs.Tensor(X0, x0)), reqSeed);
        Transcript t = requestTranscript(modelDigest, id, tokens, gen, wc.commitment());
        int nv = Integer.numberOfTrailingZeros(x0.length);
        Point u = new Point(t.challengesExt("demo/u", nv));
        Claim onX0 = new Claim(X0, u, Mle.base(x0).evaluate(u));
        t.absorbExt("demo/x0-value", onX0.value());
        Selection.Proved sel = Selection.prove(EMBED, embed, dim, idx, onX0, t);
        OpeningProof wOpen = TensorCodePcs.open(wc, List.of(onX0), t);
        return new RequestProof(id, tokens, gen, tok.decode(all), wc.commitment().toBytes(), bytes(sel.proof()),
                pointBytes(onX0), bytes(wOpen), pointBytes(sel.onTable()), (System.nanoTime() - t0) / 1e6);
    }

    static Transcript requestTranscript(byte[] modelDigest, String id, int[] prompt, int[] gen, Commitment witness) {
        ByteSink st = new ByteSink().bytes(modelDigest).utf8(id).u32(prompt.length);
        for (int v : prompt) {
            st.u32(v);
        }
        st.u32(gen.length);
        for (int v : gen) {
            st.u32(v);
        }
        Transcript t = Transcript.create(Hash.SHA256, "zkspark-demo-embedding", st.toByteArray());
        t.absorb("demo/witness-commitment", witness.digest());
        return t;
    }

    /** Driver side: one opening of the model commitment for every request's embedding claim. */
    public static byte[] openModel(TensorCodePcs.Committed mc, List<RequestProof> reqs) {
        List<Claim> claims = new ArrayList<>();
        for (RequestProof r : reqs) {
            claims.add(parseClaim(r.onEmbedding()));
        }
        return bytes(TensorCodePcs.open(mc, claims, modelTranscript(mc.commitment(), reqs)));
    }

    static Transcript modelTranscript(Commitment model, List<RequestProof> reqs) {
        Transcript t = Transcript.create(Hash.SHA256, "zkspark-demo-model-opening", model.digest());
        for (RequestProof r : reqs) {
            t.absorb("demo/request", r.id().getBytes(StandardCharsets.UTF_8));
            t.absorb("demo/request-witness", r.witnessCommitment());
        }
        return t;
    }

    /** Verifies everything from bytes (no Spark, no prover state): the standalone verifier's job. */
    public static Verdict verify(Commitment model, int vocab, int dim, List<RequestProof> reqs, byte[] modelOpening) {
        try {
            List<Claim> onEmbedding = new ArrayList<>();
            for (RequestProof r : reqs) {
                Commitment wc = Commitment.read(new ByteSource(r.witnessCommitment()));
                Transcript t = requestTranscript(model.digest(), r.id(), r.prompt(), r.generated(), wc);
                int[] idx = paddedIndices(r.prompt());
                int nv = Integer.numberOfTrailingZeros(idx.length * dim);
                Point u = new Point(t.challengesExt("demo/u", nv));
                Claim onX0 = parseClaim(r.onX0Point());
                if (!onX0.point().equals(u) || !onX0.tensor().equals(X0)) {
                    return Verdict.reject(r.id() + ": input claim is not at the transcript's point");
                }
                t.absorbExt("demo/x0-value", onX0.value());
                SumcheckProof sel = SumcheckProof.read(new ByteSource(r.selection()));
                Selection.Checked sc = Selection.verify(EMBED, vocab, dim, idx, onX0, sel, t);
                if (!sc.verdict().isAccepted()) {
                    return sc.verdict().within(r.id());
                }
                Claim claimed = parseClaim(r.onEmbedding());
                if (!claimed.equals(sc.onTable())) {
                    return Verdict.reject(r.id() + ": embedding claim differs from the selection proof's");
                }
                OpeningProof wo = OpeningProof.read(new ByteSource(r.witnessOpening()), wc.params());
                Verdict wv = TensorCodePcs.verify(wc, List.of(onX0), wo, t);
                if (!wv.isAccepted()) {
                    return wv.within(r.id() + " witness opening");
                }
                onEmbedding.add(sc.onTable());
            }
            OpeningProof mo = OpeningProof.read(new ByteSource(modelOpening), model.params());
            return TensorCodePcs.verify(model, onEmbedding, mo, modelTranscript(model, reqs)).within("model opening");
        } catch (MalformedInputException | RuntimeException e) {
            return Verdict.reject("malformed demo proof: " + e.getMessage());
        }
    }

    static byte[] pointBytes(Claim c) {
        ByteSink s = new ByteSink().utf8(c.tensor()).exts(c.point().toArray()).ext(c.value());
        return s.toByteArray();
    }

    static Claim parseClaim(byte[] b) {
        try {
            ByteSource in = new ByteSource(b);
            String name = in.utf8("claim tensor", 256);
            Fp3[] p = in.exts("claim point", 64);
            Fp3 v = in.ext("claim value");
            in.expectEnd("claim");
            return new Claim(name, new Point(p), v);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    static byte[] bytes(SumcheckProof p) {
        ByteSink s = new ByteSink();
        p.write(s);
        return s.toByteArray();
    }

    static byte[] bytes(OpeningProof p) {
        ByteSink s = new ByteSink();
        p.write(s);
        return s.toByteArray();
    }
}
