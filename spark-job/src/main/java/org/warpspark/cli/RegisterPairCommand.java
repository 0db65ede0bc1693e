package org.warpspark.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.pair.DeformableStage;
import org.warpspark.pair.PairImages;
import org.warpspark.pair.PairPipeline;
import org.warpspark.pair.PairResult;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.QcFiles;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.pair.ResultFiles;
import org.warpspark.pair.StageFailure;
import org.warpspark.storage.OutputFolder;
import org.warpspark.storage.StorageAccess;
import org.warpspark.torch.NativeScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Registers one pair through the same {@link PairPipeline} as every task of the batch job, with the same
 * settings, and writes its {@link ResultFiles} into a folder.
 */
@Command(name = "register-pair", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Registers one image pair with the batch job's settings and code; writes transform.tfm, 0GenericAffine.mat, "
        + "TransformParameters.txt, Composite.h5, InverseComposite.h5, warped.<ext>, summary.json and, with a deformable "
        + "stage, displacement.nii.gz "
        + "into --out. Every settings key is also an option: --model rigid is --set model=rigid.")
final class RegisterPairCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--fixed", required = true, description = "fixed (reference) image")
  String fixed;
  @Option(names = "--moving", required = true, description = "moving image, warped onto the fixed grid")
  String moving;
  @Option(names = "--out", required = true, description = "output folder (created if needed)")
  String out;
  @Option(names = "--fixed-mask", description = "mask on the fixed grid; voxels > 0.5 are compared")
  String fixedMask;
  @Option(names = "--moving-labels", description = "label map on the moving grid: warped (nearest neighbour) to "
      + "warped_labels.<ext>")
  String movingLabels;
  @Option(names = "--fixed-labels", description = "label map on the fixed grid: with --moving-labels, Dice per label "
      + "goes into summary.json")
  String fixedLabels;
  @Option(names = "--inverse-consistency", description = "also register moving to fixed (deformable stage from the "
      + "inverse affine) and record the inverse consistency error |T_mf(T_fm(x)) - x| in summary.json")
  boolean inverseConsistency;
  @Option(names = "--gpu", paramLabel = "ADDRESS", description = "register on this CUDA device (default: the CPU)")
  String gpu;
  @Option(names = "--qc", description = "also draw quality-control pictures into <out>/qc/, on three planes through "
      + "the fixed grid's centre (PNG): checkerboards of the fixed and moving images and the fixed image's edges "
      + "over the moving one, before registration and after each stage, the moving labels' contours over the fixed "
      + "image (with label maps), the deformable map's Jacobian determinant and displacement length; and the loss "
      + "curves (SVG)")
  boolean qc;
  @Mixin
  SettingsOptions settings;

  @Override
  public Integer call() {
    Configuration conf = StorageAccess.configuration();
    RegistrationConfig config = settings.resolve(conf, SettingsOptions.keyOptionValues(spec));
    PairPipeline pipeline = new PairPipeline(config, inverseConsistency);
    Device device = gpu == null ? Device.cpu() : NativeScope.requireGpu(gpu);
    PairSpec pair = new PairSpec("pair", fixed, moving, fixedLabels, movingLabels, fixedMask, Map.of());
    PairImages images = PairImages.read(pair, conf, config.readLimits());
    OutputFolder folder = new OutputFolder(out, conf);
    PairResult result;
    try (NDManager manager = NativeScope.open(device)) {
      result = pipeline.register(images, manager);
    } catch (StageFailure e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    Map<String, Map<String, String>> written = new java.util.LinkedHashMap<>(
        ResultFiles.write(folder, pair, config, result, conf));
    if (qc) {
      written.put("qc", QcFiles.write(new OutputFolder(folder.resolve("qc"), conf), images.fixed(), result));
    }
    report(result, written);
    return 0;
  }

  private void report(PairResult result, Map<String, Map<String, String>> written) {
    PrintWriter out = spec.commandLine().getOut();
    AffineResult affine = result.affine().result();
    out.printf(Locale.ROOT, "registered %s -> %s (%s): loss %.6g -> %.6g, %d iterations, %.2f s%n", moving, fixed,
        lower(affine.model()), affine.initialLoss(), affine.finalLoss(), affine.totalIterations(), affine.seconds());
    DeformableStage deformable = result.deformable();
    if (deformable != null) {
      out.printf(Locale.ROOT, "deformable stage: loss %.6g -> %.6g, %.2f s, folding fraction %.4g, SDlogJ %.4g%n",
          deformable.result().initialLoss(), deformable.result().finalLoss(), deformable.result().seconds(),
          deformable.jacobian().foldingFraction(), deformable.jacobian().sdLogJacobian());
      if (deformable.inverseConsistency() != null) {
        out.printf(Locale.ROOT, "inverse consistency: mean %.4g mm, max %.4g mm%n",
            deformable.inverseConsistency().meanMm(), deformable.inverseConsistency().maxMm());
      }
    }
    written.values().forEach(files -> files.values().forEach(uri -> out.println("wrote " + uri)));
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
