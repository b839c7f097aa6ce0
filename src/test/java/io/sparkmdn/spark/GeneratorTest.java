package io.sparkmdn.spark;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.data.DatasetInfo;
import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.Skewed;
import io.sparkmdn.data.SyntheticKind;
import io.sparkmdn.data.TwinCircle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest extends SparkTestBase {

    @TempDir
    Path dir;

    @Test
    void schemaHasScalarColumnsForOneDimensionAndArraysOtherwise() {
        StructType seed = Generator.generate(spark, SeedToy.INSTANCE, 10, 1, 2).schema();
        assertEquals(new StructType()
                .add("id", DataTypes.LongType, false)
                .add("x", DataTypes.DoubleType, false)
                .add("y", DataTypes.DoubleType, false), seed);
        StructType twin = Generator.generate(spark, TwinCircle.INSTANCE, 10, 1, 2).schema();
        assertEquals(new StructType()
                .add("id", DataTypes.LongType, false)
                .add("x", DataTypes.DoubleType, false)
                .add("y", DataTypes.createArrayType(DataTypes.DoubleType, false), false), twin);
        StructType skewed = Generator.generate(spark, Skewed.INSTANCE, 10, 1, 2).schema();
        assertEquals(new StructType()
                .add("id", DataTypes.LongType, false)
                .add("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add("y", DataTypes.DoubleType, false), skewed);
    }

    @Test
    void seedRowsEqualSeedToyRowsWhateverThePartitioning() {
        for (int partitions : new int[] {1, 3, 7}) {
            List<Row> rows = sortedById(Generator.generate(spark, SeedToy.INSTANCE, 1001, 17, partitions));
            assertEquals(1001, rows.size(), "partitions = " + partitions);
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                double[] expected = SeedToy.row(17, i);
                assertEquals(i, r.getLong(0));
                assertEquals(expected[0], r.getDouble(1), 0, "x of row " + i);
                assertEquals(expected[1], r.getDouble(2), 0, "y of row " + i);
            }
        }
    }

    @Test
    void twinCircleRowsAreIdenticalAcrossPartitionCounts() {
        List<Row> one = sortedById(Generator.generate(spark, TwinCircle.INSTANCE, 500, 3, 1));
        List<Row> seven = sortedById(Generator.generate(spark, TwinCircle.INSTANCE, 500, 3, 7));
        double[] x = new double[1];
        double[] y = new double[2];
        for (int i = 0; i < 500; i++) {
            TwinCircle.INSTANCE.row(3, i, x, y);
            for (List<Row> rows : List.of(one, seven)) {
                Row r = rows.get(i);
                assertEquals(i, r.getLong(0));
                assertEquals(x[0], r.getDouble(1), 0);
                List<Double> labels = r.getList(2);
                assertArrayEquals(y, labels.stream().mapToDouble(Double::doubleValue).toArray(), 0);
            }
        }
    }

    @Test
    void skewedRowsEqualItsJavaRowsWhateverThePartitioning() {
        // exp and log of a Box–Muller draw: Spark's StrictMath exp and log, and Math's sin and cos, bit for bit
        List<Row> one = sortedById(Generator.generate(spark, Skewed.INSTANCE, 2000, 11, 1));
        List<Row> seven = sortedById(Generator.generate(spark, Skewed.INSTANCE, 2000, 11, 7));
        double[] x = new double[2];
        double[] y = new double[1];
        for (int i = 0; i < 2000; i++) {
            Skewed.INSTANCE.row(11, i, x, y);
            for (List<Row> rows : List.of(one, seven)) {
                Row r = rows.get(i);
                assertEquals(i, r.getLong(0));
                List<Double> features = r.getList(1);
                assertArrayEquals(x, features.stream().mapToDouble(Double::doubleValue).toArray(), 0, "x of row " + i);
                assertEquals(y[0], r.getDouble(2), 0, "y of row " + i);
            }
        }
    }

    @Test
    void defaultPartitionsKeepPartitionsBetweenTheBounds() {
        assertEquals(1, Generator.defaultPartitions(1, 8));
        assertEquals(1, Generator.defaultPartitions(50_000, 8));
        assertEquals(4, Generator.defaultPartitions(1_000_000, 2));
        assertEquals(10, Generator.defaultPartitions(1_000_000, 16));
        assertEquals(6, Generator.defaultPartitions(10_000_000, 2));
        assertEquals(64, Generator.defaultPartitions(100_000_000, 16));
        assertEquals(200, Generator.defaultPartitions(100_000_000, 100));
        assertEquals(500_000, Generator.defaultPartitions(1_000_000_000_000L, 4));
    }

    @Test
    void writeProducesParquetAndADescriptionThatReadsBack() {
        String out = dir.resolve("twin").toString();
        DatasetInfo info = Generator.write(spark,
                new GenerateOptions(TwinCircle.INSTANCE, 1234, 5, 3, out, null, false));
        assertEquals(new DatasetInfo("twin-circle", 5, 1234, 1, 2, "x", "y", "parquet"), info);

        Dataset<Row> back = spark.read().parquet(out);
        assertEquals(1234, back.count());
        assertEquals(1233L, back.agg(org.apache.spark.sql.functions.max("id")).first().getLong(0));
        assertEquals(Generator.schema(TwinCircle.INSTANCE).fieldNames().length, back.schema().fieldNames().length);
        assertEquals(Optional.of(info), Generator.readInfo(out, new Configuration()));
        assertTrue(Files.exists(dir.resolve("twin").resolve("_dataset.json")));
        assertFalse(Files.exists(dir.resolve("twin").resolve("._dataset.json.crc")));
        assertEquals(TwinCircle.INSTANCE, info.syntheticKind());
    }

    @Test
    void csvByExtensionHoldsTheSameRows() {
        String out = dir.resolve("seed.csv").toString();
        DatasetInfo info = Generator.write(spark, new GenerateOptions(SeedToy.INSTANCE, 300, 9, 2, out, null, false));
        assertEquals("csv", info.format());
        List<Row> rows = spark.read().option("header", true).schema(Generator.schema(SeedToy.INSTANCE)).csv(out)
                .orderBy("id").collectAsList();
        assertEquals(300, rows.size());
        double[] expected = SeedToy.row(9, 123);
        assertEquals(expected[0], rows.get(123).getDouble(1), 0);
        assertEquals(expected[1], rows.get(123).getDouble(2), 0);
    }

    @Test
    void csvIsRefusedForArrayColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GenerateOptions(TwinCircle.INSTANCE, 10, 1, 0, "/tmp/t.csv", null, false));
        assertEquals("CSV holds only scalar columns but dataset kind 'twin-circle' has d_x=1, d_y=2: use parquet",
                e.getMessage());
    }

    @Test
    void aFailedGenerationLeavesNoOutputBehind() throws IOException {
        String out = dir.resolve("failed").toString();
        Exception e = assertThrows(Exception.class, () -> Generator.write(spark,
                new GenerateOptions(new FailingKind(), 1000, 1, 2, out, null, false)));
        assertTrue(Stream.iterate((Throwable) e, t -> t != null, Throwable::getCause)
                .anyMatch(t -> String.valueOf(t.getMessage()).contains("row 700 failed")), e.toString());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "output or temporary directory left behind");
        }
    }

    @Test
    void readInfoIsEmptyWithoutADescriptionAndNamesACorruptOne() throws IOException {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        assertEquals(Optional.empty(), Generator.readInfo(plain.toString(), new Configuration()));
        Files.writeString(plain.resolve("_dataset.json"), "{\"kind\": \"seed\", \"rows\": 0}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Generator.readInfo(plain.toString(), new Configuration()));
        assertTrue(e.getMessage().startsWith("Invalid dataset description "), e.getMessage());
        assertTrue(e.getMessage().contains("_dataset.json"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid number of rows: 0"), e.getMessage());
    }

    private static List<Row> sortedById(Dataset<Row> data) {
        return data.orderBy("id").collectAsList();
    }

    /** The seed kind, except that row 700 throws: stands in for any executor failure mid-write. */
    private static final class FailingKind implements SyntheticKind {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public int inputDim() {
            return 1;
        }

        @Override
        public int outputDim() {
            return 1;
        }

        @Override
        public void row(long seed, long id, double[] x, double[] y) {
            if (id == 700) {
                throw new IllegalStateException("row 700 failed");
            }
            SeedToy.INSTANCE.row(seed, id, x, y);
        }

        @Override
        public Column[] columns(long seed, Column id) {
            Column[] xy = SeedToy.INSTANCE.columns(seed, id);
            return new Column[] {when(id.equalTo(700), raise_error(lit("row 700 failed"))).otherwise(xy[0]), xy[1]};
        }

        @Override
        public double trueLogDensity(double[] x, double[] y) {
            return SeedToy.INSTANCE.trueLogDensity(x, y);
        }
    }
}
