package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ReadLimits;
import org.warpspark.sample.Phantom;
import org.warpspark.testing.Transformix;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.image.PixelType;
import org.warpspark.udfs.testing.ItkTool;

/**
 * register-pair with a deformable stage and label maps: it writes the whole map as
 * displacement.nii.gz, transformix applying that field reproduces our warped image, the map does not
 * fold, Dice of the warped labels improves over the affine result, and ITK reads the ANTs-named
 * composites as the same maps.
 */
class RegisterPairDeformableTest {

  /** Two labels by intensity: the body (1) and its bright blobs (2). */
  private static Image labels(Image image) {
    float[] l = new float[image.voxels().length];
    for (int i = 0; i < l.length; i++) {
      float v = image.voxels()[i];
      l[i] = v > 1.2f ? 2 : v > 0.5f ? 1 : 0;
    }
    return new Image(image.grid(), l, org.warpspark.image.PixelType.UINT8);
  }

  @Test
  void transformixAppliesTheWrittenFieldLikeOurWarp(@TempDir Path dir) throws Exception {
    assumeTrue(Transformix.available(), "Debian's elastix package is not installed");
    double c = Math.cos(Math.toRadians(12));
    double s = Math.sin(Math.toRadians(12));
    Grid grid = new Grid(new int[] {80, 72}, new double[] {1.0, 1.1}, new double[] {-30, -35}, new double[] {c, -s, s, c});
    Phantom phantom = Phantom.inside(grid, 4);
    double[] centre = grid.centre();
    Image fixed = phantom.render(grid);
    // The moving image: the phantom seen through a smooth bump of up to ~5 mm (plus a shift); a smaller one
    // leaves the affine result's Dice at the floor set by nearest-neighbour label sampling.
    int[] size = grid.size();
    float[] v = new float[size[0] * size[1]];
    for (int flat = 0; flat < v.length; flat++) {
      double[] y = grid.indexToPhysical().apply(new double[] {flat % size[0], flat / size[0]});
      double dx = (y[0] - centre[0]) / 12;
      double dy = (y[1] - centre[1]) / 12;
      double bump = Math.exp(-0.5 * (dx * dx + dy * dy));
      v[flat] = (float) phantom.valueAt(new double[] {y[0] - 1.0 - 5 * bump * Math.sin(dy), y[1] + 0.5 + 5 * bump * dx});
    }
    String fixedFile = dir.resolve("fixed.nii.gz").toString();
    String movingFile = dir.resolve("moving.nii.gz").toString();
    ImageFiles.write(fixed, fixedFile);
    ImageFiles.write(Image.of(grid, v), movingFile);
    String fixedLabels = dir.resolve("fixed_labels.nii.gz").toString();
    String movingLabels = dir.resolve("moving_labels.nii.gz").toString();
    ImageFiles.write(labels(fixed), fixedLabels);
    ImageFiles.write(labels(Image.of(grid, v)), movingLabels);
    Path out = dir.resolve("out");

    int code = WarpsparkCli.commandLine().execute("register-pair", "--fixed", fixedFile, "--moving", movingFile,
        "--out", out.toString(), "--model", "rigid", "--stages", "affine,deformable",
        // A piecewise-constant phantom: in its flat regions local NCC (the default) has no texture to hold
        // on to and the flow drifts (BENCHMARKS.md); one modality, so mean squares.
        "--deformable-loss", "mse",
        "--inverse-consistency", "--fixed-labels", fixedLabels, "--moving-labels", movingLabels, "--qc");
    assertEquals(0, code);
    for (String picture : List.of("checkerboard_before", "checkerboard_affine", "checkerboard_deformable", "jacobian",
        "displacement", "edges_before", "edges_deformable", "contours_before", "contours_deformable")) {
      java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("qc").resolve(picture + ".png").toFile());
      assertTrue(png != null && png.getWidth() > grid.size()[0], picture + " is a PNG of the fixed grid's plane");
    }
    assertTrue(Files.readString(out.resolve("qc/loss_curves.svg")).contains("deformable stage loss"));
    assertTrue(Files.exists(out.resolve("displacement.nii.gz")));
    assertTrue(Files.exists(out.resolve("inverse_displacement.nii.gz")));
    assertTrue(Files.exists(out.resolve("warped_labels.nii.gz")));
    JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
    JsonObject stage = summary.getAsJsonObject("deformable");
    assertEquals(0.0, stage.get("folding_fraction").getAsDouble());
    // The reverse registration undoes the forward one to a third of a voxel (1 mm spacing); measured 0.25 mm.
    double inconsistency = stage.get("inverse_consistency_mean_mm").getAsDouble();
    assertTrue(inconsistency > 0 && inconsistency < 0.33, "inverse consistency " + inconsistency + " mm");
    assertTrue(stage.get("inverse_consistency_counted_fraction").getAsDouble() > 0.9);
    // The written inverse undoes the map far more closely than a second registration does.
    double inverseMap = stage.get("inverse_map_error_mean_mm").getAsDouble();
    assertTrue(inverseMap > 0 && inverseMap < 0.1, "inverse map error " + inverseMap + " mm");
    JsonObject dice = summary.getAsJsonObject("dice_by_stage");
    for (String label : dice.getAsJsonObject("none").keySet()) {
      double none = dice.getAsJsonObject("none").get(label).getAsDouble();
      double affine = dice.getAsJsonObject("affine").get(label).getAsDouble();
      double deformable = dice.getAsJsonObject("deformable").get(label).getAsDouble();
      assertTrue(affine > none && deformable > affine, "Dice of label " + label + ": none " + none + ", affine "
          + affine + ", deformable " + deformable);
    }

