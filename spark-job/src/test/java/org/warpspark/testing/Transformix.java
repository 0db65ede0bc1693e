package org.warpspark.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;

/**
 * Debian's {@code transformix} (package elastix) as an independent resampler. Tests call
 * {@link #available} in an assumption: CI installs the package, so there the comparisons always run.
 */
public final class Transformix {
  private static final File EXECUTABLE = new File("/usr/bin/transformix");

  private Transformix() {}

  public static boolean available() {
    return EXECUTABLE.canExecute();
  }

  /** Resamples {@code movingFile} with the parameter file into {@code outDir}; returns transformix's result image. */
  public static Image resample(String movingFile, Path parameters, Path outDir) throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    Path log = outDir.resolve("log.txt");
    Process p = new ProcessBuilder(EXECUTABLE.getPath(), "-in", movingFile, "-out", outDir.toString(), "-tp",
        parameters.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (p.waitFor() != 0) {
      throw new AssertionError("transformix failed:\n" + Files.readString(log));
    }
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
