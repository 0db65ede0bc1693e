package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.testing.DebianPython;
import org.warpspark.udfs.testing.ExternalTool;

/**
 * scripts/python/flow_field_nifti.py rebuilds a pair's field from its flow_fields rows (JSON lines from sql)
 * into the same NIfTI as the exported displacement.nii.gz: nibabel reads both and finds the same
 * voxels, affine and vector intent. A 3D pair on a rotated grid, so slices and directions matter.
 */
class FlowFieldNiftiScriptTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SparkSessions.builder("FlowFieldNiftiScriptTest", "local[2]").config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  @Test
  void theScriptRebuildsTheExportedField() throws Exception {
    Assumptions.assumeTrue(DebianPython.hasModule("nibabel"), "Debian's python3-nibabel (.ci/run installs it)");
    SamplePairs samples = SamplePairs.write(dir);
    PairSpec pair = Manifest.read(spark, samples.manifest.toString()).stream()
        .filter(p -> p.pairId().equals("sample_3d")).findFirst().orElseThrow();
    PairSpec deformable = new PairSpec(pair.pairId(), pair.fixed(), pair.moving(), null, null, null,
        Map.of("stages", "affine,deformable", "model", "rigid"));
    String out = dir.resolve("tables").toString();
    RunJob.run(spark, RunJob.Options.of("test", List.of(deformable), out, "f1", RegistrationConfig.of(RunJobTest.QUICK))
        .withExports(true), new PrintWriter(new StringWriter(), true));

    // the rows as the script's documentation fetches them: sql --format json
    picocli.CommandLine sql = org.warpspark.cli.WarpsparkCli.commandLine();
    StringWriter json = new StringWriter();
    sql.setOut(new PrintWriter(json, true));
    assertEquals(0, sql.execute("sql", "--tables", out, "--format", "json", "--limit", "100000",
        "SELECT * FROM flow_fields WHERE run_id = 'f1' AND pair_id = 'sample_3d'"));
    String rows = json.toString();
    Path rebuilt = dir.resolve("rebuilt.nii.gz");
    ExternalTool.run(List.of(DebianPython.EXECUTABLE, ROOT.resolve("scripts/python/flow_field_nifti.py").toString(),
        rebuilt.toString()), dir, rows);
    Path exported = dir.resolve("tables/exports/run_id=f1/sample_3d/displacement.nii.gz");
    String verdict = DebianPython.run(String.join("\n",
        "import nibabel, numpy",
        "a = nibabel.load('" + exported + "')",
        "b = nibabel.load('" + rebuilt + "')",
        "assert a.shape == b.shape, (a.shape, b.shape)",
        "assert numpy.array_equal(a.get_fdata(), b.get_fdata()), 'voxels differ'",
        "assert numpy.allclose(a.affine, b.affine, atol=1e-4), (a.affine, b.affine)",
        "assert numpy.allclose(a.get_qform(), b.get_qform(), atol=1e-4), (a.get_qform(), b.get_qform())",
        "assert int(b.header['intent_code']) == 1007",
        "print('same field', a.shape)"), "");
    assertEquals("same field (36, 32, 28, 1, 3)", verdict.strip());
  }
}
