package dev.zkspark.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.cli.MainTestAccess;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.pcs.PcsParams;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.spark.Sessions;
import dev.zkspark.spark.io.ChunkTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * commit-job (issue 7): executors encode row bands and the driver assembles the root from their
 * digests; the commitment equals commit-model's for any number of bands, and the chunk table holds
 * exactly the committed codewords (its digests give the same root).
 */
class CommitModelJobTest {
    static final byte[] KEY = "commit-job-test-key-0123456789ab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void theCommitmentDoesNotDependOnTheBandsAndTheChunkTableHoldsTheCommittedRows(@TempDir Path dir) throws Exception {
        QuantizedModel qm = QuantizedModel.quantize(Bundled.model(), QuantParams.DEFAULT).forProof();
        byte[] direct = ModelCommitment.commit(qm, KEY, ModelCommitment.ZK_BUDGET).commitment().toBytes();
        SparkSession spark = Sessions.create("commit-job-test", "local[2]");
        try {
            for (int partitions : new int[] {1, 3, 8}) {
                String chunks = partitions == 3 ? dir.resolve("chunks3").toString() : null;
                CommitModelJob.Result r = CommitModelJob.run(spark, null, 0, KEY, ModelCommitment.ZK_BUDGET, partitions, chunks);
                assertArrayEquals(direct, r.commitment().toBytes(), partitions + " partitions");
                assertEquals(Math.min(partitions, r.commitment().commitment().params().rows() / PcsParams.CHUNK_ROWS), r.bands());
                if (chunks != null) {
                    checkChunkTable(spark, chunks, r);
                    checkOpeningStateFromTheTable(chunks, r, qm);
                }
            }
            // negative twin: another key gives another root (the digests are of the keyed padding)
            byte[] otherKey = KEY.clone();
            otherKey[0] ^= 1;
            CommitModelJob.Result other = CommitModelJob.run(spark, null, 0, otherKey, ModelCommitment.ZK_BUDGET, 2, null);
            assertFalse(java.util.Arrays.equals(direct, other.commitment().toBytes()));
        } finally {
            spark.stop();
        }
    }

    /** The table's rows, re-hashed, give the commitment's root; a changed codeword does not. */
    static void checkChunkTable(SparkSession spark, String chunks, CommitModelJob.Result r) throws Exception {
        PcsParams p = r.commitment().commitment().params();
        List<Row> rows = spark.read().parquet(chunks + "/chunks").collectAsList();
        assertEquals(p.rows() / PcsParams.CHUNK_ROWS, rows.size()); // one table row per chunk of 32 rows
        assertTrue(Files.exists(Path.of(chunks, "chunks.json")));
        List<TensorCodePcs.BandDigests> digests = new ArrayList<>();
        List<TensorCodePcs.BandDigests> tampered = new ArrayList<>();
        int total = 0;
        for (Row row : rows) {
            ChunkTable.Band b = new ChunkTable.Band(row.getInt(0), row.getInt(1), row.getInt(2), row.getInt(3), (byte[]) row.get(4));
            long[][] cw = ChunkTable.codewords(b);
            digests.add(TensorCodePcs.digestBand(p, b.firstRow(), cw));
            if (tampered.isEmpty()) {
                cw[0][5] = dev.zkspark.field.Goldilocks.add(cw[0][5], 1);
            }
            tampered.add(TensorCodePcs.digestBand(p, b.firstRow(), cw));
            total += b.rows();
        }
        assertEquals(p.rows(), total);
        var regions = r.commitment().commitment().regions();
        byte[] root = r.commitment().commitment().root();
        // the seed the job hashed with is derived from the key inside ModelCommitment: assemble through it
        ModelCommitment fromTable = r.commitment().assemble(digests, KEY);
        assertArrayEquals(root, fromTable.commitment().root());
        assertFalse(java.util.Arrays.equals(root, r.commitment().assemble(tampered, KEY).commitment().root()));
        assertEquals(regions, fromTable.commitment().regions());
    }

    /**
     * prove-job --chunks: the prover state read back from the table (no Spark) is commit-model's;
     * rows of another model, a changed codeword, a table of another commitment and a missing table
     * are each refused.
     */
    static void checkOpeningStateFromTheTable(String chunks, CommitModelJob.Result r, QuantizedModel qm) throws Exception {
        byte[] digest = r.commitment().digest();
        ChunkTable.Rows rows = ChunkTable.read(chunks, digest);
        assertEquals(r.commitment().commitment().params().rows() / PcsParams.CHUNK_ROWS, rows.codewords().size());
        ModelCommitment.Made made = ModelCommitment.fromStoredRows(qm, KEY, ModelCommitment.ZK_BUDGET, rows.firstRows(), rows.codewords());
        assertArrayEquals(r.commitment().toBytes(), made.commitment().toBytes());
        // another model (8-bit weights: same shape, other entries) is refused at the re-encoded rows
        QuantizedModel other = QuantizedModel.quantize(Bundled.model(), QuantParams.DEFAULT.withWeightBits(8)).forProof();
        assertThrows(IllegalArgumentException.class,
                () -> ModelCommitment.fromStoredRows(other, KEY, ModelCommitment.ZK_BUDGET, rows.firstRows(), rows.codewords()));
        // a changed entry outside the re-encoded rows changes the root, which the caller compares
        long[][] band = rows.codewords().get(0);
        band[1][7] = dev.zkspark.field.Goldilocks.add(band[1][7], 1);
        ModelCommitment.Made changed = ModelCommitment.fromStoredRows(qm, KEY, ModelCommitment.ZK_BUDGET, rows.firstRows(), rows.codewords());
        assertFalse(java.util.Arrays.equals(digest, changed.commitment().digest()));
        band[0][7] = dev.zkspark.field.Goldilocks.add(band[0][7], 1);
        assertThrows(IllegalArgumentException.class,
                () -> ModelCommitment.fromStoredRows(qm, KEY, ModelCommitment.ZK_BUDGET, rows.firstRows(), rows.codewords()));
        byte[] otherDigest = digest.clone();
        otherDigest[0] ^= 1;
        ZksparkException e = assertThrows(ZksparkException.class, () -> ChunkTable.read(chunks, otherDigest));
        assertEquals(ZksparkException.Code.BAD_INPUT, e.code());
        assertTrue(e.getMessage().contains("is not of this commitment's model"), e.getMessage());
        e = assertThrows(ZksparkException.class, () -> ChunkTable.read(chunks + "-missing", digest));
        assertEquals(ZksparkException.Code.BAD_INPUT, e.code());
    }

    /**
     * The CLI end to end: prove-job with --chunks writes the same proof bytes as without (same seed),
     * and refuses a chunk table of another commitment on each row with its reason.
     */
    @Test
    void proveJobTakesTheCodewordsFromTheChunkTableAndTheProofsAreTheSame(@TempDir Path dir) throws Exception {
        Path commit = dir.resolve("m.commit");
        Path chunks = dir.resolve("chunks");
        assertEquals(0, MainTestAccess.run("commit-job", "--master", "local[2]", "--partitions", "2", "--out", commit.toString(), "--chunks",
                chunks.toString()));
        Path requests = dir.resolve("requests.jsonl");
        Files.writeString(requests, "{\"id\": \"a\", \"prompt\": \"Once upon a time\", \"max_new_tokens\": 2}\n");
        String seed = "00112233445566778899aabbccddeeff";
        String[] job = {"prove-job", "--master", "local[2]", "--commitment", commit.toString(), "--requests", requests.toString(), "--seed",
            seed, "--strict"};
        Path plain = dir.resolve("encoded");
        assertEquals(0, MainTestAccess.run(concat(job, "--out", plain.toString())));
        Path fromTable = dir.resolve("from-table");
        assertEquals(0, MainTestAccess.run(concat(job, "--out", fromTable.toString(), "--chunks", chunks.toString())));
        assertArrayEquals(Files.readAllBytes(plain.resolve("files/a.proof")), Files.readAllBytes(fromTable.resolve("files/a.proof")));

        // negative twin: the table of another commitment (another key) is refused, with its reason
        Path other = dir.resolve("other.commit");
        Path otherChunks = dir.resolve("other-chunks");
        assertEquals(0, MainTestAccess.run("commit-job", "--master", "local[2]", "--out", other.toString(), "--chunks", otherChunks.toString()));
        Path refused = dir.resolve("refused");
        assertEquals(2, MainTestAccess.run(concat(job, "--out", refused.toString(), "--chunks", otherChunks.toString())));
        String summary = Files.readString(refused.resolve("summary.json"));
        assertTrue(summary.contains("is not of this commitment's model"), summary);
        assertEquals(2, MainTestAccess.run(concat(job, "--out", dir.resolve("none").toString(), "--chunks", dir.resolve("nowhere").toString())));
        assertFalse(Files.exists(dir.resolve("none")));
    }

    private static String[] concat(String[] a, String... b) {
        return ProveJobTest.concat(a, b);
    }

    /** A band task whose executor runs out of heap fails the job with the reason; the JVM survives and nothing is written. */
    @Test
    void aBandThatRunsOutOfMemoryFailsTheJobWithItsReason(@TempDir Path dir) {
        SparkSession spark = Sessions.create("commit-job-oom", "local[2]", java.util.Map.of(ProveRequests.OUT_OF_MEMORY_FOR, "band-1"));
        try {
            String chunks = dir.resolve("chunks").toString();
            Exception e = assertThrows(Exception.class,
                    () -> CommitModelJob.run(spark, null, 0, KEY, ModelCommitment.ZK_BUDGET, 4, chunks));
            assertTrue(String.valueOf(e.getMessage()).contains("out of memory on the executor (JVM heap "), e.getMessage());
            assertFalse(Files.exists(dir.resolve("chunks")));
            // the same session still works: Spark did not end the (local-mode) executor
            assertEquals(1L, spark.range(1).count());
        } finally {
            spark.stop();
        }
    }

    @Test
    void theCommandWritesCommitModelsBytesAndRefusesBadInputOnOneLine(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.commit");
        assertEquals(0, MainTestAccess.run("commit-model", "--out", a.toString()));
        Path b = dir.resolve("b.commit");
        assertEquals(0, MainTestAccess.run("commit-job", "--master", "local[2]", "--partitions", "4", "--out", b.toString(), "--key",
                dir.resolve("a.commit.key").toString()));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        // unusable input: exit 2 and nothing written
        Path c = dir.resolve("c.commit");
        assertEquals(2, MainTestAccess.run("commit-job", "--master", "local[1]", "--model", dir.resolve("none.bin").toString(), "--out",
                c.toString()));
        assertFalse(Files.exists(c));
        Files.createDirectories(dir.resolve("taken"));
        assertEquals(2, MainTestAccess.run("commit-job", "--master", "local[1]", "--out", c.toString(), "--chunks",
                dir.resolve("taken").toString()));
        assertFalse(Files.exists(c));
        assertEquals(2, MainTestAccess.run("commit-job", "--out", c.toString(), "--zk-budget", "0"));
    }
}
