package org.warpspark.qc;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.warpspark.image.Image;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Quality-control pictures of a registered pair, each the three planes through the fixed grid's centre
 * side by side (2D: the image), in the patient's axes with square pixels and the edges lettered
 * ({@link PlaneView}): a checkerboard of the fixed and the warped moving image, the Jacobian determinant
 * of the map, and the length of its displacement, the fixed image's edges over the warped one and the
 * warped labels' contours over the fixed image. Intensities are windowed per picture at the 1st and
 * 99th percentiles, so scanner scales do not matter. PNG through the JDK's ImageIO: no library needed.
 */
public final class QcPictures {
  /** Checkerboard tiles across the larger edge of a plane. */
  private static final int TILES = 8;
  private static final int GAP = 6;
  /** Folding (det <= 0): magenta, a colour neither the grey nor the blue-white-red scale has. */
  static final int FOLDING = 0xFF00FF;
  /** The fixed image's edges over the warped one: green, which no grey has. */
  static final int EDGE = 0x00FF00;

  private QcPictures() {}

  /** The fixed image and the warped moving image (on the fixed grid) in alternating tiles. */
  public static BufferedImage checkerboard(Image fixed, Image warped) {
    return panels(fixed.grid(), view -> {
      float[] a = view.sample(fixed.grid(), fixed.voxels());
      float[] b = view.sample(warped.grid(), warped.voxels());
      int[] ga = grey(a);
      int[] gb = grey(b);
      int tile = Math.max(1, Math.max(view.width(), view.height()) / TILES);
      int[] rgb = new int[a.length];
      for (int j = 0; j < view.height(); j++) {
        for (int i = 0; i < view.width(); i++) {
          int k = j * view.width() + i;
          rgb[k] = ((i / tile + j / tile) % 2 == 0) ? ga[k] : gb[k];
        }
      }
      return rgb;
    });
  }

  /**
   * The warped moving image in grey with the fixed image's edges over it in {@link #EDGE}: where the
   * registration worked, the edges run along the moving image's own boundaries.
   */
  public static BufferedImage edges(Image fixed, Image warped) {
    return panels(fixed.grid(), view -> {
      int[] rgb = grey(view.sample(warped.grid(), warped.voxels()));
      boolean[] edge = Edges.of(view.sample(fixed.grid(), fixed.voxels()), view.width(), view.height());
      for (int k = 0; k < rgb.length; k++) {
        if (edge[k]) {
          rgb[k] = EDGE;
        }
      }
      return rgb;
    });
  }

  /**
   * The fixed image in grey with the boundaries of a label map on its grid (the warped moving labels)
   * over it, each label in its own colour; label 0 is background and has none.
   */
  public static BufferedImage contours(Image fixed, Image labels) {
    return panels(fixed.grid(), view -> {
      int[] rgb = grey(view.sample(fixed.grid(), fixed.voxels()));
      float[] label = view.sampleNearest(labels.grid(), labels.voxels());
      int w = view.width();
      for (int k = 0; k < rgb.length; k++) {
        float l = label[k];
        if (l != 0 && !Float.isNaN(l) && isBoundary(label, k, w)) {
          rgb[k] = labelColour((int) l);
        }
      }
      return rgb;
    });
  }

  /** A label's colour: hues a golden angle apart, so neighbouring label numbers look different. */
  static int labelColour(int label) {
    float hue = (float) ((label * 0.6180339887498949) % 1.0);
    return Color.HSBtoRGB(hue < 0 ? hue + 1 : hue, 0.85f, 1f) & 0xFFFFFF;
  }

  /** Whether a 4-neighbour of pixel {@code k} (inside the picture) holds another label. */
  private static boolean isBoundary(float[] label, int k, int width) {
    int i = k % width;
    int height = label.length / width;
    int j = k / width;
    return (i > 0 && label[k - 1] != label[k]) || (i < width - 1 && label[k + 1] != label[k])
        || (j > 0 && label[k - width] != label[k]) || (j < height - 1 && label[k + width] != label[k]);
  }

