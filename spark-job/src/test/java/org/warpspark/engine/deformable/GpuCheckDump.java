package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.Image;
import org.warpspark.sample.KnownDeformation;
import org.warpspark.sample.Phantom;
import org.warpspark.torch.Autograd;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * Writes what scripts/gpu_check.py needs to run the deformable stage's TorchScript module on CUDA:
 * the module archives (B-spline and velocity field) and, for 4096 and 2^18 samples of a brain-sized
 * pair, one iteration's inputs with DJL's CPU value and gradient ({@code .npz}). Run by
 * scripts/gpu-check.sh.
 */
public final class GpuCheckDump {
  private GpuCheckDump() {}

  public static void main(String[] a) throws Exception {
    Path out = Path.of(a[0]);
    Files.createDirectories(out);
    Grid grid = new Grid(new int[] {96, 112, 90}, new double[] {2, 2, 2}, new double[] {-95, -111, -89}, Affine.identity(3).linear());
    KnownDeformation truth = new KnownDeformation(Affine.identity(3), grid.centre(), 178 / 5.0, 4.0);
    Phantom phantom = Phantom.inside(grid, 42);
    Image fixed = KnownDeformation.fixedImage(phantom, grid);
    Image moving = truth.movingImage(phantom, grid, v -> v);
    for (boolean velocity : new boolean[] {false, true}) {
      DeformableSettings settings = DeformableSettings.bsplineDefaults(LossKind.MSE).withDiffeomorphic(velocity);
      try (NDManager m = NativeScope.openCpu()) {
        Autograd.notRecording(() -> {
          Grid controlGrid = ControlGrid.covering(grid, settings.controlSpacing(), velocity ? 0 : 1);
          var loss = settings.loss().create(fixed.voxels(), moving.voxels(), 32);
          DeformationModule module = DeformationModule.compile(settings, loss, controlGrid, m);
          ControlFrame control = ControlFrame.of(controlGrid, m);
          long[] dims = LevelInputs.batched(Image.tensorShape(controlGrid));
          dims[1] = 3;
          NDArray theta = m.randomNormal(0, 0.5f, new Shape(dims), DataType.FLOAT32);
          LevelInputs in = LevelInputs.of(fixed, moving, Affine.identity(3), control, new float[4], m);
          SplittableRandom random = new SplittableRandom(1);
          for (int n : new int[] {4096, 1 << 18}) {
            DeformableSettings s = new DeformableSettings(settings.loss(), settings.window(), settings.levelFactors(), settings.iterations(), settings.learningRate(), settings.controlSpacing(), settings.regulariser(), settings.regularisationWeight(), settings.diffeomorphic(), n, settings.convergenceWindow(), settings.convergenceTolerance(), settings.seed(), settings.model(), settings.fluidSigma(), settings.elasticSigma());
            Samples.Batch b = Samples.forLevel(s, fixed, null, random, m).next(random, m);
            NDArray leaf = theta.duplicate();
            Autograd.leaf(leaf);
            NDArray value = Autograd.recording(() -> module.evaluate(b.points(), leaf, b.fixed(), b.weight(), control, in));
            Autograd.backward(Autograd.recording(() -> value.get(0)));
            NDList list = new NDList(b.points(), leaf.duplicate(), in.toControl(), in.toMoving(), in.mmToMoving(),
                control.mmToControl(), control.identity(), in.moving(), b.fixed(), b.weight(), in.ranges(),
                value.duplicate(), leaf.getGradient().duplicate());
            String tag = (velocity ? "velocity" : "bspline") + "_" + n;
            try (OutputStream os = new FileOutputStream(out.resolve(tag + ".npz").toFile())) {
              list.encode(os, NDList.Encoding.NPZ);
            } catch (java.io.IOException e) {
              throw new RuntimeException(e);
            }
            System.out.println(tag + ": DJL CPU value " + Arrays.toString(value.toFloatArray()));
          }
          return null;
        });
      }
    }
    // The archives libtorch loaded (TorchScriptModule writes them to the temp folder).
    try (var files = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "warpspark-Deformable3d*.pt")) {
      for (Path f : files) {
        Files.copy(f, out.resolve(f.getFileName().toString().replaceAll("\\d+\\.pt$", ".pt")), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
