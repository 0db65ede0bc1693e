package org.warpspark.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleUnaryOperator;
import org.warpspark.engine.affine.AffineRegistration;
import org.warpspark.engine.affine.AffineSettings;
import org.warpspark.engine.deformable.DeformableSettings;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.MeanSquaredError;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.LinearSampler;
import org.warpspark.engine.sample.Padding;
import org.warpspark.engine.sample.Warper;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.Autograd;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.metric.TransformError;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.MotionParameters;
import org.warpspark.udfs.spatial.TransformModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.warpspark.udfs.spatial.FixedToMoving;

/** Prints the engine's speed figures and a side-by-side with Debian's elastix on the same pairs. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Prints speed and accuracy figures.")
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--elastix", defaultValue = "/usr/bin/elastix", description = "elastix executable (skipped if absent)")
  String elastix;
  @Option(names = "--transformix", defaultValue = "/usr/bin/transformix", description = "transformix executable")
  String transformix;
  @Option(names = "--repeats", defaultValue = "5", description = "timed repeats per figure (median)")
  int repeats;
  @Option(names = "--only", defaultValue = "all",
      description = "which figures: all, affine, deformable, memory (the 192^3 peak alone), batch, job, apply "
          + "(against transformix, and the big volume's peak memory), apply-memory (that alone), storage, or report "
          + "(a 500-pair run's HTML report; not part of all)")
  String only;
  @Option(names = "--gpu", paramLabel = "ADDRESS", description = "run the affine and deformable figures on this "
      + "CUDA device (the address a Spark task would be given) instead of the CPU")
  String gpu;
  private Device device = Device.cpu();
  private Scratch scratch;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    out().printf("cores: %d, DJL/PyTorch threads: %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"));
    if (gpu != null) {
      device = NativeScope.requireGpu(gpu);
    }
    out().printf("registrations run on %s (libtorch %s)%n", device, NativeScope.engine().getVersion());
    if (!only.startsWith("apply")) {
      warmUp();
    }
    try (Scratch folders = new Scratch()) {
      scratch = folders;
      figures();
    }
    return 0;
  }

  private void figures() throws IOException, InterruptedException {
    if (only.equals("all") || only.equals("affine")) {
      affine();
    }
    if (only.equals("all") || only.equals("deformable") || only.equals("memory")) {
      DeformableBench deformable = new DeformableBench(out(), elastix, transformix, repeats, device, scratch);
      out().println();
      if (!only.equals("memory")) {
        deformable.header();
        deformable.compare("3D 96x112x90, 2 mm (brain)", brainGrid());
        deformable.compare("3D 128^3, 1 mm", grid(new int[] {128, 128, 128}, 1.0));
      }
      for (DeformableSettings.Model model : List.of(DeformableSettings.Model.FLOW, DeformableSettings.Model.SYMMETRIC)) {
        deformable.memory("3D 192^3, 1 mm, " + model.name().toLowerCase(Locale.ROOT) + " model",
            grid(new int[] {192, 192, 192}, 1.0), model);
      }
    }
    if (only.equals("all") || only.equals("job")) {
      JobBench job = new JobBench(out(), scratch);
      out().println();
      job.header();
      job.run("2D 256x240, 0.8 mm", new Grid(new int[] {256, 240}, new double[] {0.8, 0.8}, new double[2],
          Affine.identity(2).linear()), 16);
      job.run("3D 64^3, 1.5 mm", grid(new int[] {64, 64, 64}, 1.5), 6);
    }
    if (only.equals("all") || only.equals("batch")) {
      BatchBench batch = new BatchBench(out(), device, Math.min(repeats, 3));
      out().println();
      batch.header();
      Grid slice = grid(new int[] {256, 256}, 0.8);
      batch.run("2D 256x256, 0.8 mm", slice, 32, LossKind.MI);
      batch.run("2D 256x256, 0.8 mm", slice, 32, LossKind.MSE);
      batch.run("3D 96x112x90, 2 mm (brain)", brainGrid(), 6, LossKind.MI);
    }
    if (only.equals("all") || only.equals("apply")) {
      ApplyBench apply = new ApplyBench(out(), transformix, Math.min(repeats, 3), scratch);
      out().println();
      apply.header();
      apply.compare("3D 91x109x91, 2 mm (brain)", new Grid(new int[] {91, 109, 91}, new double[] {2, 2, 2},
          new double[] {-90, -126, -72}, Affine.identity(3).linear()), 6, 48);
      apply.compare("3D 256^3, 1 mm", grid(new int[] {256, 256, 256}, 1.0), 2, 8);
    }
    if (only.equals("all") || only.equals("apply") || only.equals("apply-memory")) {
      out().println();
      new ApplyBench(out(), transformix, 1, scratch).peakMemory(new int[] {1024, 1024, 512}, "3g");
    }
    if (only.equals("report")) {
      out().println();
      new ReportBench(out(), Math.min(repeats, 3), scratch).run(500);
    }
    if (only.equals("all") || only.equals("storage")) {
      out().println();
      new StorageBench(out()).run();
    }
  }

  private static Grid brainGrid() {
    return new Grid(new int[] {96, 112, 90}, new double[] {2, 2, 2}, new double[] {-95, -111, -89},
        Affine.identity(3).linear());
  }

  private void affine() throws IOException, InterruptedException {
    samplerStep("2D 256x256", grid(new int[] {256, 256}, 1.0));
    samplerStep("3D 128^3", grid(new int[] {128, 128, 128}, 1.0));
    out().println();
    out().println("pair                       | tool      | seconds | centre err mm | corner err mm | corner range mm | image MSE");
    comparePair("2D 256x256 slice, 0.8 mm", grid(new int[] {256, 256}, 0.8));
    comparePair("3D 128^3, 1 mm", grid(new int[] {128, 128, 128}, 1.0));
    comparePair("3D 96x112x90, 2 mm (brain)", brainGrid());
  }

  /** One untimed registration, so class loading, JIT and the first TorchScript compile are not timed. */
  private void warmUp() {
    Grid grid = grid(new int[] {64, 64}, 1.0);
    Image image = Phantom.inside(grid, 3).render(grid);
    try (NDManager manager = NativeScope.open(device)) {
      new AffineRegistration(AffineSettings.defaults(TransformModel.AFFINE, LossKind.MSE)).register(image, image, null,
          manager);
    }
  }

  private static Grid grid(int[] size, double spacing) {
    double[] s = new double[size.length];
    Arrays.fill(s, spacing);
    return Grid.of(size, s, new double[size.length]);
  }

  /** One forward + backward pass of the sampler and MSE over every voxel, as a dense iteration costs. */
  private void samplerStep(String label, Grid grid) {
    Phantom phantom = Phantom.inside(grid, 1);
    Image image = phantom.render(grid);
    int d = grid.dim();
    FixedVoxels.Draw draw = new FixedVoxels(image, null).all();
    double[] times = new double[repeats + 2];
    try (NDManager manager = NativeScope.open(device)) {
      NDArray tensor = manager.create(image.voxels(), new Shape(image.tensorShape()));
      // Fixed voxel index -> moving voxel index: the identity plus a small shift, so weights are not all 0/1.
      float[] g = new float[d * (d + 1)];
      for (int r = 0; r < d; r++) {
        g[r * (d + 1) + r] = 1;
        g[r * (d + 1) + d] = 0.3f;
      }
      for (int r = 0; r < times.length; r++) {
        long start = System.nanoTime();
        try (NDManager step = manager.newSubManager()) {
          NDArray points = step.create(draw.points(), new Shape(draw.count(), d + 1));
          NDArray fixed = step.create(draw.values());
          NDArray matrix = Autograd.leaf(step.create(g, new Shape(d, d + 1)));
          NDArray loss = Autograd.recording(() -> {
            NDArray index = points.matMul(matrix.transpose());
            return new MeanSquaredError().evaluate(fixed, LinearSampler.sample(tensor, index, Padding.ZERO),
                fixed.onesLike());
          });
          Autograd.backward(loss);
          matrix.getGradient().toFloatArray();
        }
        times[r] = (System.nanoTime() - start) / 1e6;
      }
    }
    out().printf(Locale.ROOT, "sampler forward+backward, every voxel, %s: %.1f ms per iteration%n", label,
        Scratch.median(Arrays.copyOfRange(times, 2, times.length)));
  }

  private void comparePair(String label, Grid grid) throws IOException, InterruptedException {
    int d = grid.dim();
    MotionParameters motion = MotionParameters.identity(d);
    double[] t = d == 2 ? new double[] {-4.0, 3.0} : new double[] {4.0, -3.0, 2.5};
    System.arraycopy(t, 0, motion.translation(), 0, d);
    for (int i = 0; i < motion.angles().length; i++) {
      motion.angles()[i] = Math.toRadians(4 + 2 * i);
    }
    motion.logScales()[0] = 0.04;
    motion.shears()[0] = 0.03;
    Affine truth = motion.toAffine(grid.centre());
    Phantom phantom = Phantom.inside(grid, 42);
    Path dir = scratch.folder("affine");
    String fixedFile = dir.resolve("fixed.nii.gz").toString();
    String movingFile = dir.resolve("moving.nii.gz").toString();
    ImageFiles.write(phantom.render(grid), fixedFile);
    ImageFiles.write(phantom.renderMoving(grid, truth, DoubleUnaryOperator.identity()), movingFile);

    AffineSettings settings = AffineSettings.defaults(TransformModel.AFFINE, LossKind.MSE);
    double[] seconds = new double[repeats];
    Affine[] found = new Affine[repeats];
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      Image fixed = ImageFiles.read(fixedFile);
      Image moving = ImageFiles.read(movingFile);
      try (NDManager manager = NativeScope.open(device)) {
        found[r] = new AffineRegistration(settings.withSeed(r)).register(fixed, moving, null, manager).fixedToMoving();
      }
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    double ours = Scratch.median(seconds);
    Image fixedImage = ImageFiles.read(fixedFile);
    Image movingImage = ImageFiles.read(movingFile);
    row(label, "truth", Double.NaN, new Affine[] {truth}, truth, fixedImage, movingImage);
    row(label, "warpspark", ours, found, truth, fixedImage, movingImage);

    if (new File(elastix).canExecute()) {
      Path params = dir.resolve("affine.txt");
      Files.writeString(params, ElastixSetups.affine(d));
      double[] elastixSeconds = new double[repeats];
      Affine[] theirs = new Affine[repeats];
      for (int r = 0; r < repeats; r++) {
        Path out = Files.createDirectories(dir.resolve("elastix" + r));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(elastix, "-f", fixedFile, "-m", movingFile, "-p", params.toString(), "-out",
            out.toString(), "-threads", String.valueOf(Runtime.getRuntime().availableProcessors()))
            .redirectErrorStream(true).redirectOutput(out.resolve("stdout.txt").toFile()).start();
        if (p.waitFor() != 0) {
          throw new IllegalStateException("elastix failed, see " + out.resolve("stdout.txt"));
        }
        elastixSeconds[r] = (System.nanoTime() - start) / 1e9;
        theirs[r] = ElastixTransformParameters.read(out.resolve("TransformParameters.0.txt"));
      }
      double theirSeconds = Scratch.median(elastixSeconds);
      row(label, "elastix", theirSeconds, theirs, truth, fixedImage, movingImage);
      out().printf(Locale.ROOT, "%-26s | speed-up  | %.2fx%n", label, theirSeconds / ours);
    }
  }

  /**
   * One tool's figures: errors are means (and the corner error's range) over the repeats' results,
   * which differ by seed for ours; the image MSE, over every fixed voxel with the moving image warped
   * linearly, is the first result's.
   */
  private void row(String label, String tool, double seconds, Affine[] found, Affine truth, Image fixed,
      Image moving) {
    Grid grid = fixed.grid();
    double centre = 0;
    double corner = 0;
    double cornerMin = Double.POSITIVE_INFINITY;
    double cornerMax = 0;
    for (Affine f : found) {
      double c = TransformError.maxCornerDistanceMm(f, truth, grid);
      centre += TransformError.centreDistanceMm(f, truth, grid) / found.length;
      corner += c / found.length;
      cornerMin = Math.min(cornerMin, c);
      cornerMax = Math.max(cornerMax, c);
    }
    double mse;
    try (NDManager manager = NativeScope.open(device)) {
      float[] warped = Warper.warp(moving, grid, new FixedToMoving.Linear(found[0]), Warper.Interpolation.LINEAR,
          manager).voxels();
      double sum = 0;
      for (int i = 0; i < warped.length; i++) {
        double d = warped[i] - fixed.voxels()[i];
        sum += d * d;
      }
      mse = sum / warped.length;
    }
    out().printf(Locale.ROOT, "%-26s | %-9s | %7.2f | %13.4f | %13.4f | %6.4f-%.4f   | %.4e%n", label, tool,
        seconds, centre, corner, cornerMin, cornerMax, mse);
  }


  /** The command's output stream (standard output, or what a caller of the command line set). */
  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
