package io.sparkmdn.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * A saved stage's metadata in Spark ML's layout, {@code PATH/metadata/part-00000}: one JSON object with
 * {@code class}, {@code uid}, {@code timestamp}, {@code sparkVersion}, {@code paramMap} (the Params set
 * explicitly) and {@code defaultParamMap} (the defaults), each value as its Param's {@code jsonEncode}
 * writes it. {@code PipelineModel.load} reads {@code class} to find the stage's static {@code read()}.
 *
 * @param className the class that saved the stage
 * @param uid       the stage's uid
 * @param params    explicitly set Params, by name
 * @param defaults  default Params, by name
 */
record StageMetadata(String className, String uid, JsonNode params, JsonNode defaults) {

    /** The metadata subdirectory of a saved stage. */
    static final String DIRECTORY = "metadata";
    private static final String FILE = "part-00000";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes {@code stage}'s class, uid and Params under {@code path}. */
    static void save(Params stage, String path, SparkSession spark) {
        ObjectNode json = JSON.createObjectNode();
        json.put("class", stage.getClass().getName());
        json.put("timestamp", System.currentTimeMillis());
        json.put("sparkVersion", spark.version());
        json.put("uid", stage.uid());
        json.set("paramMap", encode(stage, false));
        json.set("defaultParamMap", encode(stage, true));
        Path file = new Path(new Path(path, DIRECTORY), FILE);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try (OutputStream out = file.getFileSystem(conf).create(file, false)) {
            out.write(JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write stage metadata " + file + ": " + e.getMessage(), e);
        }
    }

    /** The Params of {@code stage} that are set explicitly, or ({@code defaults}) those that have a default. */
    private static ObjectNode encode(Params stage, boolean defaults) {
        ObjectNode out = JSON.createObjectNode();
        for (Param<?> p : stage.params()) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) p;
            Option<Object> value = defaults ? stage.getDefault(param) : stage.get(param);
            if (value.isDefined()) {
                try {
                    out.set(param.name(), JSON.readTree(param.jsonEncode(value.get())));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("Param " + param.name() + " encodes as invalid JSON", e);
                }
            }
        }
        return out;
    }

    /**
     * Reads the metadata under {@code path}, checking that {@code expected} saved it.
     *
     * @throws IllegalArgumentException if {@code path} holds no stage metadata, or that of another class
     */
    static StageMetadata load(String path, Class<?> expected, SparkSession spark) {
        Path dir = new Path(path, DIRECTORY);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        JsonNode json;
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) {
                throw new IllegalArgumentException(String.format("Cannot load a %s from %s: %s", expected.getSimpleName(),
                        path, fs.exists(new Path(path)) ? "it has no " + DIRECTORY + "/ (not a saved Spark ML stage)"
                                : "the path does not exist"));
            }
            json = read(fs, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read stage metadata " + dir + ": " + e.getMessage(), e);
        }
        String className = json.path("class").asText("");
        if (!className.equals(expected.getName())) {
            throw new IllegalArgumentException(String.format(
                    "Cannot load a %s from %s: it holds a %s (load it with that class)", expected.getSimpleName(),
                    path, className.isEmpty() ? "stage of unknown class" : className));
        }
        return new StageMetadata(className, json.path("uid").asText(), json.path("paramMap"),
                json.path("defaultParamMap"));
    }

    /** The first line of the first data file in {@code dir} (Spark writes one part file). */
    private static JsonNode read(FileSystem fs, Path dir) throws IOException {
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (status.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                try (InputStream in = fs.open(status.getPath())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    try {
                        return JSON.readTree(text.lines().findFirst().orElse(""));
                    } catch (JsonProcessingException e) {
                        throw new IllegalArgumentException("Corrupt stage metadata " + status.getPath() + ": "
                                + e.getOriginalMessage(), e);
                    }
                }
            }
        }
        throw new IllegalArgumentException("Stage metadata directory " + dir + " holds no metadata file");
    }

    /** Sets the saved defaults, then the saved explicit Params, on {@code stage}. */
    void applyTo(Params stage) {
        apply(stage, defaults, true);
        apply(stage, params, false);
    }

    private static void apply(Params stage, JsonNode values, boolean asDefault) {
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!stage.hasParam(e.getKey())) {
                throw new IllegalArgumentException(String.format("Saved %s has an unknown param '%s' (known: %s)",
                        stage.getClass().getSimpleName(), e.getKey(), paramNames(stage)));
            }
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) stage.getParam(e.getKey());
            Object value = param.jsonDecode(e.getValue().toString());
            if (asDefault) {
                stage.setDefault(param, value);
            } else {
                stage.set(param, value);
            }
        }
    }

    private static String paramNames(Params stage) {
        StringBuilder names = new StringBuilder();
        for (Param<?> p : stage.params()) {
            names.append(names.length() == 0 ? "" : ", ").append(p.name());
        }
        return names.toString();
    }
}
