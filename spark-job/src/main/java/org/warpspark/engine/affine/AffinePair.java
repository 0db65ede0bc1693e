package org.warpspark.engine.affine;

import org.warpspark.image.Image;

/**
 * The images of one affine registration.
 *
 * @param fixedMask on the fixed grid, voxels > 0.5 count; null to use every fixed voxel
 */
public record AffinePair(Image fixed, Image moving, Image fixedMask) {}
