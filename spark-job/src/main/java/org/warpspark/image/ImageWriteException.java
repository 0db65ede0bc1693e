package org.warpspark.image;

/**
 * An image could not be written: an I/O failure, or an image the target format cannot hold (a 3D
 * image as PNG, NaN voxels into an integer type). The message names the target file and the cause.
 */
public class ImageWriteException extends ImageFileException {
  private static final long serialVersionUID = 1L;

  public ImageWriteException(String target, String problem) {
    this(target, problem, null);
  }

  public ImageWriteException(String target, String problem, Throwable cause) {
    super("write", target, problem, cause);
  }
}
