package org.warpspark.engine.sample;

/** What a sampler returns for points outside the image (as in PyTorch's {@code grid_sample}). */
public enum Padding {
  /** Neighbours outside the image count as 0. */
  ZERO,
  /** Points are clamped to the image's edge voxels first. */
  BORDER
}
