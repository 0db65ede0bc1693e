package org.warpspark.image;

/**
 * The header claims more voxels (or a longer header) than {@link ReadLimits} allow. Raised before
 * any voxel memory is allocated, so a tiny crafted file cannot exhaust an executor's heap.
 */
public class ImageTooLargeException extends ImageReadException {
  private static final long serialVersionUID = 1L;

  public ImageTooLargeException(String source, String problem) {
    super(source, problem);
  }
}
