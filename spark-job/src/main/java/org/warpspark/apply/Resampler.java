package org.warpspark.apply;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.LinearCorners;
import org.warpspark.udfs.spatial.TransformChain;

/**
 * ITK's {@code ResampleImageFilter}, in plain Java: each voxel centre {@code x} of the reference grid
 * takes the input's value at {@code chain(x)} if that point lies within half a voxel of the input's
 * border voxel centres (continuous index in {@code [-0.5, n - 0.5)} on every axis, ITK's
 * {@code IsInsideBuffer}), else {@code outside}. Linear interpolation and the label vote clamp to the
 * border voxel centres, as ITK's linear interpolator does; nearest neighbour rounds halves up; the cubic
 * B-spline mirrors there ({@link CubicBSpline}, whose coefficients take a float per input voxel).
 *
 * <p>The output is made slab by slab along the reference's last axis and handed on, so only the
 * input and one slab are in memory: the chain is evaluated point by point, never stored as a field.
 * No native memory is used; the slab's rows are shared among {@code threads} threads.
 */
final class Resampler {
  private final Image input;
  private final TransformChain chain;
  private final Interpolator interpolator;
  private final float outside;
  private final int threads;
  private final Affine toInputIndex;
  private final int[] size;
  private final CubicBSpline spline;

  Resampler(Image input, TransformChain chain, Interpolator interpolator, float outside, int threads) {
    if (chain.dim() != input.dim()) {
      throw new IllegalArgumentException("a " + chain.dim() + "D chain cannot resample a " + input.dim() + "D image");
    }
    this.input = input;
    this.chain = chain;
    this.interpolator = interpolator;
    this.outside = outside;
    this.threads = Math.max(1, threads);
    this.toInputIndex = input.grid().physicalToIndex();
    this.size = input.grid().size();
    this.spline = interpolator == Interpolator.BSPLINE ? new CubicBSpline(input.voxels(), size) : null;
  }

  /**
   * Resamples onto {@code reference} in slabs of about {@code slabVoxels} voxels (whole rows of the last
   * axis, at least one), handing each to {@code sink} in order.
   */
  void resample(Grid reference, long slabVoxels, Consumer<float[]> sink) {
    if (reference.dim() != input.dim()) {
      throw new IllegalArgumentException("cannot resample a " + input.dim() + "D image onto a " + reference.dim()
          + "D grid");
    }
    int last = reference.dim() - 1;
    int rows = reference.size()[last];
    long rowVoxels = reference.voxelCount() / rows;
    int perSlab = (int) Math.max(1, Math.min(rows, slabVoxels / rowVoxels));
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      for (int from = 0; from < rows; from += perSlab) {
        int to = Math.min(rows, from + perSlab);
        float[] slab = new float[Math.toIntExact((to - from) * rowVoxels)];
        int first = from;
        pool.submit(() -> IntStream.range(first, to).parallel().forEach(row -> resampleRow(reference, row,
            first, rowVoxels, slab))).get();
        sink.accept(slab);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resampling", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One row of the last axis (a slice in 3D, a line in 2D) into its place in {@code slab}. */
  private void resampleRow(Grid reference, int row, int slabStart, long rowVoxels, float[] slab) {
    int d = reference.dim();
    TransformChain.Evaluator chainOfIndex = chain.evaluator(reference.indexToPhysical(), toInputIndex);
    double[] at = new double[d];
    LinearCorners corners = new LinearCorners(size);
    Vote vote = interpolator == Interpolator.GENERIC_LABEL ? new Vote(corners.count()) : null;
    CubicBSpline.Point point = spline == null ? null : spline.new Point();
    double[] index = new double[d];
    int[] referenceSize = reference.size();
    int offset = (int) ((row - slabStart) * rowVoxels);
    for (int v = 0; v < rowVoxels; v++) {
      int rest = v;
      for (int a = 0; a < d - 1; a++) {
        index[a] = rest % referenceSize[a];
        rest /= referenceSize[a];
      }
      index[d - 1] = row;
      chainOfIndex.apply(index, at);
      slab[offset + v] = !corners.reaches(at) ? outside : point != null ? (float) point.at(at)
          : sample(at, corners, vote);
    }
  }

  private float sample(double[] index, LinearCorners corners, Vote vote) {
    float[] voxels = input.voxels();
    switch (interpolator) {
      case NEAREST_NEIGHBOR -> {
        int flat = 0;
        int stride = 1;
        for (int a = 0; a < index.length; a++) {
          // Within [-0.5, n - 0.5), but n - 0.5 - ulp plus a half may round up to n.
          flat += Math.min((int) Math.floor(index[a] + 0.5), size[a] - 1) * stride;
          stride *= size[a];
        }
        return voxels[flat];
      }
      case GENERIC_LABEL -> {
        corners.at(index);
        return vote.winner(voxels, corners);
      }
      default -> {
        corners.at(index);
        double sum = 0;
        for (int c = 0; c < corners.count(); c++) {
          double w = corners.weight(c);
          if (w != 0) {
            sum += w * voxels[corners.flat(c)];
          }
        }
        return (float) sum;
      }
    }
  }

  /**
   * The label vote ({@code antsApplyTransforms -n GenericLabel}): every label among the 2^d
   * surrounding voxels gets the sum of their linear weights, and the label with the most wins (the
   * smaller on a tie). That is the argmax of each label's linearly interpolated membership, so borders
   * stay smooth and no label is invented between two others.
   */
  private static final class Vote {
    private final float[] labels;
    private final double[] weights;

    Vote(int corners) {
      labels = new float[corners];
      weights = new double[corners];
    }

    float winner(float[] voxels, LinearCorners corners) {
      int distinct = 0;
      for (int c = 0; c < corners.count(); c++) {
        float label = voxels[corners.flat(c)];
        int k = 0;
        while (k < distinct && labels[k] != label) {
          k++;
        }
        if (k == distinct) {
          labels[k] = label;
          weights[k] = 0;
          distinct++;
        }
        weights[k] += corners.weight(c);
      }
      int best = 0;
      for (int k = 1; k < distinct; k++) {
        if (weights[k] > weights[best] || (weights[k] == weights[best] && labels[k] < labels[best])) {
          best = k;
        }
      }
      return labels[best];
    }
  }
}
