package dev.zkspark.spark.io;

import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.ZksparkException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The committed weight chunks of a distributed model commitment ({@code commit-job}), written
 * atomically: Parquet {@code chunks/} with one row per chunk of 32 encoded rows (schema
 * {@link #SCHEMA}: the band that encoded it, its first row and row count, the code length and the
 * codewords, little-endian field elements row after row) and {@code chunks.json} (the layout and totals). The rows of all bands are
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

    /** One table row: encoded rows [firstRow, firstRow + rows) of band {@code band}, {@code 8 * rows * codeLength} bytes. */
    public record Band(int band, int firstRow, int rows, int codeLength, byte[] codewords) implements Serializable {}

    /** A table's rows as field elements, in row order (whole chunks of 32 rows each). */
    public record Rows(List<Integer> firstRows, List<long[][]> codewords) {}

    /**
     * Reads a chunk table without Spark (an executor preparing an opening cannot start Spark jobs,
     * and the driver must not hold the codewords): {@code chunks.json} must name the model digest
     * {@code modelDigest}, then every band of the Parquet files under {@code chunks/} is decoded.
     * BAD_INPUT with the reason if the table is missing, of another model or malformed.
     */
    public static Rows read(String dir, byte[] modelDigest) {
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem(new Configuration());
            Path meta = new Path(root, "chunks.json");
            if (!fs.exists(meta)) {
                throw ZksparkException.badInput("chunk table " + dir + ": no chunks.json (write one with commit-job --chunks)");
            }
            com.fasterxml.jackson.databind.JsonNode json;
            try (var in = fs.open(meta)) {
                json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            }
            String want = HexFormat.of().formatHex(modelDigest);
            if (json == null || !want.equals(json.path("model_digest").asText())) {
                throw ZksparkException.badInput("chunk table " + dir + " is not of this commitment's model (digest " + want + ")");
            }
            List<Band> bands = new ArrayList<>();
            for (FileStatus f : fs.listStatus(new Path(root, "chunks"))) {
                if (f.getPath().getName().endsWith(".parquet")) {
                    readFile(HadoopInputFile.fromPath(f.getPath(), fs.getConf()), bands);
                }
            }
            bands.sort(Comparator.comparingInt(Band::firstRow));
            List<Integer> first = new ArrayList<>();
            List<long[][]> codewords = new ArrayList<>();
            for (Band b : bands) {
                first.add(b.firstRow());
                codewords.add(codewords(b));
            }
            return new Rows(first, codewords);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ZksparkException z) {
                throw z;
            }
            throw ZksparkException.badInput("chunk table " + dir + ": " + RequestsTable.firstLine(e));
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput("chunk table " + dir + ": " + e.getMessage());
        }
    }

    private static void readFile(InputFile file, List<Band> out) throws IOException {
        try (ParquetReader<Group> r = new GroupReader(file).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                out.add(new Band(g.getInteger("band", 0), g.getInteger("first_row", 0), g.getInteger("rows", 0),
                        g.getInteger("code_length", 0), g.getBinary("codewords", 0).getBytes()));
            }
        }
    }

    /** Parquet's example Group records (the public builder takes an InputFile only through a subclass). */
    private static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(InputFile file) {
            super(file);
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    /** A band's codewords as field elements (its bytes must be exactly rows x code length entries). */
    public static long[][] codewords(Band band) throws MalformedInputException {
        if (band.rows() < 0 || band.codeLength() < 0 || band.codewords().length != 8L * band.rows() * band.codeLength()) {
            throw new MalformedInputException("band " + band.band() + " has " + band.codewords().length + " bytes of codewords for "
                    + band.rows() + " rows of " + band.codeLength());
        }
        ByteSource in = new ByteSource(band.codewords());
        long[][] cw = new long[band.rows()][band.codeLength()];
        for (int i = 0; i < band.rows(); i++) {
            for (int j = 0; j < band.codeLength(); j++) {
                cw[i][j] = in.u64("codeword");
            }
        }
        return cw;
    }

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
                    "{\"model_digest\": %s, \"chunks\": %d, \"rows\": %d, \"codeword_bytes\": %d}%n", Json.quote(modelDigestHex), count,
                    totalRows, bytes));
            return bytes;
        });
    }
}
