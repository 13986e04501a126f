package dev.zkspark.spark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.Sessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestsAndProofsTableTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Sessions.create("zkspark-io-test", "local[2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Map<String, ParsedRequest> parseAll(Dataset<Row> df) {
        Map<String, ParsedRequest> m = new HashMap<>();
        int anon = 0;
        for (Row r : df.collectAsList()) {
            ParsedRequest p = RequestsTable.parse(r);
            m.put(p.id() == null ? "anon" + anon++ : p.id(), p);
        }
        return m;
    }

    @Test
    void jsonLinesWithMalformedRowsYieldOneReasonPerRow(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("requests.jsonl");
        Files.writeString(f, String.join("\n",
                "{\"id\": \"a1\", \"prompt\": \"Once upon a time\", \"max_new_tokens\": 8}",
                "{\"id\": \"a2\", \"prompt_tokens\": [1, 5, 9], \"max_new_tokens\": 4}",
                "{\"id\": \"b1\", \"prompt\": \"x\", \"prompt_tokens\": [1], \"max_new_tokens\": 4}",
                "{\"id\": \"b2\", \"max_new_tokens\": 4}",
                "{\"id\": \"b3\", \"prompt\": \"\", \"max_new_tokens\": 4}",
                "{\"id\": \"b4\", \"prompt\": \"hi\", \"max_new_tokens\": 0}",
                "{\"id\": \"b5\", \"prompt_tokens\": [1, -3], \"max_new_tokens\": 2}",
                "{\"id\": \"../etc\", \"prompt\": \"hi\", \"max_new_tokens\": 2}",
                "{\"id\": \"b7\", \"prompt\": \"hi\"}",
                "this is not json",
                "{\"prompt\": \"no id\", \"max_new_tokens\": 2}") + "\n", StandardCharsets.UTF_8);
        Map<String, ParsedRequest> m = parseAll(RequestsTable.read(spark, f.toString()));
        assertTrue(m.get("a1").isOk());
        assertEquals("Once upon a time", m.get("a1").request().promptText());
        assertEquals(8, m.get("a1").request().maxNewTokens());
        assertArrayEquals(new int[] {1, 5, 9}, m.get("a2").request().promptTokens());
        assertTrue(m.get("b1").error().contains("not both"));
        assertTrue(m.get("b2").error().contains("missing prompt"));
        assertTrue(m.get("b3").error().contains("empty prompt"));
        assertTrue(m.get("b4").error().contains("max_new_tokens"));
        assertTrue(m.get("b5").error().contains("prompt_tokens[1]"));
        assertTrue(m.get("../etc").error().contains("id must be"));
        assertTrue(m.get("b7").error().contains("missing max_new_tokens"));
        List<String> anonErrors = m.entrySet().stream().filter(e -> e.getKey().startsWith("anon"))
                .map(e -> e.getValue().error()).sorted().collect(Collectors.toList());
        assertEquals(2, anonErrors.size());
        assertTrue(anonErrors.get(0).startsWith("malformed JSON line"), anonErrors.toString());
        assertEquals("missing id", anonErrors.get(1));
    }

    @Test
    void missingTableAndParquetWithoutColumnsAreBadInput(@TempDir Path dir) {
        ZksparkException e = assertThrows(ZksparkException.class, () -> RequestsTable.read(spark, dir.resolve("nope.jsonl").toString()));
        assertEquals(ZksparkException.Code.BAD_INPUT, e.code());
        String pq = dir.resolve("wrong.parquet").toString();
        spark.range(3).toDF("x").write().parquet(pq);
        ZksparkException e2 = assertThrows(ZksparkException.class, () -> RequestsTable.read(spark, pq));
        assertTrue(e2.getMessage().contains("lacks column"), e2.getMessage());
    }

    @Test
    void proofsTableIsWrittenAtomicallyWithFilesAndSummaries(@TempDir Path dir) throws Exception {
        String out = dir.resolve("run1").toString();
        ProofsTable.checkWritable(spark, out);
        List<ProofRecord> recs = List.of(
                new ProofRecord("r1", ProofRecord.PROVED, null, new int[] {1, 2}, new int[] {7}, "seven", new byte[] {1}, new byte[] {9, 8, 7}, 1.5, 20),
                ProofRecord.failed("r2", "prompt longer than the model's maximum sequence (300 > 256)"));
        List<ProofsTable.Summary> rows = ProofsTable.write(spark, JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(recs, 2), out);
        assertEquals(2, rows.size());
        assertArrayEquals(new byte[] {9, 8, 7}, Files.readAllBytes(dir.resolve("run1/files/r1.proof")));
        assertFalse(Files.exists(dir.resolve("run1/files/r2.proof")));
        String json = Files.readString(dir.resolve("run1/summary.json"));
        assertTrue(json.contains("\"id\": \"r2\", \"status\": \"failed\", \"error\": \"prompt longer"), json);
        assertTrue(json.contains("\"proof_bytes\": 3"), json);
        assertTrue(Files.readString(dir.resolve("run1/summary.csv")).startsWith("id,status,error"));
        List<Row> back = spark.read().parquet(dir.resolve("run1/proofs").toString()).orderBy("id").collectAsList();
        assertEquals("proved", back.get(0).getString(back.get(0).fieldIndex("status")));
        assertArrayEquals(new byte[] {9, 8, 7}, (byte[]) back.get(0).get(back.get(0).fieldIndex("proof")));
        assertNull(back.get(1).get(back.get(1).fieldIndex("proof")));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("run1"), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()), "no staging left behind");
        }
        ZksparkException again = assertThrows(ZksparkException.class, () -> ProofsTable.checkWritable(spark, out));
        assertTrue(again.getMessage().contains("already exists"));
    }

    @Test
    void unwritableOutputIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path ro = dir.resolve("ro");
        Files.createDirectory(ro);
        assertTrue(ro.toFile().setWritable(false, false));
        try {
            if (Files.isWritable(ro)) {
                // running as root: permissions are not enforced, so use a path under a regular file instead
                Path file = dir.resolve("plain-file");
                Files.writeString(file, "x");
                assertThrows(ZksparkException.class, () -> ProofsTable.checkWritable(spark, file.resolve("out").toString()));
            } else {
                assertThrows(ZksparkException.class, () -> ProofsTable.checkWritable(spark, ro.resolve("out").toString()));
            }
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }
}
