package dev.zkspark.spark.jobs;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.io.Json;
import dev.zkspark.spark.io.ProofsTable;
import dev.zkspark.spark.io.RequestsTable;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The scheduled pipeline (issue 8): proves the requests of a date-partitioned input table
 * ({@code INPUT/date=YYYY-MM-DD/...}, JSON lines or Parquet) that have no proof yet.
 *
 * <p>Each run writes {@code OUTPUT/runs/RUN_ID/} (a proofs table plus {@code manifest.json}) through
 * one atomic rename, so a killed run leaves no partial output, only a hidden staging directory that
 * the next run removes. "No proof yet" is an anti-join on {@code id} against every completed run's
 * proofs table: re-running proves nothing twice, and a run after a killed one proves what the
 * killed one did not finish. Rows that failed validation are not retried unless asked
 * ({@code retryFailed}): their reason is in the run that saw them. Request ids must be unique
 * across dates. One pipeline at a time per output directory.
 */
public final class Pipeline {
    private Pipeline() {}

    /** What a run does. {@code dates} empty means every date partition. */
    public record Options(String input, String output, String runId, List<String> dates, int partitions, boolean retryFailed) {}

    /** The outcome of a run (also written as manifest.json). */
    public record Manifest(String runId, String runDir, long inputRows, long alreadyDone, long proved, long failed,
            List<String[]> failures, double seconds) {}

    public static String defaultRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC).format(Instant.now());
    }

    public static Manifest run(SparkSession spark, Options o, RequestProver prover) {
        return run(spark, o, prover, null);
    }

    /**
     * As above; with {@code commitment} (the public model commitment the prover proves against),
     * each run directory also gets {@code model.commit}, so it is all a verifier needs.
     */
    public static Manifest run(SparkSession spark, Options o, RequestProver prover, byte[] commitment) {
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        if (!o.runId().matches("[A-Za-z0-9._-]{1,64}")) {
            throw ZksparkException.badInput("run id must be 1-64 characters of [A-Za-z0-9._-]: " + o.runId());
        }
        Path runs = new Path(o.output(), "runs");
        String runDir = new Path(runs, o.runId()).toString();
        ProofsTable.checkWritable(spark, runDir);
        removeStaleStaging(spark, runs);

        Dataset<Row> input = RequestsTable.read(spark, o.input());
        if (!o.dates().isEmpty()) {
            if (!List.of(input.columns()).contains("date")) {
                throw ZksparkException.badInput(o.input() + ": not date-partitioned (expected date=YYYY-MM-DD folders)");
            }
            input = input.filter(functions.col("date").cast("string").isin(o.dates().toArray()));
        }
        input = input.cache();
        long inputRows = input.count();
        Dataset<Row> done = doneIds(spark, runs, o.retryFailed());
        Dataset<Row> todo = done == null ? input : input.join(done, input.col("id").equalTo(done.col("done_id")), "left_anti");
        long alreadyDone = inputRows - todo.count();

        List<ProofsTable.Summary> rows = ProveRequests.run(spark, todo, prover, o.partitions(), runDir,
                r -> {
                    Map<String, byte[]> files = new LinkedHashMap<>();
                    files.put("manifest.json", manifestJson(o, started, inputRows, alreadyDone, r, t0).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (commitment != null) {
                        files.put("model.commit", commitment.clone());
                    }
                    return files;
                });
        input.unpersist();
        long proved = rows.stream().filter(s -> "proved".equals(s.status())).count();
        List<String[]> failures = new ArrayList<>();
        for (ProofsTable.Summary s : rows) {
            if (!"proved".equals(s.status())) {
                failures.add(new String[] {s.id(), s.error()});
            }
        }
        return new Manifest(o.runId(), runDir, inputRows, alreadyDone, proved, rows.size() - proved, failures,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Ids of every completed run (proved ones; failed ones too unless retrying). */
    static Dataset<Row> doneIds(SparkSession spark, Path runs, boolean retryFailed) {
        try {
            FileSystem fs = runs.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(runs)) {
                return null;
            }
            List<String> tables = new ArrayList<>();
            for (FileStatus st : fs.listStatus(runs)) {
                String name = st.getPath().getName();
                if (st.isDirectory() && !name.startsWith(".") && fs.exists(new Path(st.getPath(), "proofs"))) {
                    tables.add(new Path(st.getPath(), "proofs").toString());
                }
            }
            if (tables.isEmpty()) {
                return null;
            }
            Dataset<Row> all = spark.read().parquet(tables.toArray(new String[0]));
            if (retryFailed) {
                all = all.filter(functions.col("status").equalTo("proved"));
            }
            return all.select(functions.col("id").as("done_id")).filter(functions.col("done_id").isNotNull()).distinct();
        } catch (IOException e) {
            throw ZksparkException.badInput(runs + ": cannot list earlier runs (" + e.getMessage() + ")");
        }
    }

    private static void removeStaleStaging(SparkSession spark, Path runs) {
        try {
            FileSystem fs = runs.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(runs)) {
                return;
            }
            for (FileStatus st : fs.listStatus(runs)) {
                if (st.getPath().getName().startsWith(".") && st.getPath().getName().contains(".staging-")) {
                    fs.delete(st.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw ZksparkException.badInput(runs + ": cannot clean stale staging directories (" + e.getMessage() + ")");
        }
    }

    static String manifestJson(Options o, String started, long inputRows, long alreadyDone, List<ProofsTable.Summary> rows, long t0) {
        Map<String, Object> m = new LinkedHashMap<>();
        long proved = rows.stream().filter(s -> "proved".equals(s.status())).count();
        StringBuilder f = new StringBuilder("[");
        double proveMs = 0;
        for (ProofsTable.Summary s : rows) {
            proveMs += s.proveMs();
            if (!"proved".equals(s.status())) {
                if (f.length() > 1) {
                    f.append(", ");
                }
                f.append("{\"id\": ").append(q(s.id())).append(", \"error\": ").append(q(s.error())).append('}');
            }
        }
        f.append(']');
        m.put("run_id", q(o.runId()));
        m.put("started_at", q(started));
        m.put("finished_at", q(Instant.now().toString()));
        m.put("input", q(o.input()));
        m.put("dates", o.dates().isEmpty() ? "\"all\"" : q(String.join(",", o.dates())));
        m.put("input_rows", inputRows);
        m.put("already_done", alreadyDone);
        m.put("attempted", rows.size());
        m.put("proved", proved);
        m.put("failed", rows.size() - proved);
        m.put("failures", f.toString());
        m.put("prove_ms_total", String.format(Locale.ROOT, "%.1f", proveMs));
        m.put("seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            sb.append("  \"").append(e.getKey()).append("\": ").append(e.getValue()).append(++i < m.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    private static String q(String s) {
        return Json.quote(s);
    }
}
