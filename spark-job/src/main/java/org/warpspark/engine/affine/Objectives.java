package org.warpspark.engine.affine;

import ai.djl.ndarray.NDManager;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.image.Image;
import org.warpspark.torch.TorchScriptModule;
import org.warpspark.udfs.spatial.Grid;

/**
 * Makes the objective of each pyramid level of one registration. The fused objective's TorchScript
 * module is compiled once per registration (in the pair's manager), not once per level.
 */
final class Objectives {
  private final SimilarityLoss loss;
  private final TorchScriptModule fused;

  private Objectives(SimilarityLoss loss, TorchScriptModule fused) {
    this.loss = loss;
    this.fused = fused;
  }

  static Objectives of(AffineSettings.Sampler sampler, SimilarityLoss loss, NDManager pairManager) {
    return new Objectives(loss, sampler == AffineSettings.Sampler.FUSED ? FusedObjective.compile(loss, pairManager) : null);
  }

  /** The objective comparing samples of {@code fixedLevel}'s voxels with {@code movingLevel}. */
  LevelObjective create(Grid fixedLevel, Image movingLevel, NDManager scope) {
    return fused != null
        ? new FusedObjective(fused, fixedLevel, movingLevel, loss, scope)
        : new GatherObjective(fixedLevel, movingLevel, loss, scope);
  }
}
