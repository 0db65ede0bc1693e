package org.warpspark.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PixelType;
import org.warpspark.image.PointList;
import org.warpspark.image.ReadLimits;
import org.warpspark.image.SlabWriter;
import org.warpspark.image.TransformFiles;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.metric.LandmarkError;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TransformChain;
import org.warpspark.udfs.spatial.TransformFileException;

/**
 * Applies a transform chain to one image as {@code antsApplyTransforms} does: the output is on the
 * reference grid, {@code out(x) = input(Tn(...T2(T1(x))))} for {@code -t T1 ... -t Tn} (the first
 * listed acts first on an output point; seen as moving the image, the last moves it first), resampled
 * as ITK's {@code ResampleImageFilter} does ({@link Resampler}), slab by slab into the output file.
 * Linear output is float32 unless asked otherwise; nearest neighbour and the label vote keep the
 * input's voxel type, so label maps stay label maps.
 */
public final class ApplyTransforms {
  /** Output voxels made at a time: a 64 MB float slab, whatever the reference's size. */
  static final long SLAB_VOXELS = 1L << 24;

  private ApplyTransforms() {}

  /**
   * One request: files by URI or path, the chain in command-line order.
   *
   * @param outputType how the output stores its voxels, or null: float32 for linear, the input's type for
   *     label-keeping interpolation
   */
  public record Request(String input, String reference, List<ChainArgument> transforms, String output,
      Interpolator interpolator, float defaultValue, PixelType outputType) {
    public Request {
      transforms = List.copyOf(transforms);
      if (transforms.isEmpty()) {
        throw new IllegalArgumentException("no transform given (-t)");
      }
    }

    public Request(String input, String reference, List<ChainArgument> transforms, String output,
        Interpolator interpolator, float defaultValue) {
      this(input, reference, transforms, output, interpolator, defaultValue, null);
    }
  }

  /** What an image application wrote. */
  public record Written(PixelType type, long voxels) {}

  /** Resamples and writes the output with {@code threads} threads. */
  public static Written apply(Request request, Configuration conf, ReadLimits limits, int threads) {
    return apply(request, conf, limits, threads, SLAB_VOXELS);
  }

  static Written apply(Request request, Configuration conf, ReadLimits limits, int threads, long slabVoxels) {
    Image input = ImageFiles.read(request.input(), conf, limits);
    Grid reference = ImageFiles.readGrid(request.reference(), conf, limits);
    if (input.dim() != reference.dim()) {
      throw new IllegalArgumentException("the input " + request.input() + " is " + input.dim() + "D but the reference "
          + request.reference() + " is " + reference.dim() + "D");
    }
    PixelType type = request.outputType() != null ? request.outputType()
        : request.interpolator().keepsLabels() ? input.storedAs() : PixelType.FLOAT32;
    if (!type.holdsExactly(request.defaultValue())) {
      throw new IllegalArgumentException("the default value " + request.defaultValue() + " cannot be stored in the "
          + type + " voxels of the output " + request.output());
    }
    TransformChain chain = chain(request.transforms(), conf, limits);
    if (chain.dim() != input.dim()) {
      throw new IllegalArgumentException("the transforms are " + chain.dim() + "D but the input " + request.input()
          + " is " + input.dim() + "D");
    }
    Resampler resampler = new Resampler(input, chain, request.interpolator(), request.defaultValue(), threads);
    try (SlabWriter out = SlabWriter.open(request.output(), reference, type, conf)) {
      resampler.resample(reference, slabVoxels, out::write);
    }
    return new Written(type, reference.voxelCount());
  }

  /** What a point list's application gave: the points mapped, and their error against targets if given (else null). */
  public record PointsApplied(int count, LandmarkError.Summary targetError) {}

  /**
   * Maps each point of a point list (CSV or Parquet, {@link PointList}; the output in the same format)
   * through the chain, {@code Tn(...T1(p))}, as
   * {@code antsApplyTransformsToPoints} does: the chain that resamples images from A onto B's grid
   * maps B's points to A's. {@code ras}: the coordinates are RAS, not LPS (x and y negated around the
   * mapping). With {@code targets} (a point list of the other image, row for row, or null), each
   * point's distance from its target (mm) is added as a column {@code tre_mm} and summarised.
   */
  public static PointsApplied applyToPoints(String input, List<ChainArgument> transforms, String output, boolean ras,
      String targets, Configuration conf, ReadLimits limits) {
    if (!extension(input).equals(extension(output))) {
      throw new IllegalArgumentException("the output " + output + " of a point list is written in its input's format, "
          + extension(input));
    }
    TransformChain chain = chain(transforms, conf, limits);
    PointList points = PointList.read(input, conf, chain.dim());
    List<double[]> moved = new ArrayList<>();
    for (double[] p : points.coordinates()) {
      moved.add(ras ? flipXy(chain.apply(flipXy(p))) : chain.apply(p));
    }
    PointList result = points.moved(moved);
    LandmarkError.Summary error = null;
    if (targets != null) {
      double[] distances = LandmarkError.distances(moved, PointList.read(targets, conf, chain.dim()).coordinates());
      result = result.withColumn("tre_mm", distances);
      error = LandmarkError.summary(distances);
    }
    result.write(output, conf);
    return new PointsApplied(moved.size(), error);
  }

