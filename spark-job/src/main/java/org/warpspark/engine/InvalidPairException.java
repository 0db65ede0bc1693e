package org.warpspark.engine;

import org.warpspark.udfs.WarpsparkException;

/** The two images (or the mask) cannot be registered as given; the message says which and why. */
public class InvalidPairException extends WarpsparkException {
  private static final long serialVersionUID = 1L;

  public InvalidPairException(String message) {
    super(message);
  }
}
