package org.warpspark.engine.deformable;

import java.util.Arrays;
import org.warpspark.engine.loss.LossKind;

/**
 * What a deformable registration is told; validated on construction.
 *
 * @param loss similarity loss
 * @param levelFactors image pyramid factors, coarse to fine
 * @param iterations iterations per level
 * @param learningRate Adam step of the control displacements, in mm
 * @param controlSpacing spacing of the control grid the displacement lives on, in mm (the field between
 *     control points is trilinear)
 * @param diffusionWeight weight of the diffusion energy (dimensionless) added to the loss
 * @param samplesPerIteration random fixed voxels per iteration
 * @param seed seed of the voxel sampling
 */
public record DeformableSettings(LossKind loss, int[] levelFactors, int[] iterations, double learningRate,
    double controlSpacing, double diffusionWeight, int samplesPerIteration, long seed) {

  public DeformableSettings {
    if (levelFactors.length == 0 || levelFactors.length != iterations.length) {
      throw new IllegalArgumentException("need one iteration count per pyramid level: factors "
          + Arrays.toString(levelFactors) + ", iterations " + Arrays.toString(iterations));
    }
    if (!(learningRate > 0) || !(controlSpacing > 0) || !(diffusionWeight >= 0) || samplesPerIteration < 1) {
      throw new IllegalArgumentException("invalid deformable settings: learning rate " + learningRate
          + ", control spacing " + controlSpacing + ", diffusion weight " + diffusionWeight + ", samples "
          + samplesPerIteration);
    }
    levelFactors = levelFactors.clone();
    iterations = iterations.clone();
  }

  /** Two levels (2, 1), 200 + 150 iterations, steps of 0.5 mm, control points every 8 mm, diffusion weight 0.01, 4096 random voxels. */
  public static DeformableSettings defaults(LossKind loss) {
    return new DeformableSettings(loss, new int[] {2, 1}, new int[] {200, 150}, 0.5, 8.0, 0.01, 4096, 0);
  }

  @Override
  public int[] levelFactors() {
    return levelFactors.clone();
  }

  @Override
  public int[] iterations() {
    return iterations.clone();
  }
}
