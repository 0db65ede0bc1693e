package org.warpspark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.udfs.testing.ExternalTool;

/**
 * Debian's {@code transformix} (package elastix) as an independent resampler. Tests call
 * {@link #available} in an assumption: CI installs the package, so there the comparisons always run.
 */
public final class Transformix {
  private static final String EXECUTABLE = "/usr/bin/transformix";

  private Transformix() {}

  public static boolean available() {
    return ExternalTool.executable(EXECUTABLE);
  }

  /** Resamples {@code movingFile} with the parameter file into {@code outDir}; returns transformix's result image. */
  public static Image resample(String movingFile, Path parameters, Path outDir) throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    ExternalTool.run(List.of(EXECUTABLE, "-in", movingFile, "-out", outDir.toString(), "-tp", parameters.toString()),
        outDir, "");
    return ImageFiles.read(outDir.resolve("result.mha").toString());
  }

  /**
   * How two warps of one image agree where both are non-zero: both sampled inside the moving image
   * (the tools treat the half-voxel rim at its edge differently).
   *
   * @param range largest absolute intensity compared, the scale for {@code rms}
   */
  public record Agreement(double rms, double range, int compared) {}

  public static Agreement agreement(Image ours, Image theirs) {
    double sum = 0;
    double range = 0;
    int n = 0;
    for (int i = 0; i < ours.voxels().length; i++) {
      if (ours.voxels()[i] != 0 && theirs.voxels()[i] != 0) {
        double d = ours.voxels()[i] - theirs.voxels()[i];
        sum += d * d;
        range = Math.max(range, Math.abs(ours.voxels()[i]));
        n++;
      }
    }
    return new Agreement(n == 0 ? Double.NaN : Math.sqrt(sum / n), range, n);
  }
}
