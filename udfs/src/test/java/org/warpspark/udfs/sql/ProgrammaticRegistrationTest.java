package org.warpspark.udfs.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.warpspark.udfs.spatial.Affine;

/** A session without the extension gets every function from {@link WarpsparkFunctions#register}. */
class ProgrammaticRegistrationTest {
  @Test
  void registeredFunctionsAnswerLikeTheExtensionsOnes() {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("ProgrammaticRegistrationTest")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      WarpsparkFunctions.register(spark);
      for (SqlFunction f : WarpsparkFunctions.ALL) {
        assertEquals(1, spark.sql("SHOW FUNCTIONS LIKE '" + f.name() + "'").count(), f.name());
      }
      Affine m = WarpsparkFunctionsTest.MOTION.toAffine(WarpsparkFunctionsTest.CENTRE);
      List<Row> rows = spark.sql("SELECT ws_apply_matrix(" + WarpsparkFunctionsTest.array(m.rowMajor())
          + ", array(1d, 2d, 3d)), ws_flow_magnitude(array(3f), array(4f), NULL)").collectAsList();
      assertArrayEquals(m.apply(new double[] {1, 2, 3}),
          rows.get(0).<Double>getList(0).stream().mapToDouble(Double::doubleValue).toArray(), 1e-12);
      assertEquals(5.0, rows.get(0).getStruct(1).getDouble(1), 1e-12);
    } finally {
      spark.stop();
    }
  }
}
