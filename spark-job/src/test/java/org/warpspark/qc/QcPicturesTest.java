package org.warpspark.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/** The pictures' content against analytic cases. */
class QcPicturesTest {
  /** The axial panel's offset in a 3D picture: the gap, then the letters' margin. */
  private static final int PANEL = 6 + 7 + 4;
  private static final Grid GRID = Grid.of(new int[] {30, 24, 12}, new double[] {1, 1.5, 3}, new double[] {-15, -18, -18});

  /** Anisotropic voxels keep the physical aspect ratio: every plane's pixels are square millimetres. */
  @Test
  void planesKeepThePhysicalAspectRatio() {
    PlaneView axial = PlaneView.of(GRID, PlaneView.Plane.AXIAL);
    PlaneView coronal = PlaneView.of(GRID, PlaneView.Plane.CORONAL);
    PlaneView sagittal = PlaneView.of(GRID, PlaneView.Plane.SAGITTAL);
    assertEquals(1.0, axial.pixelMm());
    // x spans 29 mm, y 34.5 mm, z 33 mm: 30, 35 and 34 pixels of 1 mm.
    assertEquals(30, axial.width());
    assertEquals(35, axial.height());
    assertEquals(30, coronal.width());
    assertEquals(34, coronal.height());
    assertEquals(35, sagittal.width());
    assertEquals(34, sagittal.height());
  }

  /** The patient's left is on the right of the axial and coronal planes, anterior at the top, the head up. */
  @Test
  void planesShowThePatientAsRadiologistsReadIt() {
    PlaneView axial = PlaneView.of(GRID, PlaneView.Plane.AXIAL);
    double[] topLeft = axial.point(0, 0);
    double[] bottomRight = axial.point(axial.width() - 1, axial.height() - 1);
    assertTrue(topLeft[0] < bottomRight[0], "x (towards the patient's left) grows to the right");
    assertTrue(topLeft[1] < bottomRight[1], "y (towards the back) grows downwards: anterior at the top");
    PlaneView coronal = PlaneView.of(GRID, PlaneView.Plane.CORONAL);
    assertTrue(coronal.point(0, 0)[2] > coronal.point(0, coronal.height() - 1)[2], "the head is up");
    assertEquals("R", axial.plane().edge(0));
    assertEquals("S", coronal.plane().edge(2));
  }

  /** An image against itself rescaled (windowing removes the scale): a checkerboard without seams. */
  @Test
  void anImageAgainstItselfHasNoSeams() throws Exception {
    float[] v = new float[(int) GRID.voxelCount()];
    float[] scaled = new float[v.length];
    double[] index = new double[3];
    for (int i = 0; i < v.length; i++) {
      GRID.index(i, index);
      double[] p = GRID.indexToPhysical().apply(index);
      v[i] = (float) (Math.sin(p[0] / 4) + Math.cos(p[1] / 5) + p[2] / 10);
      scaled[i] = 40 * v[i] + 1000;
    }
    BufferedImage board = read(QcPictures.png(QcPictures.checkerboard(Image.of(GRID, v), Image.of(GRID, scaled))));
    BufferedImage plain = read(QcPictures.png(QcPictures.checkerboard(Image.of(GRID, v), Image.of(GRID, v))));
    assertEquals(plain.getWidth(), board.getWidth());
    int worst = 0;
    for (int y = 0; y < board.getHeight(); y++) {
      for (int x = 0; x < board.getWidth(); x++) {
        worst = Math.max(worst, Math.abs((board.getRGB(x, y) & 0xFF) - (plain.getRGB(x, y) & 0xFF)));
      }
    }
    assertTrue(worst <= 1, "largest grey difference " + worst);
    BufferedImage other = read(QcPictures.png(QcPictures.checkerboard(Image.of(GRID, v), Image.of(GRID,
        negated(v)))));
    assertTrue(differs(plain, other), "a different image makes the tiles show");
  }

  /** A field that folds inside a known box: magenta there, and nowhere else in the axial plane. */
  @Test
  void foldingShowsWhereTheMapFolds() {
    // u_x = -2 (x - 4) inside |x - 4| < 3, |y| < 4 (all z): det = 1 - 2 < 0 there.
    DisplacementField field = DisplacementField.of(GRID, p -> {
      boolean box = Math.abs(p[0] - 4) < 3 && Math.abs(p[1]) < 4;
      return new double[] {p[0] + (box ? -2 * (p[0] - 4) : 0), p[1], p[2]};
    });
    BufferedImage picture = QcPictures.jacobian(field);
    PlaneView axial = PlaneView.of(GRID, PlaneView.Plane.AXIAL);
    int margin = PANEL;
    int inside = 0;
    for (int j = 0; j < axial.height(); j++) {
      for (int i = 0; i < axial.width(); i++) {
        if ((picture.getRGB(margin + i, margin + j) & 0xFFFFFF) == QcPictures.FOLDING) {
          double[] p = axial.point(i, j);
          assertTrue(Math.abs(p[0] - 4) < 4.5 && Math.abs(p[1]) < 5.5, "folding shown at " + p[0] + ", " + p[1]);
          inside++;
        }
      }
    }
    assertTrue(inside > 15, "folding pixels: " + inside);
  }

