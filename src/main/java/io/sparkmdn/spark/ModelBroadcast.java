package io.sparkmdn.spark;

import io.sparkmdn.model.MdnModel;
import io.sparkmdn.model.ModelDirectory;
import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A model shipped to executors once per job as bytes ({@link ModelDirectory#toBytes}); each task decodes its
 * own copy, since a DL4J network must not be shared between threads.
 */
public final class ModelBroadcast implements Serializable {

    private static final long serialVersionUID = 1L;
    private final Broadcast<byte[]> bytes;

    private ModelBroadcast(Broadcast<byte[]> bytes) {
        this.bytes = bytes;
    }

    /** Broadcasts {@code model} from the driver. */
    public static ModelBroadcast of(JavaSparkContext jsc, MdnModel model) {
        return new ModelBroadcast(jsc.broadcast(ModelDirectory.toBytes(model)));
    }

    /** A fresh model for the calling task. */
    public MdnModel model() {
        return ModelDirectory.fromBytes(bytes.value());
    }

    /** Releases the broadcast on the executors. */
    public void destroy() {
        bytes.destroy();
    }
}
