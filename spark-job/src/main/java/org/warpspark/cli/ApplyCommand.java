package org.warpspark.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.warpspark.apply.ApplyTransforms;
import org.warpspark.apply.ChainArgument;
import org.warpspark.apply.Interpolator;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PointList;
import org.warpspark.image.ReadLimits;
import org.warpspark.spark.ApplyJob;
import org.warpspark.spark.SparkSessions;
import org.warpspark.storage.StorageAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Applies a transform chain to one image with {@code antsApplyTransforms}' own option names and chain
 * semantics, so that its command lines carry over (scripts/apply.sh).
 */
@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Resamples one image onto a reference grid through a chain of transforms, as antsApplyTransforms "
        + "does: -t A -t B maps a reference point x to B(A(x)) (seen as moving the image: B first, then A), so "
        + "-t 1Warp.nii.gz -t 0GenericAffine.mat puts a moving image on the fixed grid. With --manifest, a Spark job "
        + "applies every row of a manifest and writes the applications table.")
final class ApplyCommand implements Callable<Integer> {
  /** antsApplyTransforms' {@code -o [FILE,1]}: write the composite transform; {@code [FILE,0]} is FILE. */
  private static final Pattern COMPOSITE_OUTPUT = Pattern.compile("\\[\\s*(.+?)\\s*,\\s*([01])\\s*]");

  @Spec
  CommandSpec spec;

  @Option(names = {"-d", "--dimensionality"}, description = "2 or 3; must match the images (default: the input's)")
  Integer dimensionality;
  @Option(names = {"-i", "--input"}, description = "image to resample, or a point list (.csv or .parquet; "
      + "columns x, y[, z] in mm, others kept) to map through the chain as antsApplyTransformsToPoints does")
  String input;
  @Option(names = {"-r", "--reference-image"}, description = "image whose grid the output takes (images only)")
  String reference;
  @Option(names = {"-o", "--output"}, description = "output image (format by extension), point list (the input's "
      + "format) or, with --composite, transform file")
  String output;
  @Option(names = {"-t", "--transform"}, paramLabel = "FILE|[FILE,1]",
      description = "a transform of the chain, repeatable: ITK .mat or .tfm/.txt, elastix TransformParameters, or a "
          + "NIfTI displacement field; [FILE,1] uses an affine's inverse")
  List<String> transforms;
  @Option(names = {"-n", "--interpolation"}, defaultValue = "Linear",
      description = "Linear, NearestNeighbor, GenericLabel (label maps: each label's linear membership, "
          + "then the largest) or BSpline (cubic, as ITK's) (default ${DEFAULT-VALUE})")
  String interpolation;
  @Option(names = {"-f", "--default-value"}, defaultValue = "0",
      description = "value of output voxels that map outside the input (default ${DEFAULT-VALUE})")
  float defaultValue;
  @Option(names = "--composite", description = "write the chain as one transform instead of resampling: -o FILE.h5 "
      + "(the whole chain, exact), a displacement field (.nii.gz, on -r's grid) or, for affines only, .mat/.tfm; "
      + "antsApplyTransforms' -o [FILE,1] means the same")
  boolean composite;
  @Option(names = "--ras", description = "a point list's coordinates are RAS (nibabel, FSL) rather than LPS (ITK, ANTs)")
  boolean ras;
  @Option(names = "--target-points", description = "with a point list input: where the points should land (a point list "
      + "of the other image, row for row); adds each point's error tre_mm (mm) to the output and prints the summary")
  String targetPoints;
  @Option(names = "--max-voxels", defaultValue = "" + ReadLimits.DEFAULT_MAX_VOXELS,
      description = "largest image (voxels) read, checked from its header first (default ${DEFAULT-VALUE})")
  long maxVoxels;

  @Option(names = "--manifest", description = "the Spark job: apply every row of this manifest (CSV, JSON lines or "
      + "Parquet: application_id, input, transforms[, reference, interpolation, default_value, output_type, "
      + "point_space, target_points, output]) and write the applications table under --out")
  String manifest;
  @Option(names = "--out", description = "with --manifest: folder of the applications table and the outputs")
  String out;
  @Option(names = "--run-id", description = "with --manifest: the run's id, the table's partition "
      + "(default: apply-<UTC time>)")
  String runId;
  @Option(names = "--max-failed-fraction", defaultValue = "0",
      description = "with --manifest: exit 0 while at most this fraction of rows failed (default ${DEFAULT-VALUE})")
  double maxFailedFraction;
  @Option(names = "--master", description = "with --manifest: Spark master (default: spark-submit's, else local[*])")
  String master;

