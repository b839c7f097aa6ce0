package io.sparkmdn.spark;

import io.sparkmdn.nn.NativeBinary;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the Spark sessions of the jobs: Kryo with ND4J's registrator, Delta Lake's SQL extension and catalog
 * (for {@code --out-format delta} and Delta inputs), {@link NativeBinaryPlugin} added to {@code spark.plugins}
 * (ND4J's AVX2 or generic build, chosen per JVM), and a master only where none is set.
 */
public final class SparkSessions {

    private static final String PLUGINS = "spark.plugins";

    private SparkSessions() {
    }

    /**
     * A session named {@code appName}. {@code master} applies only when the launcher (spark-submit) has not
     * already set {@code spark.master}, so the same jar runs locally and on a cluster.
     */
    public static SparkSession create(String appName, String master) {
        NativeBinary.select();
        SparkConf conf = new SparkConf();
        String plugins = conf.get(PLUGINS, "");
        String plugin = NativeBinaryPlugin.class.getName();
        conf.set(PLUGINS, plugins.contains(plugin) ? plugins : plugins.isBlank() ? plugin : plugins + "," + plugin)
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
