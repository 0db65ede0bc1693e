package org.warpspark.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.udfs.spatial.BSplineTransform;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.MotionParameters;

/**
 * Applying transforms, whole commands timed: transformix on elastix's own chain (an affine file and a
 * B-spline file that names it) against {@code apply} given the same two files, one process per image
 * for both, and {@code apply --manifest} (the Spark job, local mode) over all the images in one run;
 * and the peak memory (resident set) of {@code apply} on a 1024 x 1024 x 512 float image through an
 * affine and a displacement field.
 */
final class ApplyBench {
  private final PrintWriter out;
  private final String transformix;
  private final int repeats;
  private final Scratch scratch;

  ApplyBench(PrintWriter out, String transformix, int repeats, Scratch scratch) {
    this.out = out;
    this.transformix = transformix;
    this.repeats = repeats;
    this.scratch = scratch;
  }

  void header() {
    out.println("images                         | how                                   | seconds | images/min | "
        + "vs transformix");
  }

  /**
   * {@code count} images on {@code grid} through the chain, by each tool, and {@code jobRows} of them (the
   * images again and again) in one job run, whose Spark start-up they share; medians of the repeats.
   */
  void compare(String label, Grid grid, int count, int jobRows) throws IOException, InterruptedException {
    Path dir = scratch.folder("apply");
    List<Path> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      images.add(dir.resolve("image" + i + ".nii"));
      ImageFiles.write(Image.of(grid, smooth(grid, i)), images.get(i).toString());
    }
    ElastixTransformParameters.Options options = new ElastixTransformParameters.Options("nii", 0);
    MotionParameters m = MotionParameters.identity(3);
    m.angles()[0] = 0.1;
    m.angles()[2] = -0.06;
    m.translation()[1] = 3;
    Path affine = Files.writeString(dir.resolve("TransformParameters.0.txt"),
        ElastixTransformParameters.format(m.toAffine(grid.centre()), grid.centre(), grid, options));
    Path bspline = Files.writeString(dir.resolve("TransformParameters.1.txt"),
        ElastixTransformParameters.formatBSpline(spline(grid), affine.toString(), grid, options));
    StringBuilder manifest = new StringBuilder("application_id,input,reference,transforms,output\n");
    for (int i = 0; i < jobRows; i++) {
      Path image = images.get(i % count);
      manifest.append("img").append(i).append(',').append(image).append(',').append(image).append(",\"")
          .append(affine).append(';').append(bspline).append("\",").append(dir.resolve("job" + i + ".nii"))
          .append('\n');
    }
    Path manifestFile = Files.writeString(dir.resolve("apply.csv"), manifest);

