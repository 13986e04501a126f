package dev.zkspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/zkspark accuracy --json FILE}: the rows of the table, for notebooks/accuracy.ipynb. */
class AccuracyJsonTest {
    record Run(int code, String stdout, String out, String err) {}

    /** Runs the CLI; the accuracy table goes to System.out, which is captured here. */
    static Run run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        } finally {
            System.setOut(saved);
        }
        return new Run(code, buf.toString(StandardCharsets.UTF_8), o.toString(), e.toString());
    }

    @Test
    void jsonHoldsEveryRowAndAgreesWithTheTable(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("out/acc.json");
        Run r = run("accuracy", "--max-text-tokens", "300", "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.stdout());

        // stdout is unchanged: it still ends with the two headline lines
        List<String> lines = r.stdout().lines().toList();
        String top1Line = lines.get(lines.size() - 2);
        String deltaLine = lines.get(lines.size() - 1);
        assertTrue(top1Line.matches("top1 agreement: \\d+\\.\\d+%"), r.stdout());
        assertTrue(deltaLine.matches("perplexity delta: -?\\d+\\.\\d+%"), r.stdout());

        // written atomically into a created directory: no temporary file is left beside it
        assertTrue(Files.isRegularFile(json), json.toString());
        try (Stream<Path> s = Files.list(json.getParent())) {
            assertEquals(List.of(json), s.toList());
        }

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("bundled", root.get("model").asText());
        assertTrue(root.get("parameters").asLong() > 0, root.toString());
        assertTrue(root.get("quant_default").asText().startsWith("s="), root.toString());
        assertTrue(r.stdout().contains("default quantization: " + root.get("quant_default").asText() + "\n"), r.stdout());

        JsonNode rows = root.get("rows");
        assertEquals(6, rows.size(), rows.toString());
        List<String> settings = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (JsonNode row : rows) {
            settings.add(row.get("setting").asText());
            data.add(row.get("data").asText());
            assertTrue(row.get("positions").asLong() > 0, row.toString());
            for (String k : new String[] {"top1_percent", "max_abs_err", "mean_abs_err", "ppl_float", "ppl_fixed", "ppl_delta_percent"}) {
                assertTrue(row.get(k).isNumber(), k + " in " + row);
            }
            if (row.get("data").asText().equals("prompts")) {
                assertTrue(row.get("identical_generations").isInt() && row.get("generations").asInt() > 0, row.toString());
                assertTrue(row.get("identical_generations").asInt() <= row.get("generations").asInt(), row.toString());
            } else {
                assertTrue(row.get("identical_generations").isNull() && row.get("generations").isNull(), row.toString());
            }
        }
        assertEquals(List.of("default", "default", "12-bit weights", "12-bit weights", "8-bit weights", "8-bit weights"), settings);
        assertEquals(List.of("prompts", "held-out", "prompts", "held-out", "prompts", "held-out"), data);
        assertEquals(List.of(0, 0, 12, 12, 8, 8), rows.findValuesAsText("weight_bits").stream().map(Integer::parseInt).toList());

        double top1 = root.get("top1_agreement_percent").asDouble();
        double delta = root.get("perplexity_delta_percent").asDouble();
        assertTrue(top1 >= 99, "top-1 agreement " + top1);

        // the headline numbers are the default setting's, exactly as printed
        assertEquals(top1Line, String.format("top1 agreement: %.2f%%", top1));
        assertEquals(deltaLine, String.format("perplexity delta: %.3f%%", delta));
        JsonNode defPrompts = rows.get(0);
        JsonNode defHeld = rows.get(1);
        assertEquals(delta, defHeld.get("ppl_delta_percent").asDouble(), 0.0);
        long pp = defPrompts.get("positions").asLong();
        long hp = defHeld.get("positions").asLong();
        double pooled = (defPrompts.get("top1_percent").asDouble() * pp + defHeld.get("top1_percent").asDouble() * hp) / (pp + hp);
        assertEquals(pooled, top1, 1e-9);

        // and every row matches its line in the table
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String label = i % 2 == 0 ? row.get("setting").asText() : "";
            String same = i % 2 == 0 ? row.get("identical_generations").asInt() + "/" + row.get("generations").asInt() : "";
            String expected = String.format("%-16s %-10s %8.2f %9.4f %9.5f %10.3f %10.3f %8.3f %11s", label, row.get("data").asText(),
                    row.get("top1_percent").asDouble(), row.get("max_abs_err").asDouble(), row.get("mean_abs_err").asDouble(),
                    row.get("ppl_float").asDouble(), row.get("ppl_fixed").asDouble(), row.get("ppl_delta_percent").asDouble(), same);
            assertTrue(lines.contains(expected), "no table line '" + expected + "' in\n" + r.stdout());
        }
    }

    @Test
    void anUnwritableJsonPathIsBadInputOnOneLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("file.txt");
        Files.writeString(file, "a regular file\n");
        Path json = file.resolve("acc.json");
        Run r = run("accuracy", "--max-text-tokens", "300", "--json", json.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("zkspark: ") && r.err().contains(json.toString()), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("a regular file\n", Files.readString(file));
        try (Stream<Path> s = Files.walk(tmp)) {
            assertEquals(List.of(tmp, file), s.toList());
        }
    }
}
