package org.warpspark.pair;

import java.util.ArrayList;
import java.util.List;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Grid;

/**
 * What registering one pair found: every stage that finished, in order. The command line writes it
 * to a folder ({@link ResultFiles}); the batch job turns it into table rows.
 *
 * @param affine null only in the result a {@link StageFailure} carries when the affine stage failed
 * @param deformable null unless the deformable stage ran and finished
 */
public record PairResult(Grid fixedGrid, Grid movingGrid, AffineStage affine, DeformableStage deformable) {
  public static final String AFFINE = "affine";
  public static final String DEFORMABLE = "deformable";

  /** The names of the stages that finished, in order. */
  public List<String> finishedStages() {
    List<String> stages = new ArrayList<>();
    if (affine != null) {
      stages.add(AFFINE);
    }
    if (deformable != null) {
      stages.add(DEFORMABLE);
    }
    return stages;
  }

  /** The whole map of the last finished stage. */
  public FixedToMoving finalMap() {
    return deformable != null ? deformable.map() : affine.map();
  }

  /** The moving image through {@link #finalMap()}. */
  public Warped finalWarped() {
    return deformable != null ? deformable.after() : affine.after();
  }
}
