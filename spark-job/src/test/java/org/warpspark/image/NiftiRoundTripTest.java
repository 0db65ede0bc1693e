package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.warpspark.image.Fixtures.assertGridClose;
import static org.warpspark.image.Fixtures.assertVoxelsEqual;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.warpspark.udfs.spatial.Grid;

/** Write then read keeps voxels exactly and geometry to float32 header precision. */
class NiftiRoundTripTest {
  /** The NIfTI header stores float32: about 1e-7 relative on values of tens of mm. */
  private static final double HEADER_TOLERANCE = 1e-5;

  @TempDir
  Path dir;

  static Stream<Arguments> everyTypeAndSuffix() {
    return Stream.of(PixelType.values()).flatMap(t -> Stream.of(".nii", ".nii.gz").flatMap(
        suffix -> Stream.of(Arguments.of(t, suffix, Fixtures.grid3d()), Arguments.of(t, suffix, Fixtures.grid2d()))));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("everyTypeAndSuffix")
  void roundTripKeepsVoxelsTypeAndGeometry(PixelType type, String suffix, Grid grid) {
    Image written = Fixtures.image(grid, type);
    String file = dir.resolve("img" + suffix).toString();

    ImageFiles.write(written, file);
    Image read = ImageFiles.read(file);

    assertEquals(type, read.storedAs());
    assertGridClose(grid, read.grid(), HEADER_TOLERANCE);
    assertVoxelsEqual(written.voxels(), read.voxels());
  }

  @Test
  void reflectedDirectionSurvivesThroughSformAndThroughQform() throws IOException {
    Grid grid = Fixtures.reflectedGrid3d();
    Path file = dir.resolve("reflected.nii");
    ImageFiles.write(Fixtures.image(grid, PixelType.FLOAT32), file.toString());
    assertGridClose(grid, ImageFiles.read(file.toString()).grid(), HEADER_TOLERANCE);

    // Clear sform_code so the reader must rebuild the geometry from quaternion, qfac and pixdim.
    byte[] bytes = Files.readAllBytes(file);
    bytes[254] = 0;
    bytes[255] = 0;
    Files.write(file, bytes);
    assertGridClose(grid, ImageFiles.read(file.toString()).grid(), HEADER_TOLERANCE);
  }

  static Stream<double[]> directionsForQform() {
    return Stream.of(Fixtures.directionsForQform());
  }

  @ParameterizedTest
  @MethodSource("directionsForQform")
  void qformAloneGivesTheSameGeometryAsTheSform(double[] direction) throws IOException {
    Grid grid = new Grid(new int[] {7, 5, 3}, new double[] {0.7, 1.3, 2.9}, new double[] {-12.5, 33.25, 7.125},
        direction);
    Path file = dir.resolve("q.nii");
    ImageFiles.write(Fixtures.image(grid, PixelType.INT16), file.toString());
    byte[] bytes = Files.readAllBytes(file);
    bytes[254] = 0;
    Files.write(file, bytes);
    assertGridClose(grid, ImageFiles.read(file.toString()).grid(), HEADER_TOLERANCE);
  }

  @Test
  void writerRoundsToNearestAndClampsIntoTheStoredType() {
    Grid grid = Grid.of(new int[] {3, 2}, new double[] {1, 1}, new double[2]);
    float[] values = {-3.7f, 255.6f, 12.5f, 13.5f, 99.49f, 1e9f};
    String file = dir.resolve("clamp.nii").toString();

    ImageFiles.write(new Image(grid, values, PixelType.UINT8), file);

    assertVoxelsEqual(new float[] {0, 255, 12, 14, 99, 255}, ImageFiles.read(file).voxels());
  }

  @Test
  void twoDimensionalImageIsWrittenWithDimZeroTwo() throws IOException {
    Path file = dir.resolve("flat.nii");
    ImageFiles.write(Fixtures.image(Fixtures.grid2d(), PixelType.UINT8), file.toString());
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(2, bytes[40]);
    assertEquals(1, bytes[46]);
  }
}
