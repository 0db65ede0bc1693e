package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.spark.RunJob;
import org.warpspark.spark.SamplePairs;
import org.warpspark.spark.SparkSessions;
import org.warpspark.udfs.table.Registrations;

/**
 * What a user gets from {@code register-pair} is exactly what the batch job computes for the same pair
 * and settings: the same matrices, losses and fields, to the last bit, in 2D and 3D, affine and
 * deformable.
 */
class RegisterPairMatchesBatchTest {
  private static final Map<String, String> SETTINGS = Map.of("iterations", "40,30,60", "deformable-iterations",
      "30,20,10", "seed", "3");

  @Test
  void registerPairAndTheBatchJobFindTheSameMaps(@TempDir Path dir) throws Exception {
    SamplePairs.write(dir);
    List<PairSpec> pairs = new ArrayList<>();
    for (String dims : List.of("2d", "3d")) {
      for (String stages : List.of("affine", "affine,deformable")) {
        String id = dims + "_" + stages.replace(",", "_");
        pairs.add(new PairSpec(id, dir.resolve("sample_" + dims + "_fixed.nii.gz").toString(),
            dir.resolve("sample_" + dims + "_moving.nii.gz").toString(), null, null, null, Map.of("stages", stages)));
      }
    }
    String tables = dir.resolve("tables").toString();
    SparkSession spark = SparkSessions.builder("RegisterPairMatchesBatchTest", "local[1]")
        .config("spark.ui.enabled", "false").getOrCreate();
    Map<String, Row> rows = new HashMap<>();
    try {
      RunJob.Options options = RunJob.Options.of("test", pairs, tables, "r", RegistrationConfig.of(SETTINGS))
          .withExports(true);
      assertEquals(0, RunJob.run(spark, options, new PrintWriter(new StringWriter())).failed());
      for (Row row : spark.read().parquet(tables + "/" + Registrations.TABLE.name()).collectAsList()) {
        rows.put(row.getAs(Registrations.PAIR_ID) + "/" + row.getAs(Registrations.STAGE), row);
      }
    } finally {
      spark.stop();
    }

    for (PairSpec pair : pairs) {
      Path out = dir.resolve("register-pair-" + pair.pairId());
      List<String> args = new ArrayList<>(List.of("register-pair", "--fixed", pair.fixed(), "--moving", pair.moving(),
          "--out", out.toString(), "--stages", pair.overrides().get("stages")));
      SETTINGS.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
      assertEquals(0, WarpsparkCli.commandLine().execute(args.toArray(String[]::new)), pair.pairId());
      JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();

      Row affine = rows.get(pair.pairId() + "/affine");
      assertArrayEquals(doubles(affine, Registrations.FIXED_TO_MOVING), flatten(summary.getAsJsonArray("fixed_to_moving")),
          pair.pairId() + ": the affine matrix");
      assertEquals((double) affine.getAs(Registrations.FINAL_LOSS), summary.get("final_loss").getAsDouble(), pair.pairId());
      assertSameFile(affine, "itk_transform", out.resolve("transform.tfm"));
      assertSameFile(affine, "ants_affine", out.resolve("0GenericAffine.mat"));
      assertSameFile(affine, "elastix_parameters", out.resolve("TransformParameters.txt"));
      Row last = affine;
      if (pair.overrides().get("stages").contains("deformable")) {
        last = rows.get(pair.pairId() + "/deformable");
        assertEquals((double) last.getAs(Registrations.FINAL_LOSS),
            summary.getAsJsonObject("deformable").get("final_loss").getAsDouble(), pair.pairId());
        assertSameFile(last, "displacement_field", out.resolve("displacement.nii.gz"));
      }
      assertSameFile(last, "ants_composite", out.resolve("Composite.h5"));
      assertSameFile(last, "warped", out.resolve("warped.nii.gz"));
    }
  }

  /** The batch job's export of {@code kind} (from the row's exports column) and register-pair's file hold the same bytes. */
  private static void assertSameFile(Row row, String kind, Path ours) throws Exception {
    Map<String, String> exports = row.getJavaMap(row.fieldIndex(Registrations.EXPORTS));
    Path batch = Path.of(URI.create(exports.get(kind)).getPath());
    assertArrayEquals(Files.readAllBytes(batch), Files.readAllBytes(ours), row.getAs(Registrations.PAIR_ID) + ": " + kind);
  }

  private static double[] doubles(Row row, String column) {
    return row.<Double>getList(row.fieldIndex(column)).stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] flatten(JsonArray rows) {
    List<Double> values = new ArrayList<>();
    rows.forEach(r -> r.getAsJsonArray().forEach(v -> values.add(v.getAsDouble())));
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
