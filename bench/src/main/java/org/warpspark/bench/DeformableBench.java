package org.warpspark.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.warpspark.engine.deformable.DeformableRegistration;
import org.warpspark.engine.deformable.DeformableSettings;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.KnownDeformation;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Deformable figures: per-pair seconds and errors against a known deformation for warpspark and for
 * Debian's elastix with a comparable B-spline setup ({@link ElastixSetups#bSpline}), and the peak memory
 * of a large registration. elastix's map is read back exactly by letting transformix resample images
 * whose values are the physical coordinates: linear interpolation reproduces a linear ramp, so the
 * result at a fixed voxel is the coordinate of the point it maps to.
 */
final class DeformableBench {
  private static final int CONTROL_SPACING_MM = 8;
  private final PrintWriter out;
  private final String elastix;
  private final String transformix;
  private final int repeats;
  private final Device device;

  private final Scratch scratch;

  DeformableBench(PrintWriter out, String elastix, String transformix, int repeats, Device device, Scratch scratch) {
    this.scratch = scratch;
    this.out = out;
    this.elastix = elastix;
    this.transformix = transformix;
    this.repeats = repeats;
    this.device = device;
  }

  /** The deformation of a pair on {@code grid}: a swirl of 4 mm across a fifth of the image. */
  private static KnownDeformation truthFor(Grid grid) {
    double extent = Double.POSITIVE_INFINITY;
    for (int a = 0; a < grid.dim(); a++) {
      extent = Math.min(extent, (grid.size()[a] - 1) * grid.spacing()[a]);
    }
    return new KnownDeformation(Affine.identity(grid.dim()), grid.centre(), extent / 5, 4.0);
  }

  void header() {
    out.println("pair                       | tool      | seconds | mean err mm | p95 err mm | max err mm | folding  | SDlogJ");
  }

  void compare(String label, Grid grid) throws IOException, InterruptedException {
    KnownDeformation truth = truthFor(grid);
    Phantom phantom = Phantom.inside(grid, 42);
    Path dir = scratch.folder("deformable");
    String fixedFile = dir.resolve("fixed.nii.gz").toString();
    String movingFile = dir.resolve("moving.nii.gz").toString();
    ImageFiles.write(KnownDeformation.fixedImage(phantom, grid), fixedFile);
    ImageFiles.write(truth.movingImage(phantom, grid, v -> v), movingFile);
    Image body = phantom.render(grid);
    row(label, "affine only", Double.NaN, DisplacementField.of(grid, Affine.identity(grid.dim())), truth, body);

    DeformableSettings settings = DeformableSettings.bsplineDefaults(LossKind.MSE);
    double[] seconds = new double[repeats];
    DisplacementField ours = null;
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      Image fixed = ImageFiles.read(fixedFile);
      Image moving = ImageFiles.read(movingFile);
      try (NDManager manager = NativeScope.open(device)) {
        DisplacementField found = new DeformableRegistration(settings.withSeed(r)).register(fixed, moving, null,
            Affine.identity(grid.dim()), manager).fixedToMoving();
        ours = ours == null ? found : ours;
      }
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    double oursSeconds = Scratch.median(seconds);
    row(label, "warpspark", oursSeconds, ours, truth, body);

    if (!new File(elastix).canExecute() || !new File(transformix).canExecute()) {
      return;
    }
    Path params = dir.resolve("bspline.txt");
    Files.writeString(params, ElastixSetups.bSpline(grid.dim(), CONTROL_SPACING_MM, settings.samplesPerIteration()));
    double[] elastixSeconds = new double[repeats];
    Path first = null;
    for (int r = 0; r < repeats; r++) {
      Path runDir = Files.createDirectories(dir.resolve("elastix" + r));
      long start = System.nanoTime();
      Scratch.run(List.of(elastix, "-f", fixedFile, "-m", movingFile, "-p", params.toString(), "-out", runDir.toString(),
          "-threads", String.valueOf(Runtime.getRuntime().availableProcessors())), runDir);
      elastixSeconds[r] = (System.nanoTime() - start) / 1e9;
      first = first == null ? runDir.resolve("TransformParameters.0.txt") : first;
    }
    double theirSeconds = Scratch.median(elastixSeconds);
    row(label, "elastix", theirSeconds, elastixMap(grid, first, dir), truth, body);
    out.printf(Locale.ROOT, "%-26s | speed-up  | %.2fx%n", label, theirSeconds / oursSeconds);
  }

