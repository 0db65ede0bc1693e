package org.warpspark.apply;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.engine.sample.Warper;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.PixelType;
import org.warpspark.image.ReadLimits;
import org.warpspark.image.TransformFiles;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.TransformChain;

/**
 * Applies a transform chain to one image as {@code antsApplyTransforms} does: the output is on the
 * reference grid, {@code out(x) = input(T1(T2(...Tn(x))))} for {@code -t T1 ... -t Tn}, resampled as
 * ITK's {@code ResampleImageFilter} does ({@link Warper#resample}). Linear output is float32; nearest
 * neighbour keeps the input's voxel type, so label maps stay label maps.
 */
public final class ApplyTransforms {
  private ApplyTransforms() {}

  /** One request: files by URI or path, the chain in command-line order. */
  public record Request(String input, String reference, List<ChainArgument> transforms, String output,
      Interpolator interpolator, float defaultValue) {
    public Request {
      transforms = List.copyOf(transforms);
      if (transforms.isEmpty()) {
        throw new IllegalArgumentException("no transform given (-t)");
      }
    }
  }

  public static Image apply(Request request, Configuration conf, ReadLimits limits, NDManager manager) {
    Image input = ImageFiles.read(request.input(), conf, limits);
    Grid reference = ImageFiles.readGrid(request.reference(), conf, limits);
    if (input.dim() != reference.dim()) {
      throw new IllegalArgumentException("the input " + request.input() + " is " + input.dim() + "D but the reference "
          + request.reference() + " is " + reference.dim() + "D");
    }
    if (request.interpolator() == Interpolator.NEAREST_NEIGHBOR && !input.storedAs().holdsExactly(request.defaultValue())) {
      throw new IllegalArgumentException("the default value " + request.defaultValue() + " cannot be stored in the "
          + input.storedAs() + " voxels of " + request.input() + ", which nearest-neighbour output keeps");
    }
    TransformChain chain = chain(request.transforms(), conf, limits);
    if (chain.dim() != input.dim()) {
      throw new IllegalArgumentException("the transforms are " + chain.dim() + "D but the input " + request.input()
          + " is " + input.dim() + "D");
    }
    Image out = Warper.resample(input, reference, chain.onGrid(reference), request.interpolator().sampling(),
        request.defaultValue(), manager);
    Image typed = request.interpolator() == Interpolator.LINEAR ? new Image(out.grid(), out.voxels(), PixelType.FLOAT32)
        : out;
    ImageFiles.write(typed, request.output(), conf);
    return typed;
  }

  static TransformChain chain(List<ChainArgument> transforms, Configuration conf, ReadLimits limits) {
    List<FixedToMoving> steps = new ArrayList<>();
    for (ChainArgument t : transforms) {
      steps.add(TransformFiles.read(t.location(), t.inverse(), conf, limits));
    }
    return new TransformChain(steps);
  }
}
