package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.Phantom;
import org.warpspark.testing.Transformix;
import org.warpspark.udfs.metric.TransformError;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.MotionParameters;

/**
 * The register-pair contract end to end: its files exist and agree with each other, the transform
 * recovers the known motion, and Debian's transformix, applying our TransformParameters.txt, reproduces
 * our warped image on a grid with rotated direction cosines.
 */
class RegisterPairTransformixTest {
  @Test
  void transformixReproducesOurWarpedImage(@TempDir Path dir) throws Exception {
    assumeTrue(Transformix.available(), "Debian's elastix package is not installed");
    double c = Math.cos(Math.toRadians(25)), s = Math.sin(Math.toRadians(25));
    Grid grid = new Grid(new int[] {41, 37, 29}, new double[] {1.5, 1.25, 2.0}, new double[] {-31.0, 12.5, -20.0},
        new double[] {c, 0, s, 0, 1, 0, -s, 0, c});
    MotionParameters motion = MotionParameters.identity(3);
    motion.translation()[0] = 2.5;
    motion.translation()[2] = -1.5;
    motion.angles()[2] = Math.toRadians(5);
    Affine truth = motion.toAffine(grid.centre());
    Phantom phantom = Phantom.inside(grid, 9);
    String fixed = dir.resolve("fixed.mha").toString();
    String moving = dir.resolve("moving.mha").toString();
    ImageFiles.write(phantom.render(grid), fixed);
    ImageFiles.write(phantom.renderMoving(grid, truth, DoubleUnaryOperator.identity()), moving);
    Path out = dir.resolve("out");

    int code = WarpsparkCli.commandLine().execute("register-pair", "--fixed", fixed, "--moving", moving, "--out",
        out.toString(), "--stages", "affine", "--model", "rigid", "--loss", "ncc");
    assertEquals(0, code);

    Affine found = ItkTransformFile.read(out.resolve("transform.tfm"));
    double centreError = TransformError.centreDistanceMm(found, truth, grid);
    double rotationError = TransformError.rotationDegrees(found, truth);
    assertTrue(centreError < 0.2 * 1.25, "centre error " + centreError + " mm");
    assertTrue(rotationError < 0.2, "rotation error " + rotationError + " degrees");
    JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    assertEquals(found.get(0, 3), summary.getAsJsonArray("fixed_to_moving").get(0).getAsJsonArray().get(3).getAsDouble(),
        1e-12, "summary.json and transform.tfm hold the same matrix");

    Image theirs = Transformix.resample(moving, out.resolve("TransformParameters.txt"), dir.resolve("transformix"));
    Image ours = ImageFiles.read(out.resolve("warped.mha").toString());
    assertEquals(ours.grid().dim(), theirs.grid().dim());
    assertTrue(ours.grid().indexToPhysical().maxAbsDifference(theirs.grid().indexToPhysical()) < 1e-4,
        "same fixed grid: " + ours.grid() + " vs " + theirs.grid());

    Transformix.Agreement agreement = Transformix.agreement(ours, theirs);
    assertTrue(agreement.compared() > ours.voxels().length / 2, "most voxels compared: " + agreement.compared());
    assertTrue(agreement.rms() < 1e-3 * agreement.range(), "RMS difference " + agreement.rms() + " of intensity range "
        + agreement.range());
  }
}
