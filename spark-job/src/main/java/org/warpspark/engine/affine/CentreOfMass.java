package org.warpspark.engine.affine;

import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.Affine;

/** Intensity-weighted centre of an image in physical space, weights shifted so the darkest voxel counts 0. */
final class CentreOfMass {
  private CentreOfMass() {}

  static double[] of(Image image) {
    float[] v = image.voxels();
    double min = Double.POSITIVE_INFINITY;
    for (float x : v) {
      min = Math.min(min, x);
    }
    int d = image.dim();
    int[] size = image.grid().size();
    double[] sum = new double[d];
    double total = 0;
    for (int flat = 0; flat < v.length; flat++) {
      double w = v[flat] - min;
      if (w <= 0) {
        continue;
      }
      int rest = flat;
      for (int a = 0; a < d; a++) {
        sum[a] += w * (rest % size[a]);
        rest /= size[a];
      }
      total += w;
    }
    if (total == 0) {
      return image.grid().centre();
    }
    for (int a = 0; a < d; a++) {
      sum[a] /= total;
    }
    Affine indexToPhysical = image.grid().indexToPhysical();
    return indexToPhysical.apply(sum);
  }
}
