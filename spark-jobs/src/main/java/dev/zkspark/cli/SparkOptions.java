package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.spark.Sessions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code --master}, {@code --partitions} and {@code --conf}, shared by the Spark job commands. */
final class SparkOptions {
    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--partitions", description = "Spark partitions for the rows (default: ${DEFAULT-VALUE} = as read)")
    int partitions = 0;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark or zkspark.* configuration, repeatable; wins over spark-submit's")
    Map<String, String> conf = new LinkedHashMap<>();

    SparkSession session(String appName) {
        if (partitions < 0) {
            throw ZksparkException.badInput("--partitions must be at least 0");
        }
        return Sessions.create(appName, master, conf);
    }
}
