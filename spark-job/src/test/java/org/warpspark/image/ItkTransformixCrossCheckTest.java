package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.warpspark.udfs.spatial.Grid;

/**
 * Our NIfTI and MetaImage files against ITK itself, through Debian's transformix (elastix 5 on ITK 5):
 * transformix reads our file with ITK, resamples it with an identity transform and nearest-neighbour
 * interpolation onto the grid we name in its parameter file, and writes the result with ITK's
 * MetaImageIO. Same voxels back means ITK placed our file's voxels where we say they are; the
 * result's header, read by us, must be that grid, and its {@code TransformMatrix} must list the
 * direction exactly as our writer does (column by column). Skipped only where elastix is not installed.
 */
class ItkTransformixCrossCheckTest {
  private static final String TRANSFORMIX = "/usr/bin/transformix";

  @TempDir
  Path dir;

  static Stream<Arguments> gridsAndFormats() {
    return Stream.of(Fixtures.grid3d(), Fixtures.reflectedGrid3d(), Fixtures.grid2d()).flatMap(
        grid -> Stream.of(".nii.gz", ".mha", ".mhd").map(suffix -> Arguments.of(grid, suffix)));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("gridsAndFormats")
  void itkResamplesOurFileOntoItsOwnGridUnchanged(Grid grid, String suffix) throws Exception {
    assumeTrue(new File(TRANSFORMIX).canExecute(), "Debian's elastix package is not installed");
    Image input = Fixtures.image(grid, PixelType.INT16);
    Path in = dir.resolve("in" + suffix);
    ImageFiles.write(input, in.toString());
    Path parameters = Files.writeString(dir.resolve("identity.txt"), identityParameters(grid));
    Path out = Files.createDirectories(dir.resolve("out"));

    runTransformix(in, parameters, out);

    Path result = out.resolve("result.mha");
    Image resampled = ImageFiles.read(result.toString());
    assertEquals(grid, resampled.grid());
    Fixtures.assertVoxelsEqual(input.voxels(), resampled.voxels());
    assertArrayEquals(MetaImageWriter.columnMajor(grid.direction(), grid.dim()), transformMatrixOf(result),
        "ITK writes TransformMatrix column by column, as we do");
  }

  /**
   * An identity transform whose output grid is {@code grid}. elastix lists {@code Direction} column
   * by column; were that wrong, the NIfTI case (whose geometry nibabel confirms) would resample
   * oblique voxels from the wrong places.
   */
  private static String identityParameters(Grid grid) {
    int d = grid.dim();
    return "(Transform \"TranslationTransform\")\n(NumberOfParameters " + d + ")\n(TransformParameters "
        + join(new double[d]) + ")\n(InitialTransformParametersFileName \"NoInitialTransform\")\n"
        + "(HowToCombineTransforms \"Compose\")\n(FixedImageDimension " + d + ")\n(MovingImageDimension " + d + ")\n"
        + "(FixedInternalImagePixelType \"float\")\n(MovingInternalImagePixelType \"float\")\n"
        + "(Size " + Arrays.stream(grid.size()).mapToObj(String::valueOf).collect(Collectors.joining(" ")) + ")\n"
        + "(Index " + " 0".repeat(d).strip() + ")\n"
        + "(Spacing " + join(grid.spacing()) + ")\n(Origin " + join(grid.origin()) + ")\n"
        + "(Direction " + join(MetaImageWriter.columnMajor(grid.direction(), d)) + ")\n"
        + "(UseDirectionCosines \"true\")\n(ResampleInterpolator \"FinalBSplineInterpolator\")\n"
        + "(FinalBSplineInterpolationOrder 0)\n(Resampler \"DefaultResampler\")\n(DefaultPixelValue -1234)\n"
        + "(ResultImageFormat \"mha\")\n(ResultImagePixelType \"float\")\n(CompressResultImage \"false\")\n";
  }

  private static String join(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.length() == 0 ? "" : " ").append(v);
    }
    return sb.toString();
  }

  private static void runTransformix(Path in, Path parameters, Path out) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(TRANSFORMIX, "-in", in.toString(), "-out", out.toString(), "-tp",
        parameters.toString()).redirectErrorStream(true).redirectOutput(out.resolve("stdout.txt").toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("transformix timed out");
    }
    assertEquals(0, p.exitValue(), () -> "transformix failed:\n" + readQuietly(out.resolve("stdout.txt")));
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** The numbers of the {@code TransformMatrix} line ITK wrote. */
  private static double[] transformMatrixOf(Path mha) throws IOException {
    byte[] bytes = Files.readAllBytes(mha);
    String text = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
    for (String line : text.split("\n")) {
      if (line.startsWith("TransformMatrix = ")) {
        return Arrays.stream(line.substring("TransformMatrix = ".length()).trim().split("\\s+"))
            .mapToDouble(Double::parseDouble).toArray();
      }
    }
    throw new AssertionError("ITK's header has no TransformMatrix line:\n" + text);
  }
}
