package org.warpspark.engine.affine;

import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * The map from the optimiser's scaled parameters {@code q} to the {@code d x (d+1)} matrix {@code G}
 * that takes fixed voxel indices into a frame of the moving image (see {@link LevelFrames}):
 * {@code G(q) = physicalToFrame_moving . fixedToMoving(q * scales) . indexToPhysical_fixed}. Autograd gives dLoss/dG through
 * the sampler; the chain rule to {@code q} uses dG/dq from central differences of the one motion
 * formula in {@link org.warpspark.udfs.spatial.MotionParameters}, so that formula is written once.
 * It is smooth (sines, cosines, exponentials), and in double precision the differences agree with
 * the analytic derivative to about 1e-9.
 */
final class MotionJacobian {
  private static final double STEP = 1e-6;
  private final TransformModel model;
  private final int dim;
  private final double[] scales;
  private final double[] centre;

  MotionJacobian(TransformModel model, int dim, double[] scales, double[] centre) {
    this.model = model;
    this.dim = dim;
    this.scales = scales.clone();
    this.centre = centre.clone();
  }

  double[] centre() {
    return centre.clone();
  }

  Affine fixedToMoving(double[] q) {
    return model.expand(parameters(q), dim).toAffine(centre);
  }

  double[] parameters(double[] q) {
    double[] p = new double[q.length];
    for (int i = 0; i < q.length; i++) {
      p[i] = q[i] * scales[i];
    }
    return p;
  }

  double[] scaledOf(double[] parameters) {
    double[] q = new double[parameters.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = parameters[i] / scales[i];
    }
    return q;
  }

  /** {@code G(q)}: the top d rows of the homogeneous matrix, row-major. */
  float[] frameMatrix(double[] q, LevelFrames frames) {
    double[] g = topRows(q, frames);
    float[] f = new float[g.length];
    for (int i = 0; i < g.length; i++) {
      f[i] = (float) g[i];
    }
    return f;
  }

  /** {@code dLoss/dq = (dG/dq)^T dLoss/dG}. */
  double[] chain(double[] q, float[] lossGradientToG, LevelFrames frames) {
    double[] grad = new double[q.length];
    for (int j = 0; j < q.length; j++) {
      double[] plus = q.clone();
      double[] minus = q.clone();
      plus[j] += STEP;
      minus[j] -= STEP;
      double[] gp = topRows(plus, frames);
      double[] gm = topRows(minus, frames);
      double s = 0;
      for (int k = 0; k < gp.length; k++) {
        s += (gp[k] - gm[k]) / (2 * STEP) * lossGradientToG[k];
      }
      grad[j] = s;
    }
    return grad;
  }

  private double[] topRows(double[] q, LevelFrames frames) {
    double[] h = frames.compose(fixedToMoving(q)).rowMajor();
    double[] top = new double[dim * (dim + 1)];
    System.arraycopy(h, 0, top, 0, top.length);
    return top;
  }
}
