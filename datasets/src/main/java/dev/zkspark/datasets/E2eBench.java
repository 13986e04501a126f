package dev.zkspark.datasets;

import dev.zkspark.bench.Benchmark;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.FixedPointForward;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.pcs.Commitment;
import dev.zkspark.proof.InferenceProver;
import dev.zkspark.proof.InferenceVerifier;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.ProofFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/zkspark bench e2e}: whole-inference proofs (issue 6). Per model and sequence length:
 * the plain fixed-point inference time (the witness), prove time by op type, verify time, proof
 * bytes by section, and prove/inference, all measured in one run.
 */
public final class E2eBench implements Benchmark {
    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String description() {
        return "prove and verify whole inferences (bundled model; stories15M shape), time by op and bytes by section";
    }

    /**
     * One measured inference. {@code sections} groups the layer tasks ("task/layers") and lookup
     * tables ("lookups"); {@code witnessElements} counts the committed witness values,
     * {@code witnessPolynomial} and {@code modelPolynomial} are the sizes (field elements) of the two
     * committed polynomials (used by {@link ScalingBench}).
     */
    record Row(String model, int seq, double inferMs, double proveMs, double verifyMs, long bytes, Map<String, Double> timings,
            Map<String, Long> sections, long witnessElements, long witnessPolynomial, long modelPolynomial, double plainProveMs,
            long plainBytes) {}

    @Override
    public void run(PrintStream out, boolean quick) {
        List<Row> rows = new ArrayList<>();
        Checkpoint bundled = Bundled.model();
        for (int seq : quick ? new int[] {16} : new int[] {64, 128}) {
            rows.add(measure("bundled 0.8M", bundled, seq, quick, true, true));
        }
        String unsupported = null;
        if (!quick) {
            int seq = storiesSeq();
            try {
                rows.add(measure("stories15M shape", SyntheticModels.generate(SyntheticModels.preset("stories15M"), 1), seq, false, true, true));
            } catch (ZksparkException e) {
                unsupported = e.getMessage();
            } catch (OutOfMemoryError e) {
                // the rows measured so far are still worth printing; the proof's tables are garbage now
                unsupported = "out of memory at sequence " + seq + " with a " + (Runtime.getRuntime().maxMemory() >> 20)
                        + " MiB heap (raise ZKSPARK_JAVA_OPTS=-Xmx..., or set " + SEQ_ENV + " lower)";
            }
        }
        out.println("zero-knowledge proofs (the default); 'plain' = the same statement proved with --no-zk");
        out.printf("%-18s %5s %10s %10s %10s %12s %8s %10s %12s %8s%n", "model", "seq", "infer ms", "prove ms", "verify ms",
                "proof bytes", "ratio", "plain ms", "plain bytes", "zk x");
        for (Row r : rows) {
            out.printf("%-18s %5d %10.1f %10.1f %10.1f %12d %8.1f %10.1f %12d %8.2f%n", r.model, r.seq, r.inferMs, r.proveMs, r.verifyMs,
                    r.bytes, r.proveMs / r.inferMs, r.plainProveMs, r.plainBytes, r.proveMs / r.plainProveMs);
        }
        for (Row r : rows) {
            out.printf("%n%s, sequence %d: prove time by part%n", r.model, r.seq);
            for (Map.Entry<String, Double> e : r.timings.entrySet()) {
                out.printf("  %-40s %10.1f ms %6.1f%%%n", e.getKey(), e.getValue(), 100 * e.getValue() / r.proveMs);
            }
            out.printf("%s, sequence %d: proof bytes by section%n", r.model, r.seq);
            for (Map.Entry<String, Long> e : r.sections.entrySet()) {
                out.printf("  %-40s %10d B %6.1f%%%n", e.getKey(), e.getValue(), 100.0 * e.getValue() / r.bytes);
            }
        }
        Row last = rows.get(rows.size() - 1);
        if (unsupported != null) {
            out.printf("%nstories15M shape: %s%n", unsupported);
            out.printf("the lines below are for %s at sequence %d instead%n", last.model, last.seq);
        }
        out.printf("ratio prove/inference: %.1f%n", last.proveMs / last.inferMs);
        out.printf("proof bytes: %d%n", last.bytes);
        out.printf("zk size overhead: %.2f%n", (double) last.bytes / last.plainBytes);
        out.printf("zk overhead: %.2f%n", last.proveMs / last.plainProveMs);
    }

