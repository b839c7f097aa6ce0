package io.sparkmdn.input;

import static org.apache.spark.sql.types.DataTypes.ByteType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.ShortType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmdn.spark.SparkTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InputTableTest extends SparkTestBase {

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final ArrayType DOUBLES = DataTypes.createArrayType(DoubleType, true);
    private static final List<String> NO_LABELS = List.of();

    /** id, x1 int, x2 double, x3 double, name string: three good rows. */
    private static final StructType SCALARS = schema(
            field("id", LongType), field("x1", IntegerType), field("x2", DoubleType), field("x3", DoubleType),
            field("name", StringType));

    @TempDir
    static Path dir;

    private static String scalars;

    /** One bad input: how to build it, what the model expects, and the exact message (PATH = its path). */
    private record BadInput(Supplier<InputDescription> spec, InputDescription model, String message) {
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("missing label column", () -> spec(scalars(), List.of("x1"), List.of("target")),
                        "Column 'target' of the labels [target] not found in PATH; columns: id, x1, x2, x3, name"),
                bad("misnamed feature column", () -> spec(scalars(), List.of("x_1"), NO_LABELS),
                        "Column 'x_1' of the features [x_1] not found in PATH; columns: id, x1, x2, x3, name; did you mean 'x1'?"),
                bad("string column", () -> spec(scalars(), List.of("x1", "name"), NO_LABELS),
                        "Column 'name' of the features [x1, name] has type string in PATH; expected a number, an array of numbers"
                                + " or an ML vector (in CSV, one non-numeric value makes the whole column a string)"),
                bad("array of strings", () -> spec(parquet("tags", schema(field("tags",
                                DataTypes.createArrayType(StringType))), row(List.of("a", "b"))), List.of("tags"), NO_LABELS),
                        "Column 'tags' of the features [tags] has type array<string> in PATH; expected a number, an array of"
                                + " numbers or an ML vector"),
                bad("non-numeric CSV value", () -> spec(csv("text.csv", "x,y\n1,2\nabc,3\n"), List.of("x"), NO_LABELS),
                        "Column 'x' of the features [x] has type string in PATH; expected a number, an array of numbers or an"
                                + " ML vector (in CSV, one non-numeric value makes the whole column a string)"),
                bad("null in a scalar column", () -> spec(parquet("null-scalar",
                                schema(field("id", LongType), field("x1", IntegerType), field("x2", DoubleType)),
                                row(1L, 1, 0.5), row(2L, null, 1.5), row(3L, 3, 2.5)), List.of("x1", "x2"), NO_LABELS),
                        "1 of 3 rows in PATH are invalid: column 'x1' is null in 1 row (e.g. row {x1=null, x2=1.5});"
                                + " fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                bad("NaN in features, null in labels", () -> spec(parquet("nan",
                                schema(field("x", DoubleType), field("y", DoubleType)),
                                row(Double.NaN, 0.5), row(1.0, null), row(Double.NaN, 1.0), row(2.0, 2.0)),
                                List.of("x"), List.of("y")),
                        "3 of 4 rows in PATH are invalid: column 'x' is NaN in 2 rows, column 'y' is null in 1 row"
                                + " (e.g. row {x=NaN, y=0.5}); fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                bad("+Infinity", () -> spec(parquet("inf", schema(field("x", DoubleType)), row(1.0), row(INF), row(2.0)),
                                List.of("x"), NO_LABELS),
                        "1 of 3 rows in PATH are invalid: column 'x' is Infinity in 1 row (e.g. row {x=Infinity});"
                                + " fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                bad("-Infinity in a float column", () -> spec(parquet("minus-inf", schema(field("x", FloatType)),
                                row(1f), row(Float.NEGATIVE_INFINITY)), List.of("x"), NO_LABELS),
                        "1 of 2 rows in PATH are invalid: column 'x' is -Infinity in 1 row (e.g. row {x=-Infinity});"
                                + " fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                bad("array of mixed length", () -> spec(parquet("mixed", schema(field("a", DOUBLES)),
                                row(List.of(1.0, 2.0, 3.0)), row(List.of(4.0, 5.0)), row(List.of(6.0, 7.0, 8.0)),
                                row(List.of(9.0, 10.0, 11.0, 12.0))), List.of("a"), NO_LABELS),
                        "2 of 4 rows in PATH are invalid: column 'a' has a width other than 3 (the most common; the column has"
                                + " width 3 in 2 rows, width 2 in 1 row, width 4 in 1 row) in 2 rows"
                                + " (e.g. row {a=[4.0, 5.0]}); fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                bad("array containing null", () -> spec(parquet("array-null", schema(field("a", DOUBLES)),
                                row(Arrays.asList(1.0, null, 3.0)), row(List.of(4.0, 5.0, 6.0))), List.of("a"), NO_LABELS),
                        "1 of 2 rows in PATH are invalid: column 'a' contains null in 1 row (e.g. row {a=[1.0, null, 3.0]});"
                                + " fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                bad("array containing NaN and a null array", () -> spec(parquet("array-nan", schema(field("a", DOUBLES)),
                                row(List.of(1.0, Double.NaN)), row((Object) null), row(List.of(4.0, 5.0))),
                                List.of("a"), NO_LABELS),
                        "2 of 3 rows in PATH are invalid: column 'a' is null in 1 row, column 'a' contains NaN in 1 row"
                                + " (e.g. row {a=[1.0, NaN]}); fix them, or skip them (--invalid-rows skip; in Spark ML, handleInvalid 'skip')"),
                bad("empty Parquet", () -> spec(parquet("empty", schema(field("x", DoubleType))), List.of("x"), NO_LABELS),
                        "Input PATH has no rows"),
                bad("header-only CSV", () -> spec(csv("header.csv", "x1,x2\n"), List.of("x1", "x2"), NO_LABELS),
                        "Input PATH has no rows"),
                new BadInputArgs("features not of the model's dimension",
                        () -> spec(scalars(), List.of("x1", "x2", "x3"), NO_LABELS), featuresOfWidth(2),
                        "Features have 3 values per row (columns x1, x2, x3) but the model expects 2")
                        .arguments(),
                new BadInputArgs("labels not of the model's dimension",
                        () -> spec(parquet("dim-y", schema(field("x", DoubleType), field("y", DOUBLES)),
                                row(1.0, List.of(1.0, 2.0))), List.of("x"), List.of("y")),
                        InputDescription.defaultColumns(1, 1), "Labels have 2 values per row (column y[2]) but the model expects 1")
                        .arguments(),
                bad("nonexistent path", () -> spec(dir.resolve("nowhere.parquet").toString(), List.of("x"), NO_LABELS),
                        "Input not found: PATH"),
                bad("unknown extension", () -> spec(csv("data.json", "{}"), List.of("x"), NO_LABELS),
                        "Cannot tell the format of input PATH from its name (expected a .parquet or .csv file, or a"
                                + " directory); give the format, one of: parquet, csv, delta"),
                bad("all rows invalid under skip", () -> InputDescription.named(InputSource.of(parquet("all-bad",
                                schema(field("x", DoubleType)), row(Double.NaN), row((Object) null))), List.of("x"),
                                NO_LABELS, InvalidRows.SKIP),
                        "All 2 rows of PATH are invalid: column 'x' is null in 1 row, column 'x' is NaN in 1 row"
                                + " (e.g. row {x=NaN})"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputFailsNamingColumnCountAndExample(String name, BadInput input) {
        InputDescription spec = input.spec().get();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputTable.read(spark, spec, input.model()));
        assertEquals(input.message().replace("PATH", spec.source().path()), e.getMessage());
    }

    @Test
    void intAndDoubleColumnsAreCastAndConcatenatedInTheOrderGiven() {
        PreparedInput in = read(spec(scalars(), List.of("x2", "x1"), NO_LABELS));
        assertEquals(2, in.inputDim());
        assertEquals(0, in.outputDim());
        assertEquals(3, in.rows());
        assertEquals(0, in.droppedRows());
        assertEquals(DOUBLES, in.data().schema().apply(InputTable.FEATURES_COLUMN).dataType());
        assertFalse(Arrays.asList(in.data().columns()).contains(InputTable.LABELS_COLUMN));
        Map<Long, double[]> x = byId(in.data(), InputTable.FEATURES_COLUMN);
        assertArrayEquals(new double[] {0.5, 1}, x.get(1L));
        assertArrayEquals(new double[] {1.5, 2}, x.get(2L));
        assertArrayEquals(new double[] {2.5, 3}, x.get(3L));
    }

    @Test
    void everyNumericTypeIsCastToDouble() {
        DataType decimal = DataTypes.createDecimalType(10, 2);
        String path = parquet("numeric-types", schema(field("id", LongType), field("b", ByteType),
                        field("s", ShortType), field("i", IntegerType), field("l", LongType), field("f", FloatType),
                        field("d", decimal), field("ai", DataTypes.createArrayType(IntegerType))),
                row(1L, (byte) -3, (short) 300, 70000, 5_000_000_000L, 0.25f, new BigDecimal("12.34"), List.of(7, 8)));
        PreparedInput in = read(spec(path, List.of("b", "s", "i", "l", "f", "d", "ai"), NO_LABELS));
        assertEquals(8, in.inputDim());
        assertArrayEquals(new double[] {-3, 300, 70000, 5e9, 0.25, 12.34, 7, 8},
                byId(in.data(), InputTable.FEATURES_COLUMN).get(1L), 1e-12);
    }

    @Test
    void anArrayColumnContributesItsElementsAndLabelsCanBeAnArray() {
        String path = parquet("arrays", schema(field("id", LongType), field("x1", IntegerType), field("a", DOUBLES),
                        field("y", DOUBLES)),
                row(1L, 1, List.of(0.1, 0.2, 0.3), List.of(10.0, 20.0)),
                row(2L, 2, List.of(0.4, 0.5, 0.6), List.of(30.0, 40.0)));
        PreparedInput in = read(spec(path, List.of("x1", "a"), List.of("y")));
        assertEquals(4, in.inputDim());
        assertEquals(2, in.outputDim());
        assertEquals(2, in.rows());
        assertArrayEquals(new double[] {2, 0.4, 0.5, 0.6}, byId(in.data(), InputTable.FEATURES_COLUMN).get(2L));
        assertArrayEquals(new double[] {30, 40}, byId(in.data(), InputTable.LABELS_COLUMN).get(2L));
    }

    @Test
    void csvIsReadByExtensionWithAHeaderAndInferredTypes() {
        String path = csv("train.csv", "id,x1,x2,y\n1,1,0.5,10\n2,2,1.5,20\n");
        PreparedInput in = read(spec(path, List.of("x1", "x2"), List.of("y")));
        assertEquals(2, in.inputDim());
        assertEquals(1, in.outputDim());
        assertEquals(2, in.rows());
        assertArrayEquals(new double[] {2, 1.5}, byId(in.data(), InputTable.FEATURES_COLUMN).get(2L));
        assertArrayEquals(new double[] {20}, byId(in.data(), InputTable.LABELS_COLUMN).get(2L));
    }

    @Test
    void csvTypesSampledFromTheHeadAreThoseOfTheFullInferenceWhenEveryRowFits() {
        StringBuilder text = new StringBuilder("id,x,y,name\n");
        int rows = SourceReader.CSV_SAMPLE_LINES + 500;
        for (int i = 0; i < rows; i++) {
            text.append(i).append(',').append(i % 7).append(',').append(0.25 * i).append(",n").append(i).append('\n');
        }
        String path = csv("sampled.csv", text.toString());
        PreparedInput in = read(spec(path, List.of("x"), List.of("y")));
        assertEquals(rows, in.rows());
        String full = spark.read().option("header", "true").option("inferSchema", "true").csv(path).schema().toDDL();
        assertEquals(full, in.fingerprint().schema());
        assertEquals("id INT,x INT,y DOUBLE,name STRING", in.fingerprint().schema());
        assertFalse(java.util.Arrays.asList(in.data().columns()).contains(SourceReader.UNPARSED));
        assertArrayEquals(new double[] {(rows - 1) % 7}, byId(in.data(), InputTable.FEATURES_COLUMN).get(rows - 1L));
    }

    @Test
    void aCsvValueBeyondTheSampleThatDoesNotFitItsTypeIsReadAsTheFullInferenceReadsIt() {
        StringBuilder text = new StringBuilder("id,x,y\n");
        int rows = SourceReader.CSV_SAMPLE_LINES + 100;
        for (int i = 0; i < rows; i++) {
            // integers in the sampled head, then one decimal and one value too large for an int
            String x = i == rows - 2 ? "2.5" : i == rows - 1 ? "4000000000" : Integer.toString(i % 5);
            text.append(i).append(',').append(x).append(',').append(i).append('\n');
        }
        String path = csv("late-decimal.csv", text.toString());
        PreparedInput in = read(spec(path, List.of("x"), List.of("y")));
        assertEquals(rows, in.rows());
        assertEquals(0, in.droppedRows());
        assertEquals("id INT,x DOUBLE,y INT", in.fingerprint().schema());
        assertArrayEquals(new double[] {2.5}, byId(in.data(), InputTable.FEATURES_COLUMN).get(rows - 2L));
        assertArrayEquals(new double[] {4e9}, byId(in.data(), InputTable.FEATURES_COLUMN).get(rows - 1L));

        String word = csv("late-word.csv", text.toString().replace("\n" + (rows - 2) + ",2.5,", "\n" + (rows - 2) + ",abc,"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(spec(word, List.of("x"), List.of("y"))));
        assertTrue(e.getMessage().contains("Column 'x' of the features [x] has type string"), e.getMessage());
    }

    @Test
    void anExplicitFormatOverridesTheExtension() {
        String path = csv("table.txt", "id,x\n1,4.5\n");
        PreparedInput in = read(InputDescription.named(new InputSource(path, "CSV", null), List.of("x"), NO_LABELS,
                InvalidRows.ERROR));
        assertArrayEquals(new double[] {4.5}, byId(in.data(), InputTable.FEATURES_COLUMN).get(1L));
    }

    @Test
    void dropRemovesExactlyTheInvalidRowsAndCountsThem() {
        String path = parquet("drop", schema(field("id", LongType), field("x", DoubleType), field("a", DOUBLES),
                        field("y", DoubleType)),
                row(1L, 1.0, List.of(1.0, 2.0), 1.0),
                row(2L, null, List.of(1.0, 2.0), 1.0),
                row(3L, 3.0, List.of(1.0, 2.0), 1.0),
                row(4L, 4.0, List.of(Double.NaN, 2.0), 1.0),
                row(5L, 5.0, List.of(1.0, 2.0, 3.0), 1.0),
                row(6L, 6.0, List.of(1.0, 2.0), 1.0),
                row(7L, 7.0, List.of(1.0, 2.0), -INF),
                row(8L, 8.0, List.of(1.0, 2.0), 1.0));
        PreparedInput in = read(InputDescription.named(InputSource.of(path), List.of("x", "a"), List.of("y"),
                InvalidRows.SKIP));
        assertEquals(4, in.droppedRows());
        assertEquals(4, in.rows());
        assertEquals(3, in.inputDim());
        assertEquals(List.of(1L, 3L, 6L, 8L), new ArrayList<>(byId(in.data(), InputTable.FEATURES_COLUMN).keySet()));
        assertEquals(4, in.data().count());
    }

    @Test
    void allOriginalColumnsAreKeptBeforeTheAddedArrays() {
        PreparedInput in = read(spec(scalars(), List.of("x1"), List.of("x3")));
        assertEquals(List.of("id", "x1", "x2", "x3", "name", InputTable.FEATURES_COLUMN, InputTable.LABELS_COLUMN),
                Arrays.asList(in.data().columns()));
        List<String> names = in.data().orderBy("id").select("name").as(Encoders.STRING()).collectAsList();
        assertEquals(List.of("a", "b", "c"), names);
    }

    @Test
    void validationReadsTheDataOnceWithSparkExpressionsOnly() throws Exception {
        String path = parquet("once", schema(field("x", DoubleType), field("a", DOUBLES)),
                row(1.0, List.of(1.0)), row(2.0, List.of(2.0)), row(3.0, List.of(3.0)), row(4.0, List.of(4.0)),
                row(5.0, List.of(5.0)));
        Map<Integer, String> descriptions = new ConcurrentHashMap<>();
        AtomicLong recordsRead = new AtomicLong();
        SparkListener listener = new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted event) {
                String description = event.properties() == null ? null
                        : event.properties().getProperty("spark.job.description");
                descriptions.put(event.stageInfo().stageId(), String.valueOf(description));
            }

            @Override
            public void onStageCompleted(SparkListenerStageCompleted event) {
                if (descriptions.getOrDefault(event.stageInfo().stageId(), "").equals("validate input " + path)) {
                    recordsRead.addAndGet(event.stageInfo().taskMetrics().inputMetrics().recordsRead());
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        spark.sparkContext().setJobDescription("caller's job");
        try {
            PreparedInput in = read(InputDescription.named(InputSource.of(path), List.of("x", "a"), NO_LABELS,
                    InvalidRows.SKIP));
            assertEquals("caller's job", spark.sparkContext().getLocalProperty("spark.job.description"));
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(5, recordsRead.get(), "records read by the validation stages: one pass over 5 rows");
            assertTrue(descriptions.containsValue("find the width of column 'a' in " + path));
            String plan = in.data().queryExecution().optimizedPlan().toString();
            assertFalse(plan.contains("UDF"), plan);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
            spark.sparkContext().setJobDescription(null);
        }
    }

    @Test
    void doublesReadsTheAddedArraysInsideSparkFunctions() {
        String path = parquet("doubles", schema(field("id", LongType), field("a", DOUBLES), field("y", IntegerType)),
                row(1L, List.of(1.0, 2.0, 3.0), 4), row(2L, List.of(5.0, 6.0, 7.0), 8));
        PreparedInput in = read(spec(path, List.of("a"), List.of("y")));
        int xIndex = in.data().schema().fieldIndex(InputTable.FEATURES_COLUMN);
        int yIndex = in.data().schema().fieldIndex(InputTable.LABELS_COLUMN);
        List<Double> sums = in.data().orderBy("id").map((MapFunction<Row, Double>) r ->
                Arrays.stream(InputTable.doubles(r, xIndex)).sum() + InputTable.doubles(r, yIndex)[0],
                Encoders.DOUBLE()).collectAsList();
        assertEquals(List.of(10.0, 26.0), sums);
        Row nullArray = RowFactory.create(1L, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputTable.doubles(nullArray, 1));
        assertEquals("Array field 1 is null in row [1,null]", e.getMessage());
        assertArrayEquals(new double[] {1, 2}, InputTable.doubles(RowFactory.create(List.of(1.0, 2)), 0));
    }

    @Test
    void invalidRowsParsesSparkMlWordsAndTheOldOnes() {
        assertEquals(InvalidRows.SKIP, InvalidRows.parse("SKIP"));
        assertEquals(InvalidRows.ERROR, InvalidRows.parse(" error "));
        assertEquals(InvalidRows.SKIP, InvalidRows.parse("drop"), "version 0.1's word");
        assertEquals(InvalidRows.ERROR, InvalidRows.parse("fail"), "version 0.1's word");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InvalidRows.parse("keep"));
        assertEquals("Invalid value for invalid rows: 'keep' (expected one of: error, skip)", e.getMessage());
    }

    @Test
    void descriptionsRejectAnUnknownFormatAndAColumnNamedTwice() {
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
                () -> new InputSource("in.json", "json", null));
        assertEquals("Unknown input format 'json' (expected one of: parquet, csv, delta)", format.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> spec("in.parquet", List.of("x", "y"), List.of("y")));
        assertEquals("Column 'y' is named twice in features [x, y] / labels [y]", twice.getMessage());
        IllegalArgumentException schema = assertThrows(IllegalArgumentException.class,
                () -> new InputSource("in.parquet", "parquet", "x DOUBLE"));
        assertEquals("An input schema is for CSV files; parquet input in.parquet carries its own", schema.getMessage());
        assertEquals(List.of(), InputDescription.named(InputSource.of("in.parquet"), List.of("x"), NO_LABELS,
                InvalidRows.ERROR).labels());
    }

    @Test
    void theModelsColumnsAreFoundByNameInAnyOrderAmongOthers() {
        InputDescription model = new InputDescription(null, List.of(ColumnSpec.ofDim("x3", 1),
                ColumnSpec.ofDim("x1", 1)), List.of(), InvalidRows.ERROR);
        PreparedInput in = InputTable.read(spark, model.withSource(InputSource.of(scalars())), model);
        assertArrayEquals(new double[] {6, 2}, byId(in.data(), InputTable.FEATURES_COLUMN).get(2L));
        assertEquals(model.features(), in.columns().features());
    }

    @Test
    void aColumnOfAnotherTypeOrWidthThanTheModelsFailsNamingTheModelsExpectation() {
        String path = parquet("widths", schema(field("id", LongType), field("a", DOUBLES), field("x", DOUBLES)),
                row(1L, List.of(1.0, 2.0), List.of(1.0)), row(2L, List.of(3.0, 4.0), List.of(2.0)));
        InputDescription numberX = new InputDescription(null, List.of(ColumnSpec.ofDim("x", 1)), List.of(),
                InvalidRows.ERROR);
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> InputTable.read(spark, numberX.withSource(InputSource.of(path)), numberX));
        assertEquals("Column 'x' of the model's features [x] is an array of numbers (array<double>) in " + path
                + "; the model expects a number", type.getMessage());
        InputDescription threeWide = new InputDescription(null, List.of(new ColumnSpec("a", ColumnType.ARRAY, 3)),
                List.of(), InvalidRows.ERROR);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> InputTable.read(spark, threeWide.withSource(InputSource.of(path)), threeWide));
        assertTrue(width.getMessage().startsWith("2 of 2 rows in " + path + " are invalid: column 'a' has a width"
                + " other than 3 (the model's width) in 2 rows"), width.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> InputTable.read(spark,
                new InputDescription(InputSource.of(path), List.of(ColumnSpec.ofDim("time", 1),
                        ColumnSpec.ofDim("distance", 1)), List.of(), InvalidRows.ERROR),
                new InputDescription(null, List.of(ColumnSpec.ofDim("time", 1), ColumnSpec.ofDim("distance", 1)),
                        List.of(), InvalidRows.ERROR)));
        assertEquals("Column 'time' of the model's features [time, distance] not found in " + path
                + "; columns: id, a, x", missing.getMessage());
    }

    @Test
    void trainingTakesTheMostCommonWidthAndSkipsTheOthers() {
        String path = parquet("mostly-two", schema(field("id", LongType), field("a", DOUBLES)),
                row(1L, List.of(1.0, 2.0)), row(2L, List.of(3.0)), row(3L, List.of(4.0, 5.0)),
                row(4L, List.of(6.0, 7.0)));
        PreparedInput in = read(InputDescription.named(InputSource.of(path), List.of("a"), NO_LABELS,
                InvalidRows.SKIP));
        assertEquals(List.of(new ColumnSpec("a", ColumnType.ARRAY, 2)), in.columns().features());
        assertEquals(1, in.droppedRows());
        assertEquals(List.of(1L, 3L, 4L), new ArrayList<>(byId(in.data(), InputTable.FEATURES_COLUMN).keySet()));
    }

    @Test
    void columnsThatDifferOnlyInCaseAreReportedNotAStackTrace() {
        Dataset<Row> table = spark.createDataFrame(List.of(row(1.0, 2.0)),
                schema(field("x", DoubleType), field("X", DoubleType)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputTable.prepare(table,
                "the input", InputDescription.named(null, List.of("x"), NO_LABELS, InvalidRows.ERROR), null));
        assertEquals("Column 'x' of the features [x] is ambiguous in the input: columns x, X differ only in case;"
                + " rename one, or set spark.sql.caseSensitive=true", e.getMessage());
    }

    @Test
    void anExplicitCsvSchemaSkipsInferenceAndMakesBadValuesInvalidRows() {
        String path = csv("typed.csv", "id,x,y\n1,0.5,1\n2,abc,2\n3,1.5,3\n");
        InputDescription typed = InputDescription.named(new InputSource(path, null, "id LONG, x DOUBLE, y DOUBLE"),
                List.of("x"), List.of("y"), InvalidRows.SKIP);
        PreparedInput in = read(typed);
        assertEquals(1, in.droppedRows());
        assertEquals(List.of(1L, 3L), new ArrayList<>(byId(in.data(), InputTable.FEATURES_COLUMN).keySet()));
        assertEquals("id BIGINT,x DOUBLE,y DOUBLE", in.fingerprint().schema());
    }

    @Test
    void theFingerprintNamesThePathsSizeRowsAndSchema() throws IOException {
        PreparedInput in = read(spec(scalars(), List.of("x1"), List.of("x3")));
        InputFingerprint f = in.fingerprint();
        assertEquals(List.of("file:" + scalars()), f.paths());
        long bytes;
        try (Stream<Path> files = Files.walk(Path.of(scalars()))) {
            // Hadoop's local file system leaves its .crc side files out of a directory's size
            bytes = files.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".crc"))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(bytes, f.bytes());
        assertEquals(3, f.rows());
        assertEquals("id BIGINT,x1 INT,x2 DOUBLE,x3 DOUBLE,name STRING", f.schema());
        InputFingerprint grown = new InputFingerprint(f.paths(), f.bytes() + 10, 4, f.schema());
        assertEquals(List.of("size " + bytes + " → " + (bytes + 10) + " bytes", "rows 3 → 4"), grown.changesSince(f));
        assertEquals(List.of(), f.changesSince(f));
    }

    @Test
    void aCatalogTableOrAQueryIsReadAsAPathIs() {
        spark.read().parquet(scalars()).createOrReplaceTempView("scalars_view");
        PreparedInput table = InputTable.read(spark, InputDescription.named(InputSource.ofTable("scalars_view"),
                List.of("x2", "x1"), NO_LABELS, InvalidRows.ERROR), null);
        assertArrayEquals(new double[] {1.5, 2}, byId(table.data(), InputTable.FEATURES_COLUMN).get(2L));
        assertEquals(3, table.fingerprint().rows());
        PreparedInput query = InputTable.read(spark, InputDescription.named(InputSource.ofQuery(
                "SELECT id, x1 * 10 AS scaled FROM scalars_view WHERE id > 1"), List.of("scaled"), NO_LABELS,
                InvalidRows.ERROR), null);
        assertEquals(List.of(2L, 3L), new ArrayList<>(byId(query.data(), InputTable.FEATURES_COLUMN).keySet()));
        assertArrayEquals(new double[] {30}, byId(query.data(), InputTable.FEATURES_COLUMN).get(3L));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> InputTable.read(spark,
                InputDescription.named(InputSource.ofQuery("SELECT id FROM scalars_view"), List.of("x1"), NO_LABELS,
                        InvalidRows.ERROR), null));
        assertEquals("Column 'x1' of the features [x1] not found in query [SELECT id FROM scalars_view]; columns: id",
                missing.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new InputSource("a.parquet", null, null, "t", null));
        assertEquals("Give one input: a path, a table or a query, not 2", both.getMessage());
    }

    private static PreparedInput read(InputDescription spec) {
        return InputTable.read(spark, spec, null);
    }

    /** A model's columns with d_x = {@code width} (one array column) and no labels. */
    private static InputDescription featuresOfWidth(int width) {
        return new InputDescription(null, List.of(ColumnSpec.ofDim("v", width)), List.of(), InvalidRows.ERROR);
    }

    /** The {@code double[]} in {@code column} of each row, by the row's {@code id}, in id order. */
    private static Map<Long, double[]> byId(Dataset<Row> data, String column) {
        Map<Long, double[]> out = new TreeMap<>();
        int index = data.schema().fieldIndex(column);
        for (Row r : data.collectAsList()) {
            out.put(((Number) r.getAs("id")).longValue(), InputTable.doubles(r, index));
        }
        return out;
    }

    private static Arguments bad(String name, Supplier<InputDescription> spec, String message) {
        return new BadInputArgs(name, spec, null, message).arguments();
    }

    private record BadInputArgs(String name, Supplier<InputDescription> spec, InputDescription model,
                                String message) {
        Arguments arguments() {
            return Arguments.of(name, new BadInput(spec, model, message));
        }
    }

    private static InputDescription spec(String path, List<String> features, List<String> labels) {
        return InputDescription.named(InputSource.of(path), features, labels, InvalidRows.ERROR);
    }

    /** The {@link #SCALARS} table, written once per class and shared by the cases that only read it. */
    private static synchronized String scalars() {
        if (scalars == null) {
            scalars = parquet("scalars", SCALARS,
                    row(1L, 1, 0.5, 5.0, "a"), row(2L, 2, 1.5, 6.0, "b"), row(3L, 3, 2.5, 7.0, "c"));
        }
        return scalars;
    }

    /** Writes {@code rows} as one Parquet file in a Spark output directory {@code name}.parquet. */
    private static String parquet(String name, StructType schema, Row... rows) {
        String path = dir.resolve(name + ".parquet").toString();
        spark.createDataFrame(Arrays.asList(rows), schema).coalesce(1).write().parquet(path);
        return path;
    }

    private static String csv(String fileName, String content) {
        Path path = dir.resolve(fileName);
        try {
            Files.writeString(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path.toString();
    }

    private static StructType schema(StructField... fields) {
        return DataTypes.createStructType(fields);
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static Row row(Object... values) {
        return RowFactory.create(values);
    }
}
