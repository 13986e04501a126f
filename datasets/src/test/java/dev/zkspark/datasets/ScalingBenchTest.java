package dev.zkspark.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkspark.bench.Benchmarks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench scaling --quick} (about 35 s): registered, writes its JSON where the system property
 * says, one row per (model, sequence) with positive figures, fits that reproduce the projection, and
 * ends with the projection line. No timing is asserted beyond being positive.
 */
class ScalingBenchTest {
    @Test
    void quickRunWritesOneRowPerPointAndEndsWithTheProjection(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/scaling.json");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        String before = System.getProperty(ScalingBench.JSON_PROPERTY);
        System.setProperty(ScalingBench.JSON_PROPERTY, json.toString());
        try {
            Benchmarks.byName("scaling").orElseThrow().run(new PrintStream(buf, true, StandardCharsets.UTF_8), true);
        } finally {
            if (before == null) {
                System.clearProperty(ScalingBench.JSON_PROPERTY);
            } else {
                System.setProperty(ScalingBench.JSON_PROPERTY, before);
            }
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("projected prove seconds for 15M parameters at sequence 128: [0-9]+\\.[0-9]"), out);
        assertTrue(out.contains("json: " + json), out);
        assertFalse(Files.exists(json.resolveSibling("scaling.json.tmp")), "no temporary file is left");

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertEquals("scaling", root.get("benchmark").asText());
        assertTrue(root.get("quick").asBoolean());
        JsonNode rows = root.get("rows");
        int[] dims = ScalingBench.dims(true);
        int[] seqs = ScalingBench.seqs(true);
        assertEquals(dims.length * seqs.length, rows.size(), out);
        Set<String> points = new HashSet<>();
        for (JsonNode r : rows) {
            assertTrue(points.add(r.get("model").asText() + "@" + r.get("seq").asInt()), "one row per (model, seq): " + r);
            for (String f : new String[] {"parameters", "seq", "infer_ms", "prove_ms", "verify_ms", "proof_bytes", "ratio",
                    "witness_elements", "witness_polynomial", "model_polynomial", "committed_elements"}) {
                assertTrue(r.get(f).isNumber() && r.get(f).asDouble() > 0, f + " in " + r);
            }
            assertEquals(ScalingBench.model(r.get("dim").asInt()).config().parameterCount(), r.get("parameters").asLong());
            long sectionSum = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = r.get("sections").fields(); it.hasNext(); ) {
                long b = it.next().getValue().asLong();
                assertTrue(b > 0, "section bytes " + r);
                sectionSum += b;
            }
            // sections plus the container (header, statement, section names) make the proof
            assertTrue(sectionSum < r.get("proof_bytes").asLong(), r.toString());
            assertTrue(sectionSum > 0.95 * r.get("proof_bytes").asLong(), r.toString());
            assertTrue(r.get("sections").has("opening/witness") && r.get("sections").has("opening/model"), r.toString());
            assertTrue(r.get("timings_ms").has("witness commitment") && r.get("timings_ms").size() >= 5, r.toString());
        }
        for (int d : dims) {
            for (int s : seqs) {
                assertTrue(points.contains(ScalingBench.model(d).label() + "@" + s), d + "@" + s + " in " + points);
            }
        }

        // the projection is the prove-time fit evaluated at 15M x 128, and the printed line shows it
        JsonNode c = root.get("fits").get("prove_ms").get("coefficients");
        JsonNode proj = root.get("projection");
        assertEquals(15_191_712L, proj.get("parameters").asLong());
        assertEquals(128, proj.get("seq").asInt());
        double expected = (c.get("a_ms").asDouble() + c.get("b_ms_per_parameter_position").asDouble() * 15_191_712.0 * 128) / 1000;
        assertEquals(expected, proj.get("prove_seconds").asDouble(), 1e-9 * Math.abs(expected));
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f", expected), last.substring(last.lastIndexOf(' ') + 1));
    }

    @Test
    void leastSquaresRecoversAnExactLine() {
        double[][] x = {{1, 1}, {1, 2}, {1, 3}, {1, 10}};
        double[] y = {5, 7, 9, 23};
        ScalingBench.Fit f = ScalingBench.Fit.leastSquares(new String[] {"a", "b"}, x, y);
        assertEquals(3, f.coef()[0], 1e-9);
        assertEquals(2, f.coef()[1], 1e-9);
        assertEquals(1, f.r2(), 1e-12);
        assertEquals(203, f.predict(1, 100), 1e-9);
        // features of very different magnitude (square roots and logs of millions) stay well conditioned
        long[][] wm = {{1 << 19, 1 << 16}, {1 << 20, 1 << 16}, {1 << 19, 1 << 18}, {1 << 21, 1 << 20}, {1 << 22, 1 << 18}};
        double[][] features = new double[wm.length][];
        double[] b = new double[wm.length];
        for (int i = 0; i < wm.length; i++) {
            features[i] = ScalingBench.bytesFeatures(wm[i][0], wm[i][1]);
            b[i] = 260_000 + 620 * features[i][1] + 900 * features[i][2];
        }
        ScalingBench.Fit g = ScalingBench.Fit.leastSquares(new String[] {"c0", "c1", "c2"}, features, b);
        assertEquals(260_000, g.coef()[0], 1e-3);
        assertEquals(620, g.coef()[1], 1e-6);
        assertEquals(900, g.coef()[2], 1e-4);
    }
}
