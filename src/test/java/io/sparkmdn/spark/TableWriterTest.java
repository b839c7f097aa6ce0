package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableWriterTest extends SparkTestBase {

    @TempDir
    Path dir;

    @Test
    void plainEncodedColumnsSkipTheDictionaryAndTheOthersKeepIt() throws IOException {
        Dataset<Row> table = spark.range(0, 5000, 1, 1).select(
                pmod(col("id"), lit(7)).as("small"),
                pmod(col("id"), lit(5)).cast("double").as("repeated"),
                array(pmod(col("id"), lit(3)).cast("double")).as("vector"));
        String out = dir.resolve("t").toString();
        TableWriter.write(table, out, false, "test", tmp -> { }, Set.of("small", "vector"));

        Map<String, Set<Encoding>> encodings = encodings(Path.of(out));
        assertEquals(Set.of("small", "repeated", "vector.list.element"), encodings.keySet());
        assertFalse(usesDictionary(encodings.get("small")), encodings.toString());
        assertFalse(usesDictionary(encodings.get("vector.list.element")), encodings.toString());
        assertTrue(usesDictionary(encodings.get("repeated")), encodings.toString());
        assertEquals(5000, spark.read().parquet(out).count());
    }

    @Test
    void leafPathsFollowSparksListLayout() {
        StructType schema = new StructType()
                .add("mu", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)))
                .add("y", DataTypes.DoubleType);
        assertEquals("mu.list.element.list.element", DataFormat.leafPath(schema.apply("mu")));
        assertEquals("y", DataFormat.leafPath(schema.apply("y")));
    }

    private static boolean usesDictionary(Set<Encoding> encodings) {
        return encodings.contains(Encoding.PLAIN_DICTIONARY) || encodings.contains(Encoding.RLE_DICTIONARY);
    }

    private static Map<String, Set<Encoding>> encodings(Path table) throws IOException {
        Map<String, Set<Encoding>> byColumn = new HashMap<>();
        try (Stream<Path> files = Files.list(table)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
                try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                        new org.apache.hadoop.fs.Path(file.toString()), new Configuration()))) {
                    for (var block : reader.getFooter().getBlocks()) {
                        for (ColumnChunkMetaData column : block.getColumns()) {
                            byColumn.computeIfAbsent(column.getPath().toDotString(), k -> new HashSet<>())
                                    .addAll(column.getEncodings());
                        }
                    }
                }
            }
        }
        return byColumn;
    }
}
