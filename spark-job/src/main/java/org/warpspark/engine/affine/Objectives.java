package org.warpspark.engine.affine;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.image.Image;
import org.warpspark.torch.TorchScriptModule;
import org.warpspark.udfs.spatial.Grid;

/**
 * Makes the objective of each pyramid level of one registration. The fused objective's TorchScript
 * module is compiled once per batch of registrations (in the batch's manager), not once per level.
 */
final class Objectives {
  private final TorchScriptModule fused;

  private Objectives(TorchScriptModule fused) {
    this.fused = fused;
  }

  /** {@code loss} stands for its kind (and bin count): the module is the same for every member. */
  static Objectives of(AffineSettings.Sampler sampler, SimilarityLoss loss, NDManager manager) {
    return new Objectives(sampler == AffineSettings.Sampler.FUSED ? FusedObjective.compile(loss, manager) : null);
  }

  /**
   * The objective comparing samples of each member's {@code fixedLevels} voxels with its
   * {@code movingLevels} image (one shape for all) under its own loss (one kind for all).
   */
  LevelObjective create(List<Grid> fixedLevels, List<Image> movingLevels, List<SimilarityLoss> losses,
      NDManager scope) {
    return fused != null
        ? new FusedObjective(fused, fixedLevels, movingLevels, losses, scope)
        : new GatherObjective(fixedLevels, movingLevels, losses, scope);
  }
}
