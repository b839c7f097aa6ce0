package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;

class MdnOptionsTest {

    @Test
    void defaultsAreThreeHiddenLayersOf64ReluAndTwentyComponents() {
        MdnOptions o = MdnOptions.defaults();
        assertEquals(List.of(64, 64, 64), o.hiddenLayers());
        assertEquals(Activation.RELU, o.activation());
        assertEquals(20, o.mixtures());
        assertEquals(0.01, o.learningRate());

        MultiLayerConfiguration conf = o.withDimensions(2, 1).toConfiguration();
        assertEquals(4, conf.getConfs().size());
        DenseLayer first = (DenseLayer) conf.getConf(0).getLayer();
        assertEquals(2, first.getNIn());
        assertEquals(64, first.getNOut());
        assertTrue(first.getActivationFn() instanceof ActivationReLU);
        OutputLayer out = (OutputLayer) conf.getConf(3).getLayer();
        assertEquals(60, out.getNOut());
        assertTrue(out.getActivationFn() instanceof ActivationIdentity);
        assertEquals(new MdnLoss(20, 1, MdnOptions.DEFAULT_SIGMA_FLOOR), out.getLossFn());
    }

    @Test
    void mapRoundTripGivesEqualOptions() {
        MdnOptions o = new MdnOptions(3, 2, 7, List.of(64, 16, 8), Activation.RELU, 1e-4, Updater.NESTEROVS,
                0.05, -9, DataType.DOUBLE);
        assertEquals(o, MdnOptions.fromMap(o.toMap()));
        assertEquals(MdnOptions.defaults(), MdnOptions.fromMap(Map.of()));
        assertEquals(List.of(), MdnOptions.fromMap(Map.of("hidden-layers", "")).hiddenLayers());
        assertEquals(Updater.RMSPROP, MdnOptions.fromMap(Map.of("updater", "RmsProp")).updater());
    }

    @Test
    void shippedConfFileStatesTheRecordDefaults() throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("conf/spark-mdn.properties"))) {
            props.load(in);
        }
        Map<String, String> values = new HashMap<>();
        Set<String> networkKeys = MdnOptions.defaults().toMap().keySet();
        props.forEach((k, v) -> {
            if (networkKeys.contains((String) k)) {
                values.put((String) k, (String) v);
            }
        });
        assertEquals(7, values.size(), "network keys in the conf file: " + values.keySet());
        assertEquals(MdnOptions.defaults(), MdnOptions.fromMap(values));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "mixtures     | 0        | Invalid number of mixtures: 0 (must be between 1 and 1000)",
        "input-dim    | -1       | Invalid input dimension: -1",
        "hidden-layers | 32,0    | Invalid width of hidden layer 1: 0",
        "hidden-layers | 32,x    | Invalid hidden-layers: '32,x'",
        "learning-rate | 0       | Invalid learning rate: 0.0",
        "learning-rate | NaN      | Invalid learning rate: NaN",
        "sigma-floor  | -0.1     | Invalid sigma floor: -0.1",
        "activation   | wobble   | Unknown activation: 'wobble'",
        "updater      | adagrad2 | Unknown updater: 'adagrad2'",
        "data-type    | half     | Invalid data-type: 'half'",
        "seed         | 1.5      | Invalid seed: '1.5' (not an integer)",
        "mixtrues     | 5        | Unknown network option: 'mixtrues'",
    })
    void badValuesAreRefusedWithAMessageNamingThem(String key, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MdnOptions.fromMap(Map.of(key, value)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
