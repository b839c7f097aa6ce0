package io.sparkmdn.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the Spark sessions of the jobs: Kryo with ND4J's registrator, Delta Lake's SQL extension and catalog
 * (for {@code --out-format delta} and Delta inputs), and a master only where none is set.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    /**
     * A session named {@code appName}. {@code master} applies only when the launcher (spark-submit) has not
     * already set {@code spark.master}, so the same jar runs locally and on a cluster.
     */
    public static SparkSession create(String appName, String master) {
        SparkConf conf = new SparkConf()
                .setAppName(appName)
                .setIfMissing("spark.master", master)
                .setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")
                .setIfMissing("spark.ui.showConsoleProgress", "false")
                .setIfMissing("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .setIfMissing("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
