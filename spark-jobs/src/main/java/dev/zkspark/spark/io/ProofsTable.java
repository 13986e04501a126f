package dev.zkspark.spark.io;

import dev.zkspark.core.ZksparkException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a proofs table atomically: everything goes to a hidden staging directory next to the
 * output, which is renamed into place only when complete, so a failed or killed job leaves no
 * partial output (DESIGN §6). Layout of the output directory:
 * <ul>
 *   <li>{@code proofs/}: Parquet, one row per request (schema {@link #SCHEMA})
 *   <li>{@code summary.json} and {@code summary.csv}: the same rows without the binary columns,
 *       for notebooks (Debian has no pyarrow)
 *   <li>{@code files/<id>.proof}: each proof as a file for the standalone verifier
 * </ul>
 */
public final class ProofsTable {
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true)
            .add("prompt_tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("generated_tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("generated_text", DataTypes.StringType, true)
            .add("statement", DataTypes.BinaryType, true)
            .add("proof", DataTypes.BinaryType, true)
            .add("proof_bytes", DataTypes.LongType, false)
            .add("witness_ms", DataTypes.DoubleType, false)
            .add("prove_ms", DataTypes.DoubleType, false);

    private ProofsTable() {}

    /**
     * Fails (BAD_INPUT) unless {@code out} does not exist yet and its parent is a writable
     * directory. Call before any proving so a bad output path costs nothing.
     */
    public static void checkWritable(SparkSession spark, String out) {
        try {
            Path p = new Path(out);
            FileSystem fs = p.getFileSystem(hadoopConf(spark));
            if (fs.exists(p)) {
                throw ZksparkException.badInput(out + ": output already exists (choose a new directory)");
            }
            Path parent = p.getParent() == null ? new Path(".") : p.getParent();
            if (!fs.exists(parent)) {
                fs.mkdirs(parent);
            }
            Path probe = new Path(parent, ".zkspark-write-probe-" + UUID.randomUUID());
            try (OutputStream o = fs.create(probe, false)) {
                o.write(0);
            }
            fs.delete(probe, false);
        } catch (IOException e) {
            throw ZksparkException.badInput(out + ": output directory is not writable (" + e.getMessage() + ")");
        }
    }

    /** Files computed from the summaries and written inside the same atomic rename (a run manifest, the commitment). */
    @FunctionalInterface
    public interface ExtraFiles {
        java.util.Map<String, byte[]> files(List<Summary> rows);
    }

    /** Writes the records and moves them into {@code out} in one rename. Returns the summaries. */
    public static List<Summary> write(SparkSession spark, JavaRDD<ProofRecord> records, String out) {
        return write(spark, records, out, rows -> java.util.Map.of());
    }

    /** As {@link #write(SparkSession, JavaRDD, String)}, adding {@code extra}'s files. */
    public static List<Summary> write(SparkSession spark, JavaRDD<ProofRecord> records, String out, ExtraFiles extra) {
        JavaRDD<ProofRecord> cached = records.cache();
        try {
            return AtomicDir.write(spark, out, "proofs table", (fs, staging) -> {
                Dataset<Row> df = spark.createDataFrame(cached.map(ProofsTable::toRow), SCHEMA);
                df.write().parquet(new Path(staging, "proofs").toString());
                String filesDir = new Path(staging, "files").toString();
                cached.foreachPartition(it -> {
                    FileSystem pfs = new Path(filesDir).getFileSystem(new Configuration());
                    while (it.hasNext()) {
                        ProofRecord r = it.next();
                        if (r.isProved()) {
                            AtomicDir.writeBytes(pfs, new Path(filesDir, r.id() + ".proof"), r.proof());
                        }
                    }
                });
                List<Summary> rows = new ArrayList<>(cached.map(Summary::of).collect());
                rows.sort((a, b) -> String.valueOf(a.id()).compareTo(String.valueOf(b.id())));
                AtomicDir.writeText(fs, new Path(staging, "summary.json"), summaryJson(rows));
                AtomicDir.writeText(fs, new Path(staging, "summary.csv"), summaryCsv(rows));
                for (java.util.Map.Entry<String, byte[]> f : extra.files(rows).entrySet()) {
                    AtomicDir.writeBytes(fs, new Path(staging, f.getKey()), f.getValue());
                }
                fs.mkdirs(new Path(staging, "files"));
                return rows;
            });
        } finally {
            cached.unpersist(false);
        }
    }

    static Row toRow(ProofRecord r) {
        return RowFactory.create(r.id(), r.status(), r.error(), boxed(r.promptTokens()), boxed(r.generatedTokens()),
                r.generatedText(), r.statement(), r.proof(), r.proofBytes(), r.witnessMs(), r.proveMs());
    }

    /** A proofs-table row without the binary columns (what the driver collects for summaries). */
    public record Summary(String id, String status, String error, int promptTokens, int[] generatedTokens,
            String generatedText, long proofBytes, double witnessMs, double proveMs) implements java.io.Serializable {
        static Summary of(ProofRecord r) {
            return new Summary(r.id(), r.status(), r.error(), r.promptTokens().length, r.generatedTokens(),
                    r.generatedText(), r.proofBytes(), r.witnessMs(), r.proveMs());
        }
    }

    private static scala.collection.immutable.Seq<Integer> boxed(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) {
            l.add(v);
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(l).toList();
    }

    static String summaryJson(List<Summary> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            Summary r = rows.get(i);
            sb.append("  {\"id\": ").append(Json.quote(r.id()))
                    .append(", \"status\": ").append(Json.quote(r.status()))
                    .append(", \"error\": ").append(Json.quote(r.error()))
                    .append(", \"prompt_tokens\": ").append(r.promptTokens())
                    .append(", \"generated_tokens\": ").append(Arrays.toString(r.generatedTokens()))
                    .append(", \"generated_text\": ").append(Json.quote(r.generatedText()))
                    .append(", \"proof_bytes\": ").append(r.proofBytes())
                    .append(String.format(Locale.ROOT, ", \"witness_ms\": %.3f, \"prove_ms\": %.3f}", r.witnessMs(), r.proveMs()))
                    .append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    static String summaryCsv(List<Summary> rows) {
        StringBuilder sb = new StringBuilder("id,status,error,prompt_tokens,generated_tokens,proof_bytes,witness_ms,prove_ms\n");
        for (Summary r : rows) {
            sb.append(Json.csv(r.id())).append(',').append(r.status()).append(',').append(Json.csv(r.error())).append(',')
                    .append(r.promptTokens()).append(',').append(r.generatedTokens().length).append(',')
                    .append(r.proofBytes()).append(',')
                    .append(String.format(Locale.ROOT, "%.3f,%.3f", r.witnessMs(), r.proveMs())).append('\n');
        }
        return sb.toString();
    }

    static Configuration hadoopConf(SparkSession spark) {
        return spark.sparkContext().hadoopConfiguration();
    }

}