    /** Environment variable: the sequence length of the stories15M-shape row (default 128, the target). */
    static final String SEQ_ENV = "ZKSPARK_E2E_SEQ";

    static int storiesSeq() {
        String v = System.getenv(SEQ_ENV);
        if (v == null || v.isBlank()) {
            return 128;
        }
        try {
            int seq = Integer.parseInt(v.trim());
            if (seq >= 2 && seq <= 4096) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ZksparkException.badInput(SEQ_ENV + "=" + v + ": expected a sequence length from 2 to 4096");
    }

    /**
     * Quantizes, commits, times the plain fixed-point inference, proves (in zero knowledge if
     * {@code zk}) and verifies, and with {@code plainToo} also proves without zero knowledge (shared
     * with {@link ScalingBench}).
     */
    static Row measure(String name, Checkpoint ck, int seq, boolean quick, boolean zk, boolean plainToo) {
        QuantizedModel qm = QuantizedModel.quantize(ck, QuantParams.DEFAULT).forProof();
        ModelCommitment.Made made = ModelCommitment.commit(qm, new byte[32]);
        FixedPointForward fx = new FixedPointForward(qm);
        int[] text = Bundled.tokenizer().encode(Bundled.heldOutText(), true);
        int promptLen = seq / 2 + 1;
        int[] prompt = Arrays.copyOf(text, promptLen);
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = prompt[i] % ck.config().vocab();
        }
        int[] all = fx.generate(prompt, seq - promptLen + 1, -1);
        int[] gen = Arrays.copyOfRange(all, promptLen, all.length);
        int[] forward = Arrays.copyOf(all, all.length - 1);
        int reps = quick ? 1 : 5;
        double infer = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            fx.logits(forward);
            infer = Math.min(infer, (System.nanoTime() - t0) / 1e6);
        }
        byte[] seed = new byte[16];
        seed[0] = 7;
        double plainMs = Double.NaN;
        long plainBytes = -1;
        if (plainToo) {
            long t0 = System.nanoTime();
            InferenceProver.Proved plain = InferenceProver.prove(made, qm, prompt, gen, seed, false, InferenceProver.Steps.NONE);
            plainMs = (System.nanoTime() - t0) / 1e6;
            plainBytes = plain.proof().toBytes().length;
        }
        long t0 = System.nanoTime();
        InferenceProver.Proved p = InferenceProver.prove(made, qm, prompt, gen, seed, zk, InferenceProver.Steps.NONE);
        double prove = (System.nanoTime() - t0) / 1e6;
        byte[] bytes = p.proof().toBytes();
        t0 = System.nanoTime();
        Verdict v = InferenceVerifier.verify(made.commitment(), p.statement(), bytes);
        double verify = (System.nanoTime() - t0) / 1e6;
        if (!v.isAccepted()) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "benchmark proof rejected: " + v.reason());
        }
        Map<String, Long> sections = new LinkedHashMap<>();
        long witnessPolynomial = 0;
        for (ProofFile.Section s : p.proof().sections()) {
            if (s.name().equals("witness-commitment")) {
                try {
                    witnessPolynomial = 1L << Commitment.readHeader(new ByteSource(s.bytes())).params().numVars();
                } catch (MalformedInputException e) {
                    throw new ZksparkException(ZksparkException.Code.INTERNAL, "benchmark proof: " + e.getMessage(), e);
                }
            }
            String key = s.name().startsWith("task/layer") ? "task/layers" : s.name().startsWith("lookup/") ? "lookups" : s.name();
            sections.merge(key, (long) s.size(), Long::sum);
        }
        return new Row(name, seq, infer, prove, verify, bytes.length, p.timings(), sections, p.witnessElements(), witnessPolynomial,
                1L << made.state().commitment().params().numVars(), plainMs, plainBytes);
    }
}
