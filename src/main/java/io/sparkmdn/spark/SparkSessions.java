package io.sparkmdn.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the Spark sessions of the jobs: Kryo with ND4J's registrator, and a master only where none is set. */
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
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
