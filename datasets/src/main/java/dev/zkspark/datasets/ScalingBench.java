package dev.zkspark.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.zkspark.bench.Benchmark;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.format.AtomicFile;
import dev.zkspark.model.LlamaConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/zkspark bench scaling}: how proving cost grows with the model and the sequence. Proves
 * and verifies whole inferences of synthetic Llama models of width 32, 64, 128 and 256 (25k to 1.6M
 * parameters; 2 layers, head dimension 16, vocabulary twice the width) at sequence lengths 8, 16 and
 * 32 (quick: widths 32 and 64 at 8 and 16, about 35 s on 2 cores), measuring each
 * point as {@code bench e2e} does ({@link E2eBench#measure}) but with plain proofs, whose two
 * openings (witness, model) are separate sections that the fit relates to each commitment's size
 * (a zero-knowledge proof opens both jointly; {@code bench e2e} reports its overhead), then fits
 *
 * <ul>
 *   <li>prove ms = a + b (parameters x sequence), by least squares, and projects it to the
 *       stories15M shape (15.2M parameters) at sequence 128 (an extrapolation far outside the
 *       measured range, printed as the last line);
 *   <li>proof bytes = c0 + c1 (sqrt(Nw) + sqrt(Nm)) + c2 log2(Nw + Nm), Nw and Nm the field
 *       elements of the committed witness and model polynomials: each opening of the tensor-code
 *       commitment grows like the square root of its polynomial, the sumcheck and GKR messages
 *       like the number of variables.
 * </ul>
 *
 * <p>When the system property {@code zkspark.bench.json} or else the environment variable
 * {@code ZKSPARK_BENCH_JSON} names a file, every row (with proof bytes by section and prove time by
 * part), both fits and the projection are also written there as one JSON object, atomically
 * (notebooks/scaling.ipynb reads it).
 */
public final class ScalingBench implements Benchmark {
    /** System property naming the JSON output file (wins over {@link #JSON_ENV}). */
    public static final String JSON_PROPERTY = "zkspark.bench.json";
    /** Environment variable naming the JSON output file. */
    public static final String JSON_ENV = "ZKSPARK_BENCH_JSON";
    /** The projection's target: sequence length 128 on the stories15M shape. */
    static final int PROJECTED_SEQ = 128;
    static final String PROJECTED_PRESET = "stories15M";

    /** One swept model: its label and shape. */
    record Model(String label, LlamaConfig config) {}

    @Override
    public String name() {
        return "scaling";
    }

    @Override
    public String description() {
        return "prove/verify time and proof bytes of synthetic models of growing size and sequence, with a fitted projection"
                + " (JSON: " + JSON_ENV + "=FILE)";
    }

    /** Width d, 2 layers, head dimension 16 (d/16 heads, half as many KV heads), SwiGLU 2.75 d, vocabulary 2 d, 64 positions. */
    static Model model(int dim) {
        int heads = dim / 16;
        int kvHeads = Math.max(1, heads / 2);
        LlamaConfig c = new LlamaConfig(dim, dim * 11 / 4, 2, heads, kvHeads, 2 * dim, 64, 1e-5f, 10000f, true);
        return new Model("d" + dim + " L2 v" + c.vocab(), c);
    }

    static int[] dims(boolean quick) {
        return quick ? new int[] {32, 64} : new int[] {32, 64, 128, 256};
    }

    static int[] seqs(boolean quick) {
        return quick ? new int[] {8, 16} : new int[] {8, 16, 32};
    }

    @Override
    public void run(PrintStream out, boolean quick) {
        String json = System.getProperty(JSON_PROPERTY);
        if (json == null || json.isBlank()) {
            json = System.getenv(JSON_ENV);
        }
        run(out, quick, json == null || json.isBlank() ? null : Path.of(json));
    }

    void run(PrintStream out, boolean quick, Path json) {
        int[] dims = dims(quick);
        int[] seqs = seqs(quick);
        // one untimed proof first, so that the first measured point does not pay for the JIT
        E2eBench.measure("warm-up", SyntheticModels.generate(model(dims[0]).config(), 1), seqs[0], true, false, false);
        List<Model> models = new ArrayList<>();
        List<Long> params = new ArrayList<>();
        List<E2eBench.Row> rows = new ArrayList<>();
        for (int dim : dims) {
            Model m = model(dim);
            var ck = SyntheticModels.generate(m.config(), 1);
            for (int seq : seqs) {
                models.add(m);
                params.add(m.config().parameterCount());
                rows.add(E2eBench.measure(m.label(), ck, seq, quick, false, false));
            }
        }
        int n = rows.size();
        double[] x = new double[n];
        double[] prove = new double[n];
        double[] bytes = new double[n];
        double[][] timeFeatures = new double[n][];
        double[][] bytesFeatures = new double[n][];
        for (int i = 0; i < n; i++) {
            E2eBench.Row r = rows.get(i);
            x[i] = (double) params.get(i) * r.seq();
            prove[i] = r.proveMs();
            bytes[i] = r.bytes();
            timeFeatures[i] = new double[] {1, x[i]};
            bytesFeatures[i] = bytesFeatures(r.witnessPolynomial(), r.modelPolynomial());
        }
        Fit timeFit = Fit.leastSquares(new String[] {"a_ms", "b_ms_per_parameter_position"}, timeFeatures, prove);
        Fit bytesFit = Fit.leastSquares(new String[] {"c0", "c1_sqrt", "c2_log2"}, bytesFeatures, bytes);
        long projectedParams = SyntheticModels.preset(PROJECTED_PRESET).parameterCount();
        double projectedX = (double) projectedParams * PROJECTED_SEQ;
        double projectedSeconds = timeFit.predict(1, projectedX) / 1000;

        out.printf(Locale.ROOT, "%-14s %9s %4s %10s %10s %10s %12s %11s %8s%n", "model", "params", "seq", "infer ms", "prove ms",
                "verify ms", "proof bytes", "committed", "ratio");
        for (int i = 0; i < n; i++) {
            E2eBench.Row r = rows.get(i);
            out.printf(Locale.ROOT, "%-14s %9d %4d %10.1f %10.1f %10.1f %12d %11d %8.1f%n", r.model(), params.get(i), r.seq(),
                    r.inferMs(), r.proveMs(), r.verifyMs(), r.bytes(), r.witnessPolynomial() + r.modelPolynomial(),
                    r.proveMs() / r.inferMs());
        }
        Set<String> sectionNames = new LinkedHashSet<>();
        rows.forEach(r -> sectionNames.addAll(r.sections().keySet()));
        out.printf("%nproof bytes by section%n");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-14s %4s", "model", "seq"));
        for (String s : sectionNames) {
            head.append(String.format(Locale.ROOT, " %18s", s));
        }
        out.println(head);
        for (E2eBench.Row r : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-14s %4d", r.model(), r.seq()));
            for (String s : sectionNames) {
                line.append(String.format(Locale.ROOT, " %18d", r.sections().getOrDefault(s, 0L)));
            }
            out.println(line);
        }
        out.println();
        out.printf(Locale.ROOT, "fit: prove ms = %.1f + %.4g * (parameters x sequence)   (R^2 %.3f, %d points)%n",
                timeFit.coef()[0], timeFit.coef()[1], timeFit.r2(), n);
        out.printf(Locale.ROOT, "fit: proof bytes = %.0f + %.1f * (sqrt(Nw) + sqrt(Nm)) + %.0f * log2(Nw + Nm), Nw and Nm the"
                + " committed witness and model polynomials   (R^2 %.3f)%n",
                bytesFit.coef()[0], bytesFit.coef()[1], bytesFit.coef()[2], bytesFit.r2());
        out.printf(Locale.ROOT, "projection: %s shape, %d parameters x %d positions = %.3g parameter-positions, %.0fx the largest"
                + " measured; an extrapolation of a linear fit, not a measurement%n", PROJECTED_PRESET, projectedParams, PROJECTED_SEQ,
                projectedX, projectedX / max(x));
        if (json != null) {
            AtomicFile.write(json, json(quick, models, params, rows, timeFit, bytesFit, projectedParams, projectedSeconds)
                    .getBytes(StandardCharsets.UTF_8));
            out.println("json: " + json);
        }
        out.printf(Locale.ROOT, "projected prove seconds for 15M parameters at sequence %d: %.1f%n", PROJECTED_SEQ, projectedSeconds);
    }

    /**
     * The proof-size model's features: each commitment's opening grows like the square root of its
     * polynomial (one row combination and the queried columns), the sumcheck and GKR messages like
     * the number of variables.
     */
    static double[] bytesFeatures(long witnessPolynomial, long modelPolynomial) {
        return new double[] {1, Math.sqrt(witnessPolynomial) + Math.sqrt(modelPolynomial),
                Math.log((double) witnessPolynomial + modelPolynomial) / Math.log(2)};
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m;
    }

    private static String json(boolean quick, List<Model> models, List<Long> params, List<E2eBench.Row> rows, Fit timeFit, Fit bytesFit, long projectedParams, double projectedSeconds) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("benchmark", "scaling");
        o.put("quick", quick);
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("java", System.getProperty("java.version"));
        List<Map<String, Object>> rs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            E2eBench.Row r = rows.get(i);
            LlamaConfig c = models.get(i).config();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", r.model());
            row.put("dim", c.dim());
            row.put("hidden_dim", c.hiddenDim());
            row.put("layers", c.layers());
            row.put("heads", c.heads());
            row.put("kv_heads", c.kvHeads());
            row.put("vocab", c.vocab());
            row.put("max_seq", c.maxSeq());
            row.put("parameters", params.get(i));
            row.put("seq", r.seq());
            row.put("infer_ms", r.inferMs());
            row.put("prove_ms", r.proveMs());
            row.put("verify_ms", r.verifyMs());
            row.put("proof_bytes", r.bytes());
            row.put("ratio", r.proveMs() / r.inferMs());
            row.put("witness_elements", r.witnessElements());
            row.put("witness_polynomial", r.witnessPolynomial());
            row.put("model_polynomial", r.modelPolynomial());
            row.put("committed_elements", r.witnessPolynomial() + r.modelPolynomial());
            row.put("sections", r.sections());
            row.put("timings_ms", r.timings());
            rs.add(row);
        }
        o.put("rows", rs);
        Map<String, Object> fits = new LinkedHashMap<>();
        fits.put("prove_ms", timeFit.toJson("prove_ms = a_ms + b_ms_per_parameter_position * parameters * seq"));
        fits.put("proof_bytes", bytesFit.toJson("proof_bytes = c0 + c1_sqrt * (sqrt(witness_polynomial) + sqrt(model_polynomial))"
                + " + c2_log2 * log2(committed_elements)"));
        o.put("fits", fits);
        Map<String, Object> proj = new LinkedHashMap<>();
        proj.put("preset", PROJECTED_PRESET);
        proj.put("parameters", projectedParams);
        proj.put("seq", PROJECTED_SEQ);
        proj.put("prove_seconds", projectedSeconds);
        proj.put("note", "extrapolation of the prove_ms fit far beyond the measured sizes, not a measurement");
        o.put("projection", proj);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "cannot write the scaling JSON: " + e.getMessage(), e);
        }
    }

    /** An ordinary least-squares fit y ~ sum coef[j] x[j], with its coefficient of determination. */
    static final class Fit {
        private final String[] names;
        private final double[] coef;
        private final double r2;

        private Fit(String[] names, double[] coef, double r2) {
            this.names = names;
            this.coef = coef;
            this.r2 = r2;
        }

        double[] coef() {
            return coef.clone();
        }

        double r2() {
            return r2;
        }

        double predict(double... f) {
            double y = 0;
            for (int j = 0; j < f.length; j++) {
                y += coef[j] * f[j];
            }
            return y;
        }

        Map<String, Object> toJson(String formula) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("formula", formula);
            Map<String, Double> c = new LinkedHashMap<>();
            for (int j = 0; j < names.length; j++) {
                c.put(names[j], coef[j]);
            }
            o.put("coefficients", c);
            o.put("r2", r2);
            return o;
        }

        /** {@code x[i]} is point i's feature vector (a 1 for the intercept included). */
        static Fit leastSquares(String[] names, double[][] x, double[] y) {
            int k = names.length;
            if (x.length < k) {
                throw new ZksparkException(ZksparkException.Code.INTERNAL, "a fit with " + k + " coefficients needs " + k + " points");
            }
            // normal equations (X^T X) c = X^T y, solved by Gaussian elimination with partial pivoting;
            // columns are scaled to unit maximum first so that features of very different size stay well conditioned
            double[][] rowsX = x;
            double[] scale = new double[k];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < k; j++) {
                    scale[j] = Math.max(scale[j], Math.abs(rowsX[i][j]));
                }
            }
            double[][] a = new double[k][k + 1];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < k; j++) {
                    for (int l = 0; l < k; l++) {
                        a[j][l] += rowsX[i][j] / scale[j] * rowsX[i][l] / scale[l];
                    }
                    a[j][k] += rowsX[i][j] / scale[j] * y[i];
                }
            }
            for (int col = 0; col < k; col++) {
                int p = col;
                for (int r = col + 1; r < k; r++) {
                    if (Math.abs(a[r][col]) > Math.abs(a[p][col])) {
                        p = r;
                    }
                }
                double[] tmp = a[col];
                a[col] = a[p];
                a[p] = tmp;
                if (Math.abs(a[col][col]) < 1e-12) {
                    throw new ZksparkException(ZksparkException.Code.INTERNAL, "singular fit (the points do not determine "
                            + String.join(", ", names) + ")");
                }
                for (int r = 0; r < k; r++) {
                    if (r != col) {
                        double m = a[r][col] / a[col][col];
                        for (int l = col; l <= k; l++) {
                            a[r][l] -= m * a[col][l];
                        }
                    }
                }
            }
            double[] c = new double[k];
            for (int j = 0; j < k; j++) {
                c[j] = a[j][k] / a[j][j] / scale[j];
            }
            double mean = 0;
            for (double v : y) {
                mean += v / y.length;
            }
            double ssRes = 0, ssTot = 0;
            for (int i = 0; i < x.length; i++) {
                double pred = 0;
                for (int j = 0; j < k; j++) {
                    pred += c[j] * rowsX[i][j];
                }
                ssRes += (y[i] - pred) * (y[i] - pred);
                ssTot += (y[i] - mean) * (y[i] - mean);
            }
            return new Fit(names, c, ssTot == 0 ? 1 : 1 - ssRes / ssTot);
        }
    }
}