  /**
   * The map's Jacobian determinant: white where it keeps volume, red where it expands, blue where it
   * compresses ({@code log det} from -1 to 1 across the scale), magenta where it folds.
   */
  public static BufferedImage jacobian(DisplacementField field) {
    float[] det = toFloats(JacobianStatistics.determinants(field));
    return panels(field.grid(), view -> {
      float[] v = view.sample(field.grid(), det);
      int[] rgb = new int[v.length];
      for (int k = 0; k < v.length; k++) {
        rgb[k] = Float.isNaN(v[k]) ? 0 : v[k] <= 0 ? FOLDING : diverging(Math.log(v[k]));
      }
      return rgb;
    });
  }

  /** The length of the displacement {@code |u|}, grey from 0 to its 99th percentile. */
  public static BufferedImage displacement(DisplacementField field) {
    float[][] u = field.components();
    float[] length = new float[u[0].length];
    for (int k = 0; k < length.length; k++) {
      double s = 0;
      for (float[] c : u) {
        s += c[k] * c[k];
      }
      length[k] = (float) Math.sqrt(s);
    }
    return panels(field.grid(), view -> grey(view.sample(field.grid(), length)));
  }

  public static byte[] png(BufferedImage picture) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(picture, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** What one plane shows: an RGB value per pixel, row by row. */
  private interface Painter {
    int[] paint(PlaneView view);
  }

  /** The planes of {@code grid} side by side on black, each with its edge letters. */
  private static BufferedImage panels(Grid grid, Painter painter) {
    List<PlaneView> views = new ArrayList<>();
    for (PlaneView.Plane plane : grid.dim() == 3
        ? new PlaneView.Plane[] {PlaneView.Plane.AXIAL, PlaneView.Plane.CORONAL, PlaneView.Plane.SAGITTAL}
        : new PlaneView.Plane[] {PlaneView.Plane.IMAGE}) {
      views.add(PlaneView.of(grid, plane));
    }
    int margin = grid.dim() == 3 ? Letters.HEIGHT + 4 : 0;
    int width = GAP;
    int height = 0;
    for (PlaneView v : views) {
      width += v.width() + 2 * margin + GAP;
      height = Math.max(height, v.height() + 2 * margin);
    }
    BufferedImage picture = new BufferedImage(width, height + 2 * GAP, BufferedImage.TYPE_INT_RGB);
    int x = GAP;
    for (PlaneView v : views) {
      picture.setRGB(x + margin, GAP + margin, v.width(), v.height(), painter.paint(v), 0, v.width());
      if (margin > 0) {
        int midY = GAP + margin + v.height() / 2 - Letters.HEIGHT / 2;
        int midX = x + margin + v.width() / 2 - Letters.WIDTH / 2;
        Letters.draw(picture, v.plane().edge(0), x + 2, midY);
        Letters.draw(picture, v.plane().edge(1), x + margin + v.width() + 2, midY);
        Letters.draw(picture, v.plane().edge(2), midX, GAP + 2);
        Letters.draw(picture, v.plane().edge(3), midX, GAP + margin + v.height() + 2);
      }
      x += v.width() + 2 * margin + GAP;
    }
    return picture;
  }

  /** Grey levels windowed at the 1st and 99th percentiles of the finite values; black where NaN. */
  static int[] grey(float[] v) {
    float[] finite = new float[v.length];
    int n = 0;
    for (float x : v) {
      if (Float.isFinite(x)) {
        finite[n++] = x;
      }
    }
    int[] rgb = new int[v.length];
    if (n == 0) {
      return rgb;
    }
    Arrays.sort(finite, 0, n);
    double lo = finite[(int) (0.01 * (n - 1))];
    double hi = finite[(int) Math.ceil(0.99 * (n - 1))];
    double scale = hi > lo ? 255 / (hi - lo) : 0;
    for (int k = 0; k < v.length; k++) {
      if (Float.isFinite(v[k])) {
        int g = (int) Math.round(Math.max(0, Math.min(255, (v[k] - lo) * scale)));
        rgb[k] = g << 16 | g << 8 | g;
      }
    }
    return rgb;
  }

  /** Blue (-1) to white (0) to red (+1), clamped. */
  private static int diverging(double t) {
    double c = Math.max(-1, Math.min(1, t));
    int fade = (int) Math.round(255 * (1 - Math.abs(c)));
    return c >= 0 ? 255 << 16 | fade << 8 | fade : fade << 16 | fade << 8 | 255;
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
