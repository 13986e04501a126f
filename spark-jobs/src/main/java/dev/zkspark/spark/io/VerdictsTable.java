package dev.zkspark.spark.io;

import dev.zkspark.core.ZksparkException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The verify job's output, written atomically like a proofs table: Parquet {@code verdicts/} (one
 * row per proofs-table row, schema {@link #SCHEMA}) and {@code verdicts.json}/{@code verdicts.csv}
 * for notebooks.
 */
public final class VerdictsTable {
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, true)
            .add("verdict", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true)
            .add("proof_bytes", DataTypes.LongType, false)
            .add("verify_ms", DataTypes.DoubleType, false);

    private VerdictsTable() {}

    /** One verdict: accepted, rejected (with the verifier's reason) or not-proved (with the prover's error). */
    public record Row(String id, String verdict, String reason, long proofBytes, double verifyMs) implements Serializable {}

    public static void checkWritable(SparkSession spark, String out) {
        ProofsTable.checkWritable(spark, out);
    }

    /** A proofs table written by prove-job or the pipeline: its directory or its {@code proofs/} Parquet. */
    public static Dataset<org.apache.spark.sql.Row> readProofs(SparkSession spark, String dir) {
        String parquet = dir;
        try {
            Path p = new Path(dir);
            var fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw ZksparkException.badInput(dir + ": no such proofs table");
            }
            if (fs.exists(new Path(p, "proofs"))) {
                parquet = new Path(p, "proofs").toString();
            }
        } catch (java.io.IOException e) {
            throw ZksparkException.badInput(dir + ": cannot read (" + e.getMessage() + ")");
        }
        Dataset<org.apache.spark.sql.Row> df;
        try {
            df = spark.read().parquet(parquet);
        } catch (Exception e) {
            throw ZksparkException.badInput(dir + ": not a readable proofs table (" + RequestsTable.firstLine(e) + ")");
        }
        List<String> missing = new ArrayList<>();
        for (String c : new String[] {"id", "status", "error", "prompt_tokens", "generated_tokens", "statement", "proof"}) {
            if (!Arrays.asList(df.columns()).contains(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw ZksparkException.badInput(dir + ": not a proofs table (no column " + String.join(", ", missing) + ")");
        }
        return df;
    }

    /** Writes the verdicts into {@code out} in one rename and returns them sorted by id. */
    public static List<Row> write(SparkSession spark, JavaRDD<Row> verdicts, String out) {
        JavaRDD<Row> cached = verdicts.cache();
        try {
            return AtomicDir.write(spark, out, "verdicts table", (fs, staging) -> {
                spark.createDataFrame(cached.map(r -> RowFactory.create(r.id(), r.verdict(), r.reason(), r.proofBytes(), r.verifyMs())),
                        SCHEMA).write().parquet(new Path(staging, "verdicts").toString());
                List<Row> rows = new ArrayList<>(cached.collect());
                rows.sort((a, b) -> String.valueOf(a.id()).compareTo(String.valueOf(b.id())));
                StringBuilder json = new StringBuilder("[\n");
                StringBuilder csv = new StringBuilder("id,verdict,reason,proof_bytes,verify_ms\n");
                for (int i = 0; i < rows.size(); i++) {
                    Row r = rows.get(i);
                    json.append("  {\"id\": ").append(Json.quote(r.id())).append(", \"verdict\": ").append(Json.quote(r.verdict()))
                            .append(", \"reason\": ").append(Json.quote(r.reason())).append(", \"proof_bytes\": ").append(r.proofBytes())
                            .append(String.format(Locale.ROOT, ", \"verify_ms\": %.3f}", r.verifyMs()))
                            .append(i + 1 < rows.size() ? ",\n" : "\n");
                    csv.append(Json.csv(r.id())).append(',').append(r.verdict()).append(',').append(Json.csv(r.reason())).append(',')
                            .append(r.proofBytes()).append(',').append(String.format(Locale.ROOT, "%.3f", r.verifyMs())).append('\n');
                }
                AtomicDir.writeText(fs, new Path(staging, "verdicts.json"), json.append("]\n").toString());
                AtomicDir.writeText(fs, new Path(staging, "verdicts.csv"), csv.toString());
                return rows;
            });
        } finally {
            cached.unpersist(false);
        }
    }
}
