package dev.zkspark.spark.jobs;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.format.ModelFiles;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.QuantizedModel;
import dev.zkspark.pcs.PcsParams;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.spark.io.ChunkTable;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import scala.Tuple2;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/zkspark commit-job} (issue 7): the model commitment computed on Spark executors. One
 * task computes the public layout (configuration, quantization, regions, code parameters); then
 * each of up to {@code partitions} tasks quantizes the model and encodes one band of rows of the
 * committed polynomial (whole chunks of 32 rows) into column-chunk digests; the digests are
 * shuffled by column range (a power of two of aligned ranges, at most one per band), each range's
 * task hashes its columns' leaves and returns its Merkle subtree root, and the driver joins the
 * roots ({@link TensorCodePcs#commitmentFromSubtrees}). The driver never loads the checkpoint or
 * holds a weight, and receives 32 bytes per column range: O(partitions), whatever the model's
 * size (invariant 3, tested with a driver heap smaller than the checkpoint). The commitment bytes equal
 * {@code commit-model}'s for the same model, key and budget, whatever the number of bands
 * (TensorCodePcs: the chunking is fixed, so the leaves do not depend on how rows were split); the
 * bands' codewords are optionally written as a chunk table ({@link ChunkTable}).
 */
public final class CommitModelJob {
    private CommitModelJob() {}

    /** What the job made: the commitment, the number of bands and the chunk table's size (0 if none). */
    public record Result(ModelCommitment commitment, int bands, long chunkBytes) {}

    /** An encoded band: the digests for the driver and, for the chunk table, its codewords. */
    record Encoded(TensorCodePcs.BandDigests digests, List<ChunkTable.Band> chunks) implements Serializable {}

    /**
     * @param modelPath a checkpoint every executor can read, or null for the bundled model
     * @param weightBits as commit-model's {@code --weight-bits} (0: the default scale)
     * @param key the secret commitment key (at least 16 bytes)
     * @param chunksOut where to write the chunk table, or null for none
     */
    public static Result run(SparkSession spark, String modelPath, int weightBits, byte[] key, int zkBudget, int partitions,
            String chunksOut) {
        if (key.length < 16) {
            throw ZksparkException.badInput("the commitment key needs at least 16 bytes");
        }
        if (chunksOut != null) {
            ChunkTable.checkWritable(spark, chunksOut);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        byte[] k = key.clone();
        byte[] layoutBytes = jsc.parallelize(List.of(0), 1)
                .map(i -> heapChecked(() -> ModelCommitment.layout(model(modelPath, weightBits), k, zkBudget).toBytes())).collect().get(0);
        ModelCommitment layout = parse(layoutBytes);
        PcsParams p = layout.commitment().params();
        int bands = TensorCodePcs.bandCount(p, Math.max(1, partitions));
        List<Integer> indices = new ArrayList<>(IntStream.range(0, bands).boxed().toList());
        String oomFor = spark.sparkContext().getConf().get(ProveRequests.OUT_OF_MEMORY_FOR, null); // test-only: "band-I"
        JavaRDD<Encoded> encoded = jsc.parallelize(indices, bands).map(i -> {
            TensorCodePcs.Band b = heapChecked(() -> {
                ProveRequests.injectOutOfMemory(oomFor, "band-" + i);
                return ModelCommitment.encodeBand(model(modelPath, weightBits), k, p, i, bands);
            });
            return new Encoded(TensorCodePcs.BandDigests.of(b), chunksOut == null ? List.of() : tableRows(i, b, p));
        }).cache();
        try {
            int ranges = TensorCodePcs.columnRangeCount(p, bands);
            List<Tuple2<Integer, byte[]>> roots = new ArrayList<>(encoded.flatMapToPair(e -> {
                List<Tuple2<Integer, TensorCodePcs.BandDigests>> out = new ArrayList<>(ranges);
                for (int r = 0; r < ranges; r++) {
                    int[] cols = TensorCodePcs.columnRange(p, r, ranges);
                    out.add(new Tuple2<>(r, e.digests().columns(cols[0], cols[0] + cols[1])));
                }
                return out.iterator();
            }).groupByKey(new HashPartitioner(ranges)).map(t -> {
                List<TensorCodePcs.BandDigests> slices = new ArrayList<>();
                t._2().forEach(slices::add);
                return new Tuple2<>(t._1(), parse(layoutBytes).subtreeRoot(slices, t._1(), ranges, k));
            }).collect());
            roots.sort(java.util.Comparator.comparingInt(Tuple2::_1));
            ModelCommitment mc = layout.assembleFromSubtrees(roots.stream().map(Tuple2::_2).toList());
            long chunkBytes = chunksOut == null ? 0
                    : ChunkTable.write(spark, encoded.flatMap(e -> e.chunks().iterator()), chunksOut, HexFormat.of().formatHex(mc.digest()), p.rows());
            return new Result(mc, bands, chunkBytes);
        } finally {
            encoded.unpersist(false);
        }
    }

    private static ModelCommitment parse(byte[] b) {
        try {
            return ModelCommitment.parse(b);
        } catch (MalformedInputException e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "model layout: " + e.getMessage(), e);
        }
    }

    /**
     * A band's rows as chunk-table rows of one 32-row chunk each (one Parquet value stays
     * 256 x code length bytes, however large the bands; readers join them on chunk boundaries).
     */
    private static List<ChunkTable.Band> tableRows(int band, TensorCodePcs.Band b, PcsParams p) {
        long[][] cw = b.codewords();
        int step = Math.min(PcsParams.CHUNK_ROWS, cw.length);
        List<ChunkTable.Band> out = new ArrayList<>();
        for (int from = 0; from < cw.length; from += step) {
            byte[] bytes = new byte[8 * step * p.codeLength()];
            for (int i = 0; i < step; i++) {
                for (int j = 0; j < p.codeLength(); j++) {
                    dev.zkspark.field.Goldilocks.toBytesLE(cw[from + i][j], bytes, 8 * (i * p.codeLength() + j));
                }
            }
            out.add(new ChunkTable.Band(band, b.firstRow() + from, step, p.codeLength(), bytes));
        }
        return out;
    }

    /**
     * Runs an executor's share; a heap too small for it fails the task with the one-line reason
     * instead of letting Spark end the executor (and, in local mode, the job's JVM with exit 52).
     */
    private static <T> T heapChecked(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (OutOfMemoryError e) {
            throw new ZksparkException(ZksparkException.Code.INTERNAL, ProveRequests.outOfMemory());
        }
    }

    /** The quantized, padded model, once per JVM for a given source and weight bits. */
    private static QuantizedModel model(String modelPath, int weightBits) {
        String id = (modelPath == null ? "bundled" : "path:" + modelPath) + "/" + weightBits;
        synchronized (CommitModelJob.class) {
            if (!id.equals(cachedId)) {
                cached = null;
                Checkpoint ck = modelPath == null ? Bundled.model() : ModelFiles.load(Path.of(modelPath));
                cached = QuantizedModel.quantize(ck, QuantParams.DEFAULT.withWeightBits(weightBits)).forProof();
                cachedId = id;
            }
            return cached;
        }
    }

    private static String cachedId;
    private static QuantizedModel cached;
}
