package dev.zkspark.spark.io;

import java.io.Serializable;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The committed weight chunks of a distributed model commitment ({@code commit-job}), written
 * atomically: Parquet {@code chunks/} with one row per band of rows (schema {@link #SCHEMA}: the
 * band's first row and row count, the code length and the band's codewords, little-endian field
 * elements row after row) and {@code chunks.json} (the layout and totals). The rows of all bands are
 * exactly the data rows of the model commitment's encoded matrix, so the commitment can be checked
 * (and openings served) from the table without re-encoding.
 */
public final class ChunkTable {
    public static final StructType SCHEMA = new StructType()
            .add("band", DataTypes.IntegerType, false)
            .add("first_row", DataTypes.IntegerType, false)
            .add("rows", DataTypes.IntegerType, false)
            .add("code_length", DataTypes.IntegerType, false)
            .add("codewords", DataTypes.BinaryType, false);

    private ChunkTable() {}

    /** One band: rows [firstRow, firstRow + rows) encoded, {@code 8 * rows * codeLength} bytes. */
    public record Band(int band, int firstRow, int rows, int codeLength, byte[] codewords) implements Serializable {}

    public static void checkWritable(SparkSession spark, String out) {
        ProofsTable.checkWritable(spark, out);
    }

    /** Writes the bands into {@code out} in one rename; returns the bytes of codewords written. */
    public static long write(SparkSession spark, JavaRDD<Band> bands, String out, String modelDigestHex, int totalRows) {
        return AtomicDir.write(spark, out, "chunk table", (fs, staging) -> {
            spark.createDataFrame(bands.map(b -> RowFactory.create(b.band(), b.firstRow(), b.rows(), b.codeLength(), b.codewords())),
                    SCHEMA).write().parquet(new Path(staging, "chunks").toString());
            long bytes = bands.map(b -> (long) b.codewords().length).fold(0L, Long::sum);
            long count = bands.count();
            AtomicDir.writeText(fs, new Path(staging, "chunks.json"), String.format(Locale.ROOT,
                    "{\"model_digest\": %s, \"bands\": %d, \"rows\": %d, \"codeword_bytes\": %d}%n", Json.quote(modelDigestHex), count,
                    totalRows, bytes));
            return bytes;
        });
    }
}