  /** A bright box: the edges drawn over the moving image lie on the box's faces, and go round all of it. */
  @Test
  void edgesFollowTheFixedImagesBoundaries() {
    Image box = Image.of(GRID, field(p -> Math.abs(p[0] - 2) < 8 && Math.abs(p[1] + 1) < 9 ? 700 : 100));
    BufferedImage picture = QcPictures.edges(box, Image.of(GRID, new float[(int) GRID.voxelCount()]));
    PlaneView axial = PlaneView.of(GRID, PlaneView.Plane.AXIAL);
    int edges = 0;
    for (int j = 0; j < axial.height(); j++) {
      for (int i = 0; i < axial.width(); i++) {
        if ((picture.getRGB(PANEL + i, PANEL + j) & 0xFFFFFF) == QcPictures.EDGE) {
          double[] p = axial.point(i, j);
          double fromFace = Math.min(Math.abs(Math.abs(p[0] - 2) - 8), Math.abs(Math.abs(p[1] + 1) - 9));
          assertTrue(fromFace <= 1.5 && Math.abs(p[0] - 2) < 9.5 && Math.abs(p[1] + 1) < 10.5,
              "edge at " + p[0] + ", " + p[1]);
          edges++;
        }
      }
    }
    // the box's outline is 2 * (16 + 18) = 68 mm long; pixels of 1 mm, one pixel wide
    assertTrue(edges >= 60 && edges <= 80, "edge pixels: " + edges);
  }

  /** Two labels: each one's outline in its own colour, on its boundary only; the inside stays grey. */
  @Test
  void contoursOutlineEachLabelInItsColour() {
    Image labels = Image.of(GRID, field(p -> p[0] < -5 && Math.abs(p[1]) < 6 ? 3 : p[0] > 3 && Math.abs(p[1]) < 6 ? 7
        : 0));
    Image fixed = Image.of(GRID, field(p -> p[0] + p[1]));
    BufferedImage picture = QcPictures.contours(fixed, labels);
    PlaneView axial = PlaneView.of(GRID, PlaneView.Plane.AXIAL);
    int three = 0;
    int seven = 0;
    for (int j = 0; j < axial.height(); j++) {
      for (int i = 0; i < axial.width(); i++) {
        int rgb = picture.getRGB(PANEL + i, PANEL + j) & 0xFFFFFF;
        double[] p = axial.point(i, j);
        boolean grey = (rgb >> 16) == (rgb & 0xFF) && ((rgb >> 8) & 0xFF) == (rgb & 0xFF);
        if (rgb == QcPictures.labelColour(3)) {
          assertTrue(p[0] < -4 && Math.abs(p[1]) < 7, "label 3 outline at " + p[0] + ", " + p[1]);
          three++;
        } else if (rgb == QcPictures.labelColour(7)) {
          assertTrue(p[0] > 2 && Math.abs(p[1]) < 7, "label 7 outline at " + p[0] + ", " + p[1]);
          seven++;
        } else {
          assertTrue(grey, "neither grey nor a label's colour at " + p[0] + ", " + p[1]);
        }
        if (Math.abs(p[0] + 10) < 3 && Math.abs(p[1]) < 3) {
          assertTrue(grey, "inside label 3 the fixed image shows");
        }
      }
    }
    assertTrue(QcPictures.labelColour(3) != QcPictures.labelColour(7));
    assertTrue(three > 20 && seven > 20, three + " and " + seven + " outline pixels");
  }

  /** The loss curves: a panel per stage, a line per level through every finite loss, the range written. */
  @Test
  void lossCurvesDrawEveryLevelOfEveryStage() {
    String svg = LossCurves.svg(List.of(new LossCurves.Curve("affine", 0, 4, new double[] {3, 2, 1.5}),
        new LossCurves.Curve("affine", 1, 2, new double[] {1.4, 1.25}),
        new LossCurves.Curve("deformable", 0, 2, new double[] {-0.5, Double.NaN, -0.75})));
    assertEquals(2, svg.split("stage loss</text>", -1).length - 1);
    assertEquals(3, svg.split("<polyline", -1).length - 1);
    assertTrue(svg.contains(">3.000</text>") && svg.contains(">1.250</text>"), "the affine range");
    assertTrue(svg.contains(">-0.5000</text>") && svg.contains(">-0.7500</text>"), "the deformable range");
    // the NaN is left out of its line: two points
    String last = svg.substring(svg.lastIndexOf("points=\"") + 8);
    assertEquals(2, last.substring(0, last.indexOf('"')).split(" ").length);
  }

  private interface Scalar {
    double at(double[] p);
  }

  private static float[] field(Scalar f) {
    float[] v = new float[(int) GRID.voxelCount()];
    double[] index = new double[3];
    for (int i = 0; i < v.length; i++) {
      GRID.index(i, index);
      v[i] = (float) f.at(GRID.indexToPhysical().apply(index));
    }
    return v;
  }

  private static float[] negated(float[] v) {
    float[] n = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      n[i] = -v[i];
    }
    return n;
  }

  private static boolean differs(BufferedImage a, BufferedImage b) {
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        if (a.getRGB(x, y) != b.getRGB(x, y)) {
          return true;
        }
      }
    }
    return false;
  }

  private static BufferedImage read(byte[] png) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(png));
  }
}