  /**
   * Peak resident memory (heap and native together) of one registration of a {@code grid} pair with
   * a dense deformable model (flow or symmetric, their defaults, local NCC), its inverse map included.
   */
  void memory(String label, Grid grid, DeformableSettings.Model model) {
    DeformableSettings defaults = DeformableSettings.defaults(LossKind.LNCC);
    DeformableSettings settings = defaults.withFlow(model, defaults.learningRate(), defaults.fluidSigma(),
        defaults.elasticSigma());
    KnownDeformation truth = truthFor(grid);
    Phantom phantom = Phantom.inside(grid, 42);
    Image fixed = KnownDeformation.fixedImage(phantom, grid);
    Image moving = truth.movingImage(phantom, grid, v -> v);
    System.gc();
    boolean reset = resetPeakResident();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long start = System.nanoTime();
    DisplacementField found;
    try (NDManager manager = NativeScope.open(device)) {
      found = new DeformableRegistration(settings).register(fixed, moving, null, Affine.identity(grid.dim()), manager)
          .fixedToMoving();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    JacobianStatistics jacobian = JacobianStatistics.of(found);
    out.printf(Locale.ROOT, "%s: %.2f s, peak resident (heap + native) %.2f GB%s, JVM heap peak %.2f GB, "
        + "images %.2f GB, folding %.4g%n", label, seconds, peakResidentBytes() / 1e9,
        reset ? "" : " (whole process: /proc/self/clear_refs not writable)", heapPeak / 1e9,
        2.0 * fixed.voxels().length * 4 / 1e9, jacobian.foldingFraction());
  }

  private void row(String label, String tool, double seconds, DisplacementField found, KnownDeformation truth,
      Image body) {
    Grid grid = found.grid();
    int d = grid.dim();
    double[] errors = new double[found.components()[0].length];
    int n = 0;
    double[] index = new double[d];
    Affine indexToPhysical = grid.indexToPhysical();
    for (int flat = 0; flat < errors.length; flat++) {
      if (body.voxels()[flat] < 0.5) {
        continue; // inside the object, where an image says where things went
      }
      grid.index(flat, index);
      double[] x = indexToPhysical.apply(index);
      double[] t = truth.apply(x);
      double e2 = 0;
      for (int a = 0; a < d; a++) {
        double e = x[a] + found.components()[a][flat] - t[a];
        e2 += e * e;
      }
      errors[n++] = Math.sqrt(e2);
    }
    double[] inside = Arrays.copyOf(errors, n);
    Arrays.sort(inside);
    JacobianStatistics jacobian = JacobianStatistics.of(found);
    out.printf(Locale.ROOT, "%-26s | %-9s | %7.2f | %11.3f | %10.3f | %10.3f | %.6f | %.4f%n", label, tool, seconds,
        Arrays.stream(inside).average().orElse(Double.NaN), inside[(int) (0.95 * (n - 1))], inside[n - 1],
        jacobian.foldingFraction(), jacobian.sdLogJacobian());
  }

  /** elastix's fixed-to-moving map on {@code grid}, read back through transformix and coordinate ramps. */
  private DisplacementField elastixMap(Grid grid, Path transformParameters, Path dir)
      throws IOException, InterruptedException {
    int d = grid.dim();
    Path linear = dir.resolve("linear.txt");
    // Exact read-back: linear resampling, float output, MetaImage result.
    Files.writeString(linear, Files.readAllLines(transformParameters).stream()
        .map(l -> l.startsWith("(FinalBSplineInterpolationOrder") ? "(FinalBSplineInterpolationOrder 1)"
            : l.startsWith("(ResultImagePixelType") ? "(ResultImagePixelType \"float\")"
            : l.startsWith("(ResultImageFormat") ? "(ResultImageFormat \"mha\")" : l)
        .collect(Collectors.joining("\n", "", "\n")));
    int count = Math.toIntExact(grid.voxelCount());
    float[][] components = new float[d][count];
    double[] index = new double[d];
    Affine indexToPhysical = grid.indexToPhysical();
    for (int c = 0; c < d; c++) {
      float[] ramp = new float[count];
      for (int flat = 0; flat < count; flat++) {
        grid.index(flat, index);
        ramp[flat] = (float) indexToPhysical.apply(index)[c];
      }
      String rampFile = dir.resolve("ramp" + c + ".nii.gz").toString();
      ImageFiles.write(Image.of(grid, ramp), rampFile);
      Path outDir = Files.createDirectories(dir.resolve("ramp" + c));
      Scratch.run(List.of(transformix, "-in", rampFile, "-out", outDir.toString(), "-tp", linear.toString()), outDir);
      float[] mapped = ImageFiles.read(outDir.resolve("result.mha").toString()).voxels();
      for (int flat = 0; flat < count; flat++) {
        components[c][flat] = mapped[flat] - ramp[flat];
      }
    }
    return new DisplacementField(grid, components);
  }

  /** Resets the kernel's resident-memory high-water mark of this process (Linux: "5" to clear_refs). */
  private static boolean resetPeakResident() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long peakResidentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

}
