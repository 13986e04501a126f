package dev.zkspark.spark.io;

import dev.zkspark.core.ZksparkException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Writes an output directory atomically (DESIGN §6): everything goes to a hidden staging sibling
 * ({@code .NAME.staging-UUID}), renamed into place only when complete, so a failed or killed job
 * leaves no partial output, only a hidden directory named as staging.
 */
final class AtomicDir {
    private AtomicDir() {}

    /** Fills the staging directory; the Spark actions it runs may throw Spark's checked exceptions. */
    @FunctionalInterface
    interface Body<T> {
        T write(FileSystem fs, Path staging) throws Exception;
    }

    static <T> T write(SparkSession spark, String out, String what, Body<T> body) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path target = new Path(out);
        Path staging = new Path(target.getParent() == null ? new Path(".") : target.getParent(),
                "." + target.getName() + ".staging-" + UUID.randomUUID());
        try {
            FileSystem fs = target.getFileSystem(conf);
            T result = body.write(fs, staging);
            if (fs.exists(target)) {
                throw ZksparkException.badInput(out + ": output appeared while the job ran; results left in " + staging);
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("rename " + staging + " -> " + target + " failed");
            }
            return result;
        } catch (IOException e) {
            deleteQuietly(conf, staging);
            throw ZksparkException.badInput(out + ": could not write the " + what + " (" + e.getMessage() + ")");
        } catch (ZksparkException e) {
            if (!e.getMessage().contains("results left in")) {
                deleteQuietly(conf, staging);
            }
            throw e;
        } catch (Exception e) {
            // a task crashed beyond Spark's retries (Spark rethrows its checked SparkException)
            deleteQuietly(conf, staging);
            throw new ZksparkException(ZksparkException.Code.INTERNAL, "job failed, nothing written to " + out + ": "
                    + RequestsTable.firstLine(e), e);
        }
    }

    /** Writes a file; on the local file system without Hadoop's {@code .NAME.crc} side files. */
    static void writeBytes(FileSystem fs, Path p, byte[] bytes) throws IOException {
        FileSystem target = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
        try (OutputStream o = target.create(p, true)) {
            o.write(bytes);
        }
    }

    static void writeText(FileSystem fs, Path p, String text) throws IOException {
        writeBytes(fs, p, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteQuietly(Configuration conf, Path p) {
        try {
            p.getFileSystem(conf).delete(p, true);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the staging directory is hidden and named as such
        }
    }
}