    Path parameters = dir.resolve("field.txt");
    Files.writeString(parameters, ElastixTransformParameters.formatDisplacementField(
        out.resolve("displacement.nii.gz").toString(), grid, ElastixTransformParameters.Options.defaults()));
    Image theirs = Transformix.resample(movingFile, parameters, dir.resolve("transformix"));
    Image ours = ImageFiles.read(out.resolve("warped.nii.gz").toString());
    Transformix.Agreement agreement = Transformix.agreement(ours, theirs);
    assertTrue(agreement.compared() > ours.voxels().length / 2, "most voxels compared: " + agreement.compared());
    assertTrue(agreement.rms() < 2e-3 * agreement.range(), "RMS difference " + agreement.rms() + " of intensity range "
        + agreement.range());

    assertItkReadsTheCompositesAsTheFields(dir, out, grid, movingFile);
  }

  /**
   * ITK reads Composite.h5 and resamples the moving image as our warp did; it maps fixed points through
   * it as displacement.nii.gz maps them, and moving points through InverseComposite.h5 as
   * inverse_displacement.nii.gz does.
   */
  private static void assertItkReadsTheCompositesAsTheFields(Path dir, Path out, Grid grid, String movingFile)
      throws Exception {
    assumeTrue(ItkTool.available(), "ITK (libinsighttoolkit5-dev), cmake and a C++ compiler are not installed");
    Path itkWarped = dir.resolve("itk_warped.nii.gz");
    ItkTool.resample(2, Path.of(movingFile), out.resolve("warped.nii.gz"), itkWarped, "Linear", 0,
        List.of(out.resolve("Composite.h5").toString()));
    Transformix.Agreement agreement = Transformix.agreement(ImageFiles.read(out.resolve("warped.nii.gz").toString()),
        ImageFiles.read(itkWarped.toString()));
    assertTrue(agreement.rms() < 1e-3 * agreement.range(), "ITK through Composite.h5: RMS difference "
        + agreement.rms() + " of intensity range " + agreement.range());
    for (String[] files : new String[][] {{"Composite.h5", "displacement.nii.gz"},
        {"InverseComposite.h5", "inverse_displacement.nii.gz"}}) {
      DisplacementField field = ImageFiles.readDisplacementField(out.resolve(files[1]).toString(),
          new Configuration(), ReadLimits.DEFAULT);
      Random random = new Random(3);
      double[][] points = new double[300][];
      for (int n = 0; n < points.length; n++) {
        points[n] = grid.indexToPhysical().apply(new double[] {random.nextDouble() * (grid.size()[0] - 1),
            random.nextDouble() * (grid.size()[1] - 1)});
      }
      double[][] itk = ItkTool.mapPoints(out.resolve(files[0]), points);
      double[] u = new double[2];
      for (int n = 0; n < points.length; n++) {
        assertTrue(field.at(points[n], grid.physicalToIndex(), u));
        for (int a = 0; a < 2; a++) {
          assertEquals(points[n][a] + u[a], itk[n][a], 1e-4, files[0] + " point " + n);
        }
      }
    }
  }
}
