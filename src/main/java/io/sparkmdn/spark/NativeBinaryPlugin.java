package io.sparkmdn.spark;

import io.sparkmdn.nn.NativeBinary;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Chooses ND4J's native build ({@link NativeBinary}) in the driver and in every executor as it starts, before
 * any task can load ND4J. The jobs' sessions list it in {@code spark.plugins}; a session of one's own (the ML
 * API) can too: {@code spark.plugins=io.sparkmdn.spark.NativeBinaryPlugin}.
 */
public final class NativeBinaryPlugin implements SparkPlugin {

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Map<String, String> init(SparkContext sc, PluginContext context) {
                NativeBinary.select();
                return Map.of();
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext context, Map<String, String> extraConf) {
                NativeBinary.select();
            }
        };
    }
}
