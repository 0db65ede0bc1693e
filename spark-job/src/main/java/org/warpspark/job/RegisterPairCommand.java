package org.warpspark.job;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.engine.affine.AffineRegistration;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.affine.AffineSettings;
import org.warpspark.engine.deformable.DeformableRegistration;
import org.warpspark.engine.deformable.DeformableResult;
import org.warpspark.engine.deformable.DeformableSettings;
import org.warpspark.engine.sample.Warper;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ImageFormat;
import org.warpspark.image.ReadLimits;
import org.warpspark.torch.NativeScope;
import org.warpspark.udfs.metric.InverseConsistency;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkTransformFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Registers one pair and writes the contract files: {@code transform.tfm} (ITK, fixed to moving, LPS
 * mm), {@code TransformParameters.txt} (elastix/transformix), {@code warped.<moving's format>},
 * {@code summary.json} and, after a deformable stage, {@code displacement.nii.gz} (the whole map).
 */
@Command(name = "register-pair", mixinStandardHelpOptions = true,
    description = "Registers one image pair (affine, then optionally deformable); writes transform.tfm, "
        + "TransformParameters.txt, warped.<ext>, summary.json and, with a deformable stage, displacement.nii.gz "
        + "into --out.")
final class RegisterPairCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  static final String DISPLACEMENT = "displacement.nii.gz";

  @Option(names = "--fixed", required = true, description = "fixed (reference) image")
  String fixed;
  @Option(names = "--moving", required = true, description = "moving image, warped onto the fixed grid")
  String moving;
  @Option(names = "--out", required = true, description = "output folder (created if needed)")
  String out;
  @Option(names = "--model", description = "translation, rigid, similarity or affine (default rigid)")
  String model;
  @Option(names = "--loss", description = "mse, ncc or mi (default mse)")
  String loss;
  @Option(names = "--fixed-mask", description = "mask on the fixed grid; voxels > 0.5 are compared")
  String fixedMask;
  @Option(names = "--seed", description = "seed of the voxel sampling (default 0)")
  String seed;
  @Option(names = "--levels", description = "pyramid factors, coarse to fine (default 4,2,1)")
  String levels;
  @Option(names = "--iterations", description = "maximum iterations per level (default 100,60,250)")
  String iterations;
  @Option(names = "--learning-rate", description = "Adam step in mm at the finest level (default 0.5)")
  String learningRate;
  @Option(names = "--samples", description = "random fixed voxels per iteration; 0 = all (default 2048)")
  String samples;
  @Option(names = "--centre", description = "centre of rotation: image or mass (default image)")
  String centre;
  @Option(names = "--init", description = "initial translation: geometry, mass or none (default geometry)")
  String init;
  @Option(names = "--sampler", description = "fused (PyTorch grid_sampler in one TorchScript call) or gather "
      + "(reference) (default fused)")
  String sampler;
  @Option(names = "--fixed-sampling", description = "random fixed samples on voxel centres or jittered "
      + "(default: jittered for mse and ncc, centres for mi)")
  String fixedSampling;
  @Option(names = "--stages", defaultValue = "affine",
      description = "affine, or affine,deformable: adds displacement.nii.gz, the whole map as one field (default ${DEFAULT-VALUE})")
  String stages;
  @Option(names = "--deformable-loss", description = "mse, ncc, mi or lncc (local NCC over --lncc-window voxels) "
      + "(default: --loss)")
  String deformableLoss;
  @Option(names = "--lncc-window", description = "local NCC window, voxels per axis, odd (default 7)")
  String lnccWindow;
  @Option(names = "--control-spacing", description = "control-point spacing of the deformable field in mm (default 8)")
  String controlSpacing;
  @Option(names = "--regulariser", description = "smoothness penalty: diffusion or bending (default diffusion)")
  String regulariser;
  @Option(names = "--regularisation-weight", description = "weight of the penalty; diffusion is dimensionless, "
      + "bending in 1/mm^2 (default 0.0015 for diffusion, 0.1 for bending)")
  String regularisationWeight;
  @Option(names = "--diffeomorphic", description = "optimise a stationary velocity field; the map is its exponential "
      + "(scaling and squaring) and cannot fold")
  boolean diffeomorphic;
  @Option(names = "--deformable-levels", description = "deformable pyramid factors (default 2,1)")
  String deformableLevels;
  @Option(names = "--deformable-iterations", description = "deformable iterations per level (default 150,250)")
  String deformableIterations;
  @Option(names = "--inverse-consistency", description = "also register moving to fixed (deformable stage from the "
      + "inverse affine) and record the inverse consistency error |T_mf(T_fm(x)) - x| in summary.json")
  boolean inverseConsistency;
  @Option(names = "--moving-labels", description = "label map on the moving grid: warped (nearest neighbour) to warped_labels.<ext>")
  String movingLabels;
  @Option(names = "--fixed-labels", description = "label map on the fixed grid: with --moving-labels, Dice per label goes into summary.json")
  String fixedLabels;
  @Option(names = "--max-voxels", description = "refuse images with more voxels (default: 512^3 * 2)")
  String maxVoxels;

  @Override
  public Integer call() {
    RegistrationConfig config = config();
    AffineSettings settings = config.affine();
    DeformableSettings deformableSettings = config.deformable();
    Configuration conf = StorageAccess.configuration();
    ReadLimits limits = config.readLimits();
    Image fixedImage = ImageFiles.read(fixed, conf, limits);
    Image movingImage = ImageFiles.read(moving, conf, limits);
    Image mask = fixedMask == null ? null : ImageFiles.read(fixedMask, conf, limits);
    OutputFolder folder = new OutputFolder(out, conf);
    String warpedName = "warped" + ImageFormat.extensionOf(moving);
    boolean deformable = deformableSettings != null;
    if (inverseConsistency && !deformable) {
      throw new IllegalArgumentException("--inverse-consistency needs --stages affine,deformable");
    }
    Image movingLabelMap = movingLabels == null ? null : ImageFiles.read(movingLabels, conf, limits);
    Image fixedLabelMap = fixedLabels == null ? null : ImageFiles.read(fixedLabels, conf, limits);
    AffineResult result;
    DeformableResult refined = null;
    InverseConsistency consistency = null;
    LabelOverlap overlap = null;
    try (NDManager manager = NativeScope.openCpu()) {
      result = new AffineRegistration(settings).register(fixedImage, movingImage, mask, manager);
      if (deformable) {
        refined = new DeformableRegistration(deformableSettings)
            .register(fixedImage, movingImage, mask, result.fixedToMoving(), manager);
        ImageFiles.writeDisplacementField(refined.fixedToMoving(), folder.resolve(DISPLACEMENT), conf);
        if (inverseConsistency) {
          DeformableResult reverse = new DeformableRegistration(deformableSettings)
              .register(movingImage, fixedImage, null, result.fixedToMoving().inverse(), manager);
          consistency = InverseConsistency.of(refined.fixedToMoving(), reverse.fixedToMoving());
        }
      }
      ImageFiles.write(warp(movingImage, fixedImage.grid(), result, refined, Warper.Interpolation.LINEAR, manager),
          folder.resolve(warpedName), conf);
      if (movingLabelMap != null) {
        Image warpedLabels = warp(movingLabelMap, fixedImage.grid(), result, refined, Warper.Interpolation.NEAREST,
            manager);
        ImageFiles.write(warpedLabels, folder.resolve("warped_labels" + ImageFormat.extensionOf(movingLabels)), conf);
        if (fixedLabelMap != null) {
          overlap = LabelOverlap.of(fixedLabelMap, movingLabelMap, result, refined, manager);
        }
      }
    }
    folder.writeText("transform.tfm", ItkTransformFile.format(result.fixedToMoving(), result.centre()));
    folder.writeText("TransformParameters.txt", ElastixTransformParameters.format(result.fixedToMoving(),
        result.centre(), fixedImage.grid(), ElastixTransformParameters.Options.defaults()));
    folder.writeText("summary.json", RegistrationSummary.json(fixed, moving, settings, result,
        refined == null ? null : new RegistrationSummary.Deformable(deformableSettings, refined, consistency), overlap,
        fixedImage.grid(), movingImage.grid(), warpedName));
    out().printf(Locale.ROOT, "registered %s -> %s (%s, %s): loss %.6g -> %.6g, %d iterations, %.2f s%n", moving,
        fixed, settings.model().name().toLowerCase(Locale.ROOT), settings.loss().name().toLowerCase(Locale.ROOT),
        result.initialLoss(), result.finalLoss(), result.totalIterations(), result.seconds());
    if (refined != null) {
      JacobianStatistics jacobian = JacobianStatistics.of(refined.fixedToMoving());
      out().printf(Locale.ROOT, "deformable stage (%s%s): loss %.6g -> %.6g, %.2f s, folding fraction %.4g, "
          + "SDlogJ %.4g%n", deformableSettings.loss().name().toLowerCase(Locale.ROOT),
          deformableSettings.diffeomorphic() ? ", diffeomorphic" : "", refined.initialLoss(), refined.finalLoss(),
          refined.seconds(), jacobian.foldingFraction(), jacobian.sdLogJacobian());
      if (consistency != null) {
        out().printf(Locale.ROOT, "inverse consistency: mean %.4g mm, max %.4g mm%n", consistency.meanMm(),
            consistency.maxMm());
      }
    }
    out().println("wrote " + folder + "/{transform.tfm, TransformParameters.txt, " + warpedName
        + (refined != null ? ", " + DISPLACEMENT : "") + ", summary.json}");
    return 0;
  }

  /** The moving image on the fixed grid through the final map: the displacement field if there is one. */
  static Image warp(Image image, Grid fixedGrid, AffineResult affine,
      DeformableResult refined, Warper.Interpolation interpolation, NDManager manager) {
    return refined != null
        ? Warper.warp(image, refined.fixedToMoving(), interpolation, manager)
        : Warper.warp(image, fixedGrid, affine.fixedToMoving(), interpolation, manager);
  }

  /** The registration settings the options give, over {@link RegistrationConfig}'s defaults. */
  RegistrationConfig config() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("stages", stages);
    given.put("model", model);
    given.put("loss", loss);
    given.put("seed", seed);
    given.put("levels", levels);
    given.put("iterations", iterations);
    given.put("learning-rate", learningRate);
    given.put("samples", samples);
    given.put("centre", centre);
    given.put("init", init);
    given.put("sampler", sampler);
    given.put("fixed-sampling", fixedSampling);
    given.put("deformable-loss", deformableLoss);
    given.put("lncc-window", lnccWindow);
    given.put("control-spacing", controlSpacing);
    given.put("regulariser", regulariser);
    given.put("regularisation-weight", regularisationWeight);
    given.put("diffeomorphic", String.valueOf(diffeomorphic));
    given.put("deformable-levels", deformableLevels);
    given.put("deformable-iterations", deformableIterations);
    given.put("max-voxels", maxVoxels);
    given.values().removeIf(java.util.Objects::isNull);
    return RegistrationConfig.of(given);
  }

  /** The command's output stream (standard output, or what a caller of the command line set). */
  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
