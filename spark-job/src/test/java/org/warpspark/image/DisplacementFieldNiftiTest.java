package org.warpspark.image;

import org.warpspark.sample.Phantom;
import org.warpspark.udfs.spatial.FixedToMoving;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.engine.sample.Warper;
import org.warpspark.testing.Transformix;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;

/**
 * A displacement field written as NIfTI is what ITK-based tools expect: nibabel sees a 5-D vector
 * image with LPS components on the fixed grid, and transformix, applying it as a
 * {@code DeformationFieldTransform}, resamples a moving image exactly as the map it came from.
 */
class DisplacementFieldNiftiTest {
  private static final double C = Math.cos(Math.toRadians(20));
  private static final double S = Math.sin(Math.toRadians(20));

  private static Grid obliqueGrid() {
    return new Grid(new int[] {23, 19, 17}, new double[] {1.5, 1.2, 2.0}, new double[] {-20, 11, -7},
        new double[] {C, -S, 0, S, C, 0, 0, 0, 1});
  }

  private static Affine knownMap(Grid grid) {
    MotionParameters p = MotionParameters.identity(3);
    p.translation()[0] = 2.5;
    p.translation()[1] = -1.5;
    p.translation()[2] = 1.0;
    p.angles()[2] = Math.toRadians(6);
    p.logScales()[0] = 0.05;
    return p.toAffine(grid.centre());
  }

