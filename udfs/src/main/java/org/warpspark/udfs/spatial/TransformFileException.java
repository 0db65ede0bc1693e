package org.warpspark.udfs.spatial;

import org.warpspark.udfs.WarpsparkException;

/**
 * A transform file (ITK {@code .tfm}, elastix parameter file) that cannot be read or written, or that
 * describes a map warpspark cannot represent as an {@link Affine}. Messages name the file and the cause.
 */
public class TransformFileException extends WarpsparkException {
  private static final long serialVersionUID = 1L;

  public TransformFileException(String message) {
    super(message);
  }

  public TransformFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
