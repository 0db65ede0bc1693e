package org.warpspark.pair;

import java.util.LinkedHashMap;
import java.util.Map;
import org.warpspark.image.Image;
import org.warpspark.qc.QcPictures;
import org.warpspark.storage.OutputFolder;

/**
 * The quality-control pictures of one registered pair ({@link QcPictures}), written into a folder:
 * a checkerboard of the fixed image with the moving one before registration and after each finished
 * stage, and after a deformable stage its map's Jacobian determinant and displacement length.
 */
public final class QcFiles {
  private QcFiles() {}

  /** Writes the pictures; returns each one's kind and URI. */
  public static Map<String, String> write(OutputFolder folder, Image fixed, PairResult result) {
    Map<String, String> written = new LinkedHashMap<>();
    put(folder, written, "checkerboard_before", QcPictures.png(QcPictures.checkerboard(fixed,
        result.affine().before().image())));
    put(folder, written, "checkerboard_affine", QcPictures.png(QcPictures.checkerboard(fixed,
        result.affine().after().image())));
    if (result.deformable() != null) {
      put(folder, written, "checkerboard_deformable", QcPictures.png(QcPictures.checkerboard(fixed,
          result.deformable().after().image())));
      put(folder, written, "jacobian", QcPictures.png(QcPictures.jacobian(result.deformable().result().fixedToMoving())));
      put(folder, written, "displacement", QcPictures.png(QcPictures.displacement(
          result.deformable().result().fixedToMoving())));
    }
    return written;
  }

  private static void put(OutputFolder folder, Map<String, String> written, String kind, byte[] png) {
    folder.writeBytes(kind + ".png", png);
    written.put(kind, folder.resolve(kind + ".png"));
  }
}
