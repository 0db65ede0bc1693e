package org.warpspark.pair;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.image.Image;
import org.warpspark.qc.LossCurves;
import org.warpspark.qc.QcPictures;
import org.warpspark.storage.OutputFolder;

/**
 * The quality-control pictures of one registered pair ({@link QcPictures}), written into a folder:
 * before registration and after each finished stage, a checkerboard of the fixed image with the moving
 * one, the fixed image's edges over the moving one and, with labels, the moving labels' contours over
 * the fixed image; after a deformable stage its map's Jacobian determinant and displacement length; and
 * the loss curves of every stage ({@link LossCurves}).
 */
public final class QcFiles {
  private QcFiles() {}

  /** Writes the pictures; returns each one's kind and URI. */
  public static Map<String, String> write(OutputFolder folder, Image fixed, PairResult result) {
    Map<String, String> written = new LinkedHashMap<>();
    compared(folder, written, "before", fixed, result.affine().before());
    compared(folder, written, PairResult.AFFINE, fixed, result.affine().after());
    if (result.deformable() != null) {
      compared(folder, written, PairResult.DEFORMABLE, fixed, result.deformable().after());
      put(folder, written, "jacobian", QcPictures.png(QcPictures.jacobian(result.deformable().result().fixedToMoving())));
      put(folder, written, "displacement", QcPictures.png(QcPictures.displacement(
          result.deformable().result().fixedToMoving())));
    }
    List<LossCurves.Curve> curves = new ArrayList<>();
    add(curves, PairResult.AFFINE, result.affine().result().levels());
    if (result.deformable() != null) {
      add(curves, PairResult.DEFORMABLE, result.deformable().result().levels());
    }
    String name = "loss_curves.svg";
    folder.writeBytes(name, LossCurves.svg(curves).getBytes(StandardCharsets.UTF_8));
    written.put("loss_curves", folder.resolve(name));
    return written;
  }

  /** The fixed image against the moving one through one stage's map (or none: {@code before}). */
  private static void compared(OutputFolder folder, Map<String, String> written, String when, Image fixed,
      Warped warped) {
    put(folder, written, "checkerboard_" + when, QcPictures.png(QcPictures.checkerboard(fixed, warped.image())));
    put(folder, written, "edges_" + when, QcPictures.png(QcPictures.edges(fixed, warped.image())));
    if (warped.labels() != null) {
      put(folder, written, "contours_" + when, QcPictures.png(QcPictures.contours(fixed, warped.labels())));
    }
  }

  private static void add(List<LossCurves.Curve> curves, String stage, List<LevelTrace> levels) {
    for (int level = 0; level < levels.size(); level++) {
      curves.add(new LossCurves.Curve(stage, level, levels.get(level).factor(), levels.get(level).losses()));
    }
  }

  private static void put(OutputFolder folder, Map<String, String> written, String kind, byte[] png) {
    folder.writeBytes(kind + ".png", png);
    written.put(kind, folder.resolve(kind + ".png"));
  }
}