  @Override
  public Integer call() {
    ReadLimits limits = ReadLimits.DEFAULT.withMaxVoxels(maxVoxels);
    if (manifest != null) {
      return runJob(limits);
    }
    if (out != null || runId != null) {
      throw new ParameterException(spec.commandLine(), "--out and --run-id go with --manifest");
    }
    if (transforms == null || output == null) {
      throw new ParameterException(spec.commandLine(), "Missing required options: -t and -o (or --manifest)");
    }
    Configuration conf = StorageAccess.configuration();
    List<ChainArgument> chain = transforms.stream().map(ChainArgument::parse).toList();
    Matcher bracketed = COMPOSITE_OUTPUT.matcher(output.trim());
    if (bracketed.matches()) {
      output = bracketed.group(1);
      composite |= bracketed.group(2).equals("1");
    }
    if (composite) {
      int steps = ApplyTransforms.writeComposite(chain, reference, output, conf, limits);
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d transforms from %d files)%n", output, steps,
          chain.size());
      return 0;
    }
    if (input == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--input' (all but --composite)");
    }
    boolean points = PointList.isPointList(input);
    if (targetPoints != null && !points) {
      throw new ParameterException(spec.commandLine(), "--target-points goes with a point list input (.csv or "
          + ".parquet)");
    }
    if (points) {
      ApplyTransforms.PointsApplied applied = ApplyTransforms.applyToPoints(input, chain, output, ras, targetPoints,
          conf, limits);
      spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d points, %d transforms)%n", output,
          applied.count(), chain.size());
      if (applied.targetError() != null) {
        spec.commandLine().getOut().printf(Locale.ROOT, "target registration error: mean %.4f mm, median %.4f mm, "
            + "max %.4f mm over %d points%n", applied.targetError().meanMm(), applied.targetError().medianMm(),
            applied.targetError().maxMm(), applied.targetError().count());
      }
      return 0;
    }
    if (reference == null) {
      throw new IllegalArgumentException("an image needs a reference image (-r) whose grid the output takes");
    }
    ApplyTransforms.Request request = new ApplyTransforms.Request(input, reference,
        chain, output, Interpolator.parse(interpolation),
        defaultValue);
    if (dimensionality != null) {
      int d = ImageFiles.readGrid(input, conf, limits).dim();
      if (d != dimensionality) {
        throw new IllegalArgumentException("-d " + dimensionality + " but the input " + input + " is " + d + "D");
      }
    }
    ApplyTransforms.apply(request, conf, limits, Runtime.getRuntime().availableProcessors());
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%s, %d transforms)%n", output,
        request.interpolator().antsName(), request.transforms().size());
    return 0;
  }

  /** The Spark job over a manifest; the files come from its rows. */
  private int runJob(ReadLimits limits) {
    if (input != null || reference != null || transforms != null || output != null || composite
        || targetPoints != null) {
      throw new ParameterException(spec.commandLine(), "--manifest takes the files from its rows; -i, -r, -t, -o, "
          + "--composite and --target-points are for one file");
    }
    if (out == null) {
      throw new ParameterException(spec.commandLine(), "--manifest needs --out");
    }
    if (!(maxFailedFraction >= 0 && maxFailedFraction <= 1)) {
      throw new IllegalArgumentException("--max-failed-fraction must be in [0, 1], got " + maxFailedFraction);
    }
    StorageAccess.refuseCredentialsInUri(out, "--out");
    StorageAccess.refuseCredentialsInUri(manifest, "--manifest");
    String id = runId != null ? runId : RunCommand.timestampedId("apply");
    boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSessions.prepareStorage(SparkSessions.builder("warpspark apply " + id, master)
        .getOrCreate());
    try {
      return ApplyJob.run(spark, new ApplyJob.Options(manifest, out, id, maxFailedFraction, limits),
          spec.commandLine().getOut()).exitCode();
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }
}