  /**
   * Flattens the chain into one transform file, as {@code antsApplyTransforms -o [FILE,1]} does:
   * {@code .h5} holds the chain's queue as it is (exact, no reference needed); a NIfTI displacement
   * field samples the chain at each voxel of {@code reference}'s grid; {@code .mat} and {@code .tfm}
   * hold the composed matrix of a chain of affines. Returns the number of steps written.
   */
  public static int writeComposite(List<ChainArgument> transforms, String reference, String output,
      Configuration conf, ReadLimits limits) {
    TransformChain chain = chain(transforms, conf, limits);
    String name = output.toLowerCase(Locale.ROOT);
    List<FixedToMoving> queue;
    if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      queue = chain.steps();
    } else if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      if (reference == null) {
        throw new IllegalArgumentException("a displacement field output needs the reference image (-r) whose grid it "
            + "takes");
      }
      Grid grid = ImageFiles.readGrid(reference, conf, limits);
      if (grid.dim() != chain.dim()) {
        throw new IllegalArgumentException("the transforms are " + chain.dim() + "D but the reference " + reference
            + " is " + grid.dim() + "D");
      }
      queue = List.of(new FixedToMoving.Dense(DisplacementField.of(grid, chain::apply)));
    } else {
      queue = List.of(new FixedToMoving.Linear(chain.affine().orElseThrow(() -> new IllegalArgumentException(
          "the chain holds a displacement field or B-spline: flatten it into an .h5 or a displacement field (.nii.gz), "
              + "not " + output))));
    }
    TransformFiles.write(queue, output, conf);
    return queue.size();
  }

  private static String extension(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.substring(lower.lastIndexOf('.') + 1);
  }

  /** LPS and RAS differ in the signs of x and y. */
  private static double[] flipXy(double[] p) {
    double[] q = p.clone();
    q[0] = -q[0];
    q[1] = -q[1];
    return q;
  }

  /**
   * The queue ANTs builds from {@code -t} arguments: the last argument's steps first, so that the first
   * argument acts first on a point; a composite file's steps keep their own queue order.
   */
  static TransformChain chain(List<ChainArgument> transforms, Configuration conf, ReadLimits limits) {
    List<FixedToMoving> queue = new ArrayList<>();
    for (int k = transforms.size() - 1; k >= 0; k--) {
      ChainArgument t = transforms.get(k);
      TransformFiles.Read read = TransformFiles.readStep(t.location(), t.inverse(), conf, limits);
      if (read.initialTransform() != null) {
        requireInitialBeside(transforms, k, read.initialTransform(), conf);
      }
      queue.addAll(read.steps());
    }
    return new TransformChain(queue);
  }

  /**
   * elastix applies a file's initial transform first, {@code current(initial(x))}, and we never open a
   * file the chain does not list: the initial file must be listed right before the file
   * ({@code -t INITIAL -t FILE}), or for the inverse right after ({@code -t [FILE,1] -t [INITIAL,1]}).
   */
  private static void requireInitialBeside(List<ChainArgument> transforms, int k, String initial,
      Configuration conf) {
    ChainArgument t = transforms.get(k);
    int beside = t.inverse() ? k + 1 : k - 1;
    boolean listed = false;
    // The name comes from a file: it is checked like any input before a file system is asked about it.
    if (InputUris.refusal(initial, conf) == null && beside >= 0 && beside < transforms.size()
        && transforms.get(beside).inverse() == t.inverse()) {
      String neighbour = TransformFiles.qualified(transforms.get(beside).location(), conf);
      // elastix writes the name as it was given: relative to where elastix ran, or to the file's folder.
      listed = neighbour.equals(TransformFiles.besides(t.location(), initial, conf))
          || neighbour.equals(TransformFiles.qualified(initial, conf));
    }
    if (!listed) {
      String file = InputUris.redacted(t.location());
      String named = InputUris.redacted(initial);
      throw new TransformFileException(file + ": names its initial transform " + named + ", which elastix applies "
          + "first and which is not opened unless the chain lists it: " + (t.inverse()
              ? "-t [" + file + ",1] -t [" + named + ",1]" : "-t " + named + " -t " + file));
    }
  }
}
