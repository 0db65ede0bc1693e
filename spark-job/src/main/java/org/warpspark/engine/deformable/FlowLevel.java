package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.warpspark.engine.pyramid.GaussianFilter;
import org.warpspark.engine.sample.TransposedMatrices;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * One pyramid level as {@link FlowModule} sees it (see there for the tensors). {@code voxelMm} is the
 * level's finest spacing: steps and smoothing widths are given in voxels of it.
 */
record FlowLevel(Grid grid, NDArray fixed, NDArray stats, NDArray weight, NDArray base, NDArray mmToMoving,
    NDArray moving, NDArray ranges, NDArray identity, NDArray mmToFixed, List<NDArray> box, List<NDArray> fluid,
    List<NDArray> elastic, double voxelMm) {

  /**
   * @param mask null, or the level's fixed mask (voxels > 0.5 count)
   * @param window local NCC's window, voxels per axis
   * @param fluidSigma smoothing of each update, voxels (0: none)
   * @param elasticSigma smoothing of the field after each update, voxels (0: none)
   */
  static FlowLevel of(Image fixed, Image moving, Image mask, Affine affine, boolean localNcc, int window,
      float[] ranges, double fluidSigma, double elasticSigma, FlowModule module, NDManager scope) {
    Grid grid = fixed.grid();
    ControlFrame frame = ControlFrame.of(grid, scope);
    Affine movingNormalised = ControlFrame.physicalToNormalised(moving.grid()).after(affine);
    NDArray fixedTensor = image(fixed.voxels(), grid, scope);
    NDArray weight = mask == null ? scope.ones(fixedTensor.getShape()) : image(binary(mask.voxels()), grid, scope);
    double voxelMm = Arrays.stream(grid.spacing()).min().orElseThrow();
    List<NDArray> box = filters(grid, a -> boxWeights(window / 2), scope);
    NDArray stats = localNcc ? attached(module.fixedStats(fixedTensor, box), scope) : fixedTensor;
    return new FlowLevel(grid, fixedTensor, stats, weight, ControlFrame.points(grid, movingNormalised, scope),
        TransposedMatrices.linear(movingNormalised, scope), image(moving.voxels(), moving.grid(), scope),
        scope.create(ranges), frame.identity(), frame.mmToControl(), box,
        filters(grid, a -> gaussian(fluidSigma * voxelMm / grid.spacing()[a]), scope),
        filters(grid, a -> gaussian(elasticSigma * voxelMm / grid.spacing()[a]), scope), voxelMm);
  }

  /** {@code (1, d, [nz,] ny, nx)} zeros: no displacement on {@code grid}. */
  static NDArray zeroField(Grid grid, NDManager manager) {
    long[] shape = LevelInputs.batched(Image.tensorShape(grid));
    shape[1] = grid.dim();
    return manager.zeros(new Shape(shape), DataType.FLOAT32);
  }

  private static NDArray image(float[] voxels, Grid grid, NDManager scope) {
    return scope.create(voxels, new Shape(LevelInputs.batched(Image.tensorShape(grid))));
  }

  private static float[] binary(float[] mask) {
    float[] w = new float[mask.length];
    for (int i = 0; i < mask.length; i++) {
      w[i] = mask[i] > 0.5f ? 1f : 0f;
    }
    return w;
  }

  /**
   * One {@code (n, n)} matrix per index axis: row {@code i} holds the weights {@code w(j - i)} of
   * {@code weights.apply(axis)}, cut at the border and renormalised there, so that a product with it
   * filters along that axis.
   */
  private static List<NDArray> filters(Grid grid, IntFunction<double[]> weights, NDManager scope) {
    List<NDArray> filters = new ArrayList<>();
    for (int a = 0; a < grid.dim(); a++) {
      double[] w = weights.apply(a);
      int radius = w.length / 2;
      int n = grid.size()[a];
      float[] m = new float[n * n];
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int j = Math.max(0, i - radius); j <= Math.min(n - 1, i + radius); j++) {
          sum += w[j - i + radius];
        }
        for (int j = Math.max(0, i - radius); j <= Math.min(n - 1, i + radius); j++) {
          m[i * n + j] = (float) (w[j - i + radius] / sum);
        }
      }
      filters.add(scope.create(m, new Shape(n, n)));
    }
    return filters;
  }

  /** A Gaussian of {@code sigma} voxels; below a tenth of a voxel, no smoothing. */
  private static double[] gaussian(double sigma) {
    return sigma < 0.1 ? new double[] {1} : GaussianFilter.kernel(sigma);
  }

  private static double[] boxWeights(int radius) {
    double[] w = new double[2 * radius + 1];
    Arrays.fill(w, 1);
    return w;
  }

  private static NDArray attached(NDArray array, NDManager scope) {
    array.attach(scope);
    return array;
  }
}
