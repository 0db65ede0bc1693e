package org.warpspark.udfs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ITK itself, as the reference for transform files: {@code udfs/src/test/itk} built against Debian's
 * {@code libinsighttoolkit5-dev} into {@code udfs/target/itk-tool} on first use (a few seconds), then
 * run as a process. Tests check {@link #available} in an assumption; CI installs ITK, so there they run.
 */
public final class ItkTool {
  private static final Path ITK_CONFIG = Path.of("/usr/lib/cmake/ITK-5.2/ITKConfig.cmake");
  private static Path binary;

  private ItkTool() {}

  public static boolean available() {
    return Files.isRegularFile(ITK_CONFIG) && ExternalTool.executable("/usr/bin/cmake")
        && ExternalTool.executable("/usr/bin/c++");
  }

  /** ITK's image of each point under the transform of {@code file} (its only one, or its composite). */
  public static double[][] mapPoints(Path file, double[][] points) throws IOException, InterruptedException {
    int d = points[0].length;
    StringBuilder in = new StringBuilder();
    for (double[] p : points) {
      for (int i = 0; i < d; i++) {
        in.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.17g", p[i]));
      }
      in.append('\n');
    }
    String out = ExternalTool.run(List.of(tool().toString(), "points", file.toString(), Integer.toString(d)),
        file.toAbsolutePath().getParent(), in.toString());
    String[] lines = out.strip().split("\n");
    if (lines.length != points.length) {
      throw new AssertionError("ITK mapped " + lines.length + " of " + points.length + " points:\n" + out);
    }
    double[][] mapped = new double[points.length][d];
    for (int n = 0; n < lines.length; n++) {
      String[] v = lines[n].trim().split("\\s+");
      for (int i = 0; i < d; i++) {
        mapped[n][i] = Double.parseDouble(v[i]);
      }
    }
    return mapped;
  }

  /** ITK reads {@code in} and writes its transforms to {@code out} (the format by extension), in floats if asked. */
  public static void convert(Path in, Path out, boolean floats) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tool().toString(), "convert", in.toString(), out.toString()));
    if (floats) {
      command.add("float");
    }
    ExternalTool.run(command, out.toAbsolutePath().getParent(), "");
  }

  /**
   * ITK's {@code ResampleImageFilter} applies the chain {@code transforms} (antsApplyTransforms' order
   * and {@code [FILE,1]} syntax; a NIfTI file is a displacement field) to {@code input} on the grid of
   * {@code reference}, writing {@code output}.
   */
  public static void resample(int dim, Path input, Path reference, Path output, String interpolation,
      float defaultValue, List<String> transforms) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tool().toString(), "resample", Integer.toString(dim),
        input.toString(), reference.toString(), output.toString(), interpolation, Float.toString(defaultValue)));
    command.addAll(transforms);
    ExternalTool.run(command, output.toAbsolutePath().getParent(), "");
  }

  /** ITK writes the chain {@code transforms} (as {@link #resample} takes them) as one composite {@code .h5}. */
  public static void compose(int dim, Path out, List<String> transforms) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tool().toString(), "compose", Integer.toString(dim), out.toString()));
    command.addAll(transforms);
    ExternalTool.run(command, out.toAbsolutePath().getParent(), "");
  }

  private static synchronized Path tool() throws IOException, InterruptedException {
    if (binary == null) {
      Path sources = sources();
      Path build = sources.getParent().getParent().getParent().resolve("target/itk-tool");
      Path built = build.resolve("itk_transform_tool");
      if (!Files.isExecutable(built) || newestSource(sources).compareTo(Files.getLastModifiedTime(built)) > 0) {
        Files.createDirectories(build);
        ExternalTool.run(List.of("/usr/bin/cmake", "-S", sources.toString(), "-B", build.toString(),
            "-DCMAKE_BUILD_TYPE=Release"), build, "");
        ExternalTool.run(List.of("/usr/bin/cmake", "--build", build.toString()), build, "");
      }
      binary = built;
    }
    return binary;
  }

  /** {@code udfs/src/test/itk}, found from the module a test runs in (udfs or a sibling). */
  private static Path sources() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("udfs/src/test/itk");
      if (Files.isRegularFile(candidate.resolve("CMakeLists.txt"))) {
        return candidate;
      }
    }
    throw new AssertionError("udfs/src/test/itk not found above " + Path.of("").toAbsolutePath());
  }

  private static FileTime newestSource(Path sources) throws IOException {
    try (var files = Files.list(sources)) {
      return files.map(f -> {
        try {
          return Files.getLastModifiedTime(f);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).max(FileTime::compareTo).orElseThrow();
    }
  }
}
