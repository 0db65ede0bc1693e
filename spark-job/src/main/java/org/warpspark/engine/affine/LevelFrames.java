package org.warpspark.engine.affine;

import org.warpspark.udfs.spatial.Affine;

/**
 * The two frames around a level's motion: fixed voxel indices to fixed physical points, and moving
 * physical points to the frame the objective samples in (voxel indices, or PyTorch's normalised
 * coordinates). Fixed samples travel as voxel indices, exact in float32, and every millimetre-sized
 * number stays in double precision inside the composed matrix: physical coordinates far from the
 * origin (microscope stage positions) would lose precision as float32 points.
 */
record LevelFrames(Affine fixedIndexToPhysical, Affine movingPhysicalToFrame) {

  /** Fixed voxel index to moving frame through {@code fixedToMoving}. */
  Affine compose(Affine fixedToMoving) {
    return movingPhysicalToFrame.after(fixedToMoving).after(fixedIndexToPhysical);
  }
}
