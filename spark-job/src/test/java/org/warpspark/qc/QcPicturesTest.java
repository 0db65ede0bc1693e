package org.warpspark.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.warpspark.image.Image;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/** The pictures' content against analytic cases. */
class QcPicturesTest {
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
    int margin = 6 + 7 + 4; // the axial panel's offset: the gap, then the letters' margin
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
