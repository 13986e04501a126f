package dev.zkspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.zkspark.field.Goldilocks;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Spark 4.1.1 runs in local mode from the Maven jars with the project's JVM flags (issue 2). */
class SparkLocalModeTest {
    @Test
    void fieldArithmeticDistributesOverPartitionsExactly() {
        List<Long> xs = new ArrayList<>();
        long local = 0;
        for (long i = 1; i <= 10_000; i++) {
            long v = Goldilocks.mul(Goldilocks.reduce(i * 0x9E3779B97F4A7C15L), i);
            xs.add(v);
            local = Goldilocks.add(local, Goldilocks.square(v));
        }
        SparkSession spark = Sessions.create("zkspark-test", "local[2]");
        try {
            assertEquals("127.0.0.1", spark.conf().get("spark.driver.host"));
            assertEquals("false", spark.conf().get("spark.ui.enabled"));
            JavaRDD<Long> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(xs, 7);
            long distributed = rdd.map(Goldilocks::square).reduce(Goldilocks::add);
            assertEquals(local, distributed);
            assertNotEquals(local, rdd.map(v -> v).reduce(Goldilocks::add));
        } finally {
            spark.stop();
        }
    }
}