  @Test
  void readsBackWhatItWritesExactly(@TempDir Path dir) {
    Grid grid = obliqueGrid();
    DisplacementField field = DisplacementField.of(grid, knownMap(grid));
    String file = dir.resolve("field.nii.gz").toString();
    ImageFiles.writeDisplacementField(field, file, new Configuration());
    DisplacementField back = ImageFiles.readDisplacementField(file, new Configuration(), ReadLimits.DEFAULT);
    assertTrue(grid.sameGeometry(back.grid(), 1e-5), "the grid within NIfTI-1's float precision: " + back.grid());
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(field.components()[c], back.components()[c], 0f);
    }
  }

  /**
   * Fields as other tools write them, through nibabel: ANTs' doubles under intent 1007 keep their LPS
   * components; intent 1006 ({@code NIFTI_INTENT_DISPVECT}) holds RAS components, whose x and y are
   * negated on reading, as ITK 5.4 does. A scalar image or another intent is refused.
   */
  @Test
  void readsDoublesAndTheRasIntentAndRefusesWhatIsNoField(@TempDir Path dir) throws Exception {
    assumeTrue(Nibabel.available(), "Debian python3-nibabel is not installed");
    Nibabel.run("""
        import sys, numpy, nibabel
        u = numpy.zeros((4, 3, 2, 1, 3), dtype=numpy.float64)
        u[1, 2, 1, 0, :] = [1.25, -2.5, 3.75]
        affine = numpy.diag([2.0, 2.0, 2.0, 1.0])
        for name, intent in (('vector', 1007), ('dispvect', 1006), ('stats', 1002)):
            img = nibabel.Nifti1Image(u, affine)
            img.header['intent_code'] = intent
            nibabel.save(img, sys.argv[1] + '/' + name + '.nii.gz')
        nibabel.save(nibabel.Nifti1Image(u[:, :, :, 0, 0], affine), sys.argv[1] + '/scalar.nii.gz')
        """, dir.toString());
    int flat = 1 + 4 * (2 + 3 * 1);
    DisplacementField lps = ImageFiles.readDisplacementField(dir.resolve("vector.nii.gz").toString(),
        new Configuration(), ReadLimits.DEFAULT);
    assertArrayEquals(new float[] {1.25f, -2.5f, 3.75f},
        new float[] {lps.components()[0][flat], lps.components()[1][flat], lps.components()[2][flat]});
    DisplacementField ras = ImageFiles.readDisplacementField(dir.resolve("dispvect.nii.gz").toString(),
        new Configuration(), ReadLimits.DEFAULT);
    assertArrayEquals(new float[] {-1.25f, 2.5f, 3.75f},
        new float[] {ras.components()[0][flat], ras.components()[1][flat], ras.components()[2][flat]});
    Path whole = dir.resolve("whole.nii");
    ImageFiles.writeDisplacementField(new DisplacementField(obliqueGrid(), new float[3][23 * 19 * 17]),
        whole.toString(), new Configuration());
    Path cut = Files.write(dir.resolve("cut.nii"), java.util.Arrays.copyOf(Files.readAllBytes(whole), 4000));
    CorruptImageException truncated = org.junit.jupiter.api.Assertions.assertThrows(CorruptImageException.class,
        () -> ImageFiles.readDisplacementField(cut.toString(), new Configuration(), ReadLimits.DEFAULT));
    assertTrue(truncated.getMessage().contains("truncated vector data"), truncated.getMessage());
    for (String name : new String[] {"stats", "scalar"}) {
      String file = dir.resolve(name + ".nii.gz").toString();
      UnsupportedImageException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedImageException.class,
          () -> ImageFiles.readDisplacementField(file, new Configuration(), ReadLimits.DEFAULT));
      assertTrue(e.getMessage().contains(file) && (e.getMessage().contains("intent_code 1002")
          || e.getMessage().contains("is not a 3D displacement field")), e.getMessage());
    }
  }

  @Test
  void nibabelSeesAFiveDimensionalVectorImageWithLpsComponents(@TempDir Path dir) throws Exception {
    assumeTrue(Nibabel.available(), "Debian python3-nibabel is not installed");
    Grid grid = obliqueGrid();
    DisplacementField field = DisplacementField.of(grid, knownMap(grid));
    String file = dir.resolve("field.nii.gz").toString();
    ImageFiles.writeDisplacementField(field, file, new Configuration());
    int flat = 5 + 23 * (7 + 19 * 3);
    Map<String, double[]> out = Nibabel.run("""
        import sys, nibabel
        img = nibabel.load(sys.argv[1])
        print('shape', *img.shape)
        print('intent', img.header['intent_code'])
        print('u', *img.get_fdata()[5, 7, 3, 0, :])
        print('affine', *img.affine[:3, :].ravel())
        """, file);
    assertArrayEquals(new double[] {23, 19, 17, 1, 3}, out.get("shape"));
    assertArrayEquals(new double[] {1007}, out.get("intent"));
    double[] expected = {field.components()[0][flat], field.components()[1][flat], field.components()[2][flat]};
    assertArrayEquals(expected, out.get("u"), 1e-6, "components stored as LPS, not flipped to RAS");
    double[] lps = grid.indexToPhysical().rowMajor();
    double[] ras = out.get("affine");
    for (int r = 0; r < 3; r++) {
      double sign = r < 2 ? -1 : 1;
      for (int c = 0; c < 4; c++) {
        assertEquals(sign * lps[r * 4 + c], ras[r * 4 + c], 1e-4, "sform row " + r + " col " + c);
      }
    }
  }

  @Test
  void transformixAppliesTheFieldLikeTheMapItCameFrom(@TempDir Path dir) throws Exception {
    assumeTrue(Transformix.available(), "Debian's elastix package is not installed");
    Grid grid = obliqueGrid();
    Affine map = knownMap(grid);
    Image moving = Phantom.inside(grid, 5).renderMoving(grid, Affine.identity(3), DoubleUnaryOperator.identity());
    String movingFile = dir.resolve("moving.mha").toString();
    ImageFiles.write(moving, movingFile);
    String fieldFile = dir.resolve("field.nii.gz").toString();
    ImageFiles.writeDisplacementField(DisplacementField.of(grid, map), fieldFile, new Configuration());
    Path parameters = dir.resolve("TransformParameters.txt");
    Files.writeString(parameters, ElastixTransformParameters.formatDisplacementField(fieldFile, grid,
        ElastixTransformParameters.Options.defaults()));
    Image theirs = Transformix.resample(movingFile, parameters, dir.resolve("out"));
    Image ours;
    try (NDManager manager = NativeScope.openCpu()) {
      ours = Warper.warp(moving, grid, new FixedToMoving.Linear(map), Warper.Interpolation.LINEAR, manager);
    }
    Transformix.Agreement agreement = Transformix.agreement(ours, theirs);
    assertTrue(agreement.compared() > ours.voxels().length / 2, "most voxels compared: " + agreement.compared());
    assertTrue(agreement.rms() < 1e-3 * agreement.range(), "RMS difference " + agreement.rms() + " of intensity range "
        + agreement.range());
  }
}
