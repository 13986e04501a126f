package dev.zkspark.spark.io;

import dev.zkspark.core.ZksparkException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a requests table: Parquet (a {@code .parquet} file or a directory of them) or JSON lines
 * ({@code .jsonl}/{@code .json}) with fields {@code id}, {@code prompt} (text) or
 * {@code prompt_tokens} (ids), and {@code max_new_tokens}. A malformed row does not fail the table:
 * {@link #parse} turns it into a {@link ParsedRequest} carrying its reason, and the other rows are
 * proved.
 */
public final class RequestsTable {
    /** Upper bound on max_new_tokens accepted from a table (the model's maxSeq is checked later). */
    public static final int MAX_NEW_TOKENS_LIMIT = 1 << 16;
    static final String CORRUPT = "_corrupt_record";

    public static final StructType JSON_SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("prompt", DataTypes.StringType)
            .add("prompt_tokens", DataTypes.createArrayType(DataTypes.LongType))
            .add("max_new_tokens", DataTypes.LongType)
            .add(CORRUPT, DataTypes.StringType);

    private RequestsTable() {}

    /** Loads the table; a missing path or a table without the required columns is BAD_INPUT. */
    public static Dataset<Row> read(SparkSession spark, String path) {
        String format = detectFormat(path);
        Dataset<Row> df;
        if (format.equals("json")) {
            df = spark.read().schema(JSON_SCHEMA).option("mode", "PERMISSIVE")
                    .option("columnNameOfCorruptRecord", CORRUPT).json(path);
        } else {
            try {
                df = spark.read().parquet(path);
            } catch (Exception e) {
                throw ZksparkException.badInput(path + ": not a readable Parquet table (" + firstLine(e) + ")");
            }
        }
        List<String> cols = Arrays.asList(df.columns());
        List<String> missing = new ArrayList<>();
        if (!cols.contains("id")) {
            missing.add("id");
        }
        if (!cols.contains("max_new_tokens")) {
            missing.add("max_new_tokens");
        }
        if (!cols.contains("prompt") && !cols.contains("prompt_tokens")) {
            missing.add("prompt or prompt_tokens");
        }
        if (!missing.isEmpty() && format.equals("parquet")) {
            throw ZksparkException.badInput(path + ": requests table lacks column(s) " + String.join(", ", missing));
        }
        return df;
    }

    static String detectFormat(String path) {
        if (path.contains("://") && !path.startsWith("file:")) {
            return path.endsWith(".json") || path.endsWith(".jsonl") ? "json" : "parquet";
        }
        Path p = Paths.get(path.startsWith("file:") ? path.substring(5) : path);
        if (!Files.exists(p)) {
            throw ZksparkException.badInput(path + ": no such file or directory");
        }
        if (!Files.isReadable(p)) {
            throw ZksparkException.badInput(path + ": not readable");
        }
        if (Files.isDirectory(p)) {
            // a table directory (possibly partitioned date=.../): its data files name the format
            try (java.util.stream.Stream<Path> files = Files.walk(p, 4)) {
                List<String> names = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(n -> !n.startsWith(".") && !n.startsWith("_")).collect(java.util.stream.Collectors.toList());
                if (names.stream().anyMatch(n -> n.endsWith(".parquet"))) {
                    return "parquet";
                }
                if (names.stream().anyMatch(n -> n.endsWith(".json") || n.endsWith(".jsonl"))) {
                    return "json";
                }
                throw ZksparkException.badInput(path + ": no .parquet, .json or .jsonl files in this directory");
            } catch (java.io.IOException e) {
                throw ZksparkException.badInput(path + ": cannot list (" + e.getMessage() + ")");
            }
        }
        String name = p.getFileName().toString();
        return name.endsWith(".json") || name.endsWith(".jsonl") ? "json" : "parquet";
    }

    /** Validates one row; never throws. */
    public static ParsedRequest parse(Row row) {
        String id = stringField(row, "id");
        String where = id == null ? "row without id" : "request " + id;
        if (hasField(row, CORRUPT) && !row.isNullAt(row.fieldIndex(CORRUPT))) {
            String raw = row.getString(row.fieldIndex(CORRUPT));
            return ParsedRequest.failed(id, "malformed JSON line: " + abbreviate(raw));
        }
        if (id == null || id.isBlank()) {
            return ParsedRequest.failed(null, "missing id");
        }
        if (!id.matches("[A-Za-z0-9._-]{1,128}")) {
            return ParsedRequest.failed(id, where + ": id must be 1-128 characters of [A-Za-z0-9._-] (it names the proof file)");
        }
        String prompt = stringField(row, "prompt");
        int[] tokens = null;
        if (hasField(row, "prompt_tokens") && !row.isNullAt(row.fieldIndex("prompt_tokens"))) {
            List<Object> raw = row.getList(row.fieldIndex("prompt_tokens"));
            tokens = new int[raw.size()];
            for (int i = 0; i < tokens.length; i++) {
                Object v = raw.get(i);
                if (!(v instanceof Number n) || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE) {
                    return ParsedRequest.failed(id, where + ": prompt_tokens[" + i + "] is not a token id: " + v);
                }
                tokens[i] = n.intValue();
            }
        }
        if (prompt != null && tokens != null) {
            return ParsedRequest.failed(id, where + ": give either prompt or prompt_tokens, not both");
        }
        if (prompt == null && tokens == null) {
            return ParsedRequest.failed(id, where + ": missing prompt (text) or prompt_tokens (ids)");
        }
        if ((prompt != null && prompt.isEmpty()) || (tokens != null && tokens.length == 0)) {
            return ParsedRequest.failed(id, where + ": empty prompt");
        }
        if (!hasField(row, "max_new_tokens") || row.isNullAt(row.fieldIndex("max_new_tokens"))) {
            return ParsedRequest.failed(id, where + ": missing max_new_tokens");
        }
        Object m = row.get(row.fieldIndex("max_new_tokens"));
        if (!(m instanceof Number n) || n.longValue() < 1 || n.longValue() > MAX_NEW_TOKENS_LIMIT) {
            return ParsedRequest.failed(id, where + ": max_new_tokens must be between 1 and " + MAX_NEW_TOKENS_LIMIT + ", got " + m);
        }
        return ParsedRequest.ok(new RequestSpec(id, prompt, tokens, n.intValue()));
    }

    private static boolean hasField(Row row, String name) {
        return Arrays.asList(row.schema().fieldNames()).contains(name);
    }

    private static String stringField(Row row, String name) {
        if (!hasField(row, name) || row.isNullAt(row.fieldIndex(name))) {
            return null;
        }
        Object v = row.get(row.fieldIndex(name));
        return v instanceof String s ? s : String.valueOf(v);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }

    public static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
