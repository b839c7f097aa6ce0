package io.sparkmdn.ml;

import io.sparkmdn.data.SeedToy;
import io.sparkmdn.data.XYData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Tables for the Spark ML tests. */
final class MlTestData {

    private MlTestData() {
    }

    /** Seed-toy rows {@code id} (long), {@code x}, {@code y} (double), ids [0, rows). */
    static Dataset<Row> seedToy(SparkSession spark, long seed, int rows, int partitions) {
        XYData d = SeedToy.generate(seed, 0, rows);
        List<Row> list = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            list.add(RowFactory.create((long) i, d.x()[i], d.y()[i]));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("x", DataTypes.DoubleType, true)
                .add("y", DataTypes.DoubleType, true);
        return spark.createDataFrame(list, schema).repartition(partitions);
    }
}
