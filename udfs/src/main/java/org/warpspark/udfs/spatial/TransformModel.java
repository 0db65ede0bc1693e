package org.warpspark.udfs.spatial;

import java.util.Locale;

/**
 * Which motions a registration may find. Each model frees a prefix-compatible subset of
 * {@link MotionParameters}; its parameter vector is laid out as
 * {@code [translation(d), angles(1 or 3), logScales(1 or d), shears(1 or 3)]}, keeping only the
 * groups the model uses (similarity has one isotropic log-scale, affine one per axis).
 */
public enum TransformModel {
  TRANSLATION, RIGID, SIMILARITY, AFFINE;

  public static TransformModel parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown transform model '" + name
          + "' (expected translation, rigid, similarity or affine)", e);
    }
  }

  public static int angleCount(int dim) {
    return dim == 2 ? 1 : 3;
  }

  public static int shearCount(int dim) {
    return dim == 2 ? 1 : 3;
  }

  public int parameterCount(int dim) {
    int n = dim;
    if (this != TRANSLATION) {
      n += angleCount(dim);
    }
    if (this == SIMILARITY) {
      n += 1;
    }
    if (this == AFFINE) {
      n += dim + shearCount(dim);
    }
    return n;
  }

  /** Names of the vector entries, e.g. {@code tx, ty, rz} for 2D rigid. */
  public String[] parameterNames(int dim) {
    String[] axes = {"x", "y", "z"};
    String[] names = new String[parameterCount(dim)];
    int k = 0;
    for (int i = 0; i < dim; i++) {
      names[k++] = "t" + axes[i];
    }
    if (this != TRANSLATION) {
      if (dim == 2) {
        names[k++] = "rz";
      } else {
        names[k++] = "rx";
        names[k++] = "ry";
        names[k++] = "rz";
      }
    }
    if (this == SIMILARITY) {
      names[k++] = "log_s";
    }
    if (this == AFFINE) {
      for (int i = 0; i < dim; i++) {
        names[k++] = "log_s" + axes[i];
      }
      if (dim == 2) {
        names[k++] = "k_xy";
      } else {
        names[k++] = "k_xy";
        names[k++] = "k_xz";
        names[k++] = "k_yz";
      }
    }
    return names;
  }

  /** Expands this model's vector into the full motion. */
  public MotionParameters expand(double[] v, int dim) {
    if (v.length != parameterCount(dim)) {
      throw new IllegalArgumentException(this + " in " + dim + "D takes " + parameterCount(dim)
          + " parameters, got " + v.length);
    }
    MotionParameters p = MotionParameters.identity(dim);
    int k = 0;
    for (int i = 0; i < dim; i++) {
      p.translation()[i] = v[k++];
    }
    if (this != TRANSLATION) {
      for (int i = 0; i < angleCount(dim); i++) {
        p.angles()[i] = v[k++];
      }
    }
    if (this == SIMILARITY) {
      double s = v[k++];
      for (int i = 0; i < dim; i++) {
        p.logScales()[i] = s;
      }
    }
    if (this == AFFINE) {
      for (int i = 0; i < dim; i++) {
        p.logScales()[i] = v[k++];
      }
      for (int i = 0; i < shearCount(dim); i++) {
        p.shears()[i] = v[k++];
      }
    }
    return p;
  }

  /**
   * Per-entry scales that make one optimiser unit move the image edge by about one millimetre:
   * translations 1 (mm), angles, log-scales and shears {@code 1 / radius}.
   */
  public double[] parameterScales(int dim, double radiusMm) {
    double[] s = new double[parameterCount(dim)];
    for (int i = 0; i < s.length; i++) {
      s[i] = i < dim ? 1.0 : 1.0 / radiusMm;
    }
    return s;
  }
}
