package io.sparkmdn.ml;

import java.util.function.BiConsumer;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

/**
 * Saves a stage as Spark ML does: its metadata ({@link StageMetadata}) and, for a model, its data beside it.
 * {@link MLWriter#save} has already refused an existing path (or removed it, with {@code overwrite()}).
 */
final class StageWriter extends MLWriter {

    private final Params stage;
    private final BiConsumer<String, SparkSession> data;

    /**
     * @param stage the stage whose class, uid and Params are saved
     * @param data  writes the stage's data under the given path, or null for none
     */
    StageWriter(Params stage, BiConsumer<String, SparkSession> data) {
        this.stage = stage;
        this.data = data;
    }

    @Override
    public void saveImpl(String path) {
        StageMetadata.save(stage, path, sparkSession());
        if (data != null) {
            data.accept(path, sparkSession());
        }
    }
}
