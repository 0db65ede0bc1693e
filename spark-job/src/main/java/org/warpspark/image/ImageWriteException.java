package org.warpspark.image;

import org.warpspark.udfs.WarpsparkException;

/**
 * An image could not be written: an I/O failure, or an image the target format cannot hold (a 3D
 * image as PNG, NaN voxels into an integer type). The message names the target file and the cause.
 */
public class ImageWriteException extends WarpsparkException {
  private static final long serialVersionUID = 1L;

  private final String target;

  public ImageWriteException(String target, String problem) {
    super(message(target, problem));
    this.target = target;
  }

  public ImageWriteException(String target, String problem, Throwable cause) {
    super(message(target, problem), cause);
    this.target = target;
  }

  /** The file or URI that could not be written, as the caller named it. */
  public String target() {
    return target;
  }

  private static String message(String target, String problem) {
    return "cannot write image " + target + ": " + problem;
  }
}
