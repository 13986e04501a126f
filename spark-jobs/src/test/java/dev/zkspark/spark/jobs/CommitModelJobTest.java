package dev.zkspark.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.cli.MainTestAccess;
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
        assertEquals(r.bands(), rows.size());
        assertTrue(Files.exists(Path.of(chunks, "chunks.json")));
        List<TensorCodePcs.BandDigests> digests = new ArrayList<>();
        List<TensorCodePcs.BandDigests> tampered = new ArrayList<>();
        int total = 0;
        for (Row row : rows) {
            ChunkTable.Band b = new ChunkTable.Band(row.getInt(0), row.getInt(1), row.getInt(2), row.getInt(3), (byte[]) row.get(4));
            long[][] cw = CommitModelJob.codewords(b);
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
