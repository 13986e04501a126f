package dev.zkspark.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * SparkSession construction with zkspark's defaults. An explicit master (spark-submit's, or
 * {@code --master}) wins; otherwise {@code local[*]} is the embedded default (DESIGN §6). Local
 * sessions bind to loopback only and run without the web UI.
 */
public final class Sessions {
    private Sessions() {}

    public static SparkSession create(String appName, String master) {
        return create(appName, master, java.util.Map.of());
    }

    /** As above, with {@code --conf KEY=VALUE} overrides applied last (they win over spark-submit's). */
    public static SparkSession create(String appName, String master, java.util.Map<String, String> overrides) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        overrides.forEach(conf::set);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