    double theirs = median(() -> {
      for (int i = 0; i < count; i++) {
        Path o = Files.createDirectories(dir.resolve("tx" + i));
        Scratch.run(List.of(transformix, "-in", images.get(i).toString(), "-tp", bspline.toString(), "-out",
            o.toString()), dir);
      }
    });
    double onePerImage = median(() -> {
      for (int i = 0; i < count; i++) {
        Scratch.run(cli(List.of("apply", "-i", images.get(i).toString(), "-r", images.get(i).toString(), "-t",
            affine.toString(), "-t", bspline.toString(), "-o", dir.resolve("ours" + i + ".nii").toString()), null),
            dir);
      }
    });
    double job = median(() -> Scratch.run(cli(List.of("apply", "--manifest", manifestFile.toString(), "--out",
        dir.resolve("job").toString(), "--run-id", "bench", "--master", "local[*]"), null), dir));
    row(label, count, "transformix (one process per image)", count / theirs, count / theirs);
    row(label, count, "apply (one process per image)", count / onePerImage, count / theirs);
    row(label, jobRows, "apply --manifest (one Spark run)", jobRows / job, count / theirs);
  }

  /**
   * A {@code size} float image (a slab pattern, written as plain NIfTI) through an affine ({@code .mat}) and a
   * displacement field on a grid of 4 mm, onto its own grid: seconds and the largest resident set of
   * the {@code apply} process, whose heap is capped at {@code heap}.
   */
  void peakMemory(int[] size, String heap) throws IOException, InterruptedException {
    Path dir = scratch.folder("big");
    Grid grid = Grid.of(size, new double[] {0.5, 0.5, 0.5}, new double[3]);
    Path image = dir.resolve("big.nii");
    float[] voxels = new float[Math.toIntExact(grid.voxelCount())];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = (i % 1024 + (i >> 20)) % 97;
    }
    ImageFiles.write(Image.of(grid, voxels), image.toString());
    voxels = null;
    Grid coarse = Grid.of(new int[] {size[0] / 8, size[1] / 8, size[2] / 8}, new double[] {4, 4, 4}, new double[3]);
    Path field = dir.resolve("field.nii.gz");
    ImageFiles.writeDisplacementField(DisplacementField.of(coarse, x -> new double[] {x[0] + 2 * Math.sin(x[1] / 20),
        x[1] + 2 * Math.cos(x[2] / 15), x[2] + Math.sin(x[0] / 25)}), field.toString(), new Configuration());
    Path mat = dir.resolve("affine.mat");
    MotionParameters m = MotionParameters.identity(3);
    m.angles()[2] = 0.05;
    ItkMatFile.write(mat, m.toAffine(grid.centre()), grid.centre());
    Path output = dir.resolve("out.nii");
    Path measured = dir.resolve("time.txt");
    List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-o", measured.toString(), "-f", "%M %e"));
    command.addAll(cli(List.of("apply", "-i", image.toString(), "-r", image.toString(), "-t", field.toString(), "-t",
        mat.toString(), "-o", output.toString(), "--max-voxels", Long.toString(grid.voxelCount())), heap));
    Scratch.run(command, dir);
    String[] lines = Files.readString(measured).strip().split("\n");
    String[] figures = lines[lines.length - 1].trim().split(" ");
    out.printf(Locale.ROOT, "%dx%dx%d float (%.1f GiB) through a field and an affine: %.1f s, peak resident set "
        + "%.2f GiB (heap capped at %s)%n", size[0], size[1], size[2], grid.voxelCount() * 4 / (double) (1L << 30),
        Double.parseDouble(figures[1]), Long.parseLong(figures[0]) / (double) (1L << 20), heap);
  }

  /** A row of the table; rates in images per second. */
  private void row(String label, int count, String how, double rate, double theirs) {
    out.printf(Locale.ROOT, "%-30s | %-37s | %7.1f | %10.1f | %.2fx%n", label + " x" + count, how, count / rate,
        60 * rate, rate / theirs);
  }

  /** This JVM's java, flags and classpath running the command line; {@code heap} replaces the heap cap. */
  private static List<String> cli(List<String> args, String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    if (heap != null) {
      command.add("-Xmx" + heap);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.warpspark.cli.WarpsparkCli"));
    command.addAll(args);
    return command;
  }

  private interface Timed {
    void run() throws IOException, InterruptedException;
  }

  private double median(Timed timed) throws IOException, InterruptedException {
    double[] seconds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      timed.run();
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    return Scratch.median(seconds);
  }

  /** Smooth structure with a different phase per image. */
  private static float[] smooth(Grid grid, int phase) {
    float[] v = new float[Math.toIntExact(grid.voxelCount())];
    double[] index = new double[3];
    for (int i = 0; i < v.length; i++) {
      grid.index(i, index);
      double[] p = grid.indexToPhysical().apply(index);
      v[i] = (float) (100 + 50 * Math.sin(p[0] / 9 + phase) * Math.cos(p[1] / 11) + 30 * Math.sin(p[2] / 7));
    }
    return v;
  }

  /** A B-spline of 10 mm control spacing over the grid with a control point to spare, displacements up to 3 mm. */
  private static BSplineTransform spline(Grid grid) {
    int[] size = new int[3];
    double[] origin = new double[3];
    for (int a = 0; a < 3; a++) {
      double extent = (grid.size()[a] - 1) * grid.spacing()[a];
      size[a] = (int) Math.ceil(extent / 10) + 3;
      origin[a] = grid.centre()[a] - 10 * (size[a] - 1) / 2.0;
    }
    Random random = new Random(3);
    double[][] c = new double[3][size[0] * size[1] * size[2]];
    for (double[] axis : c) {
      for (int i = 0; i < axis.length; i++) {
        axis[i] = 6 * random.nextDouble() - 3;
      }
    }
    return new BSplineTransform(Grid.of(size, new double[] {10, 10, 10}, origin), c);
  }
}
