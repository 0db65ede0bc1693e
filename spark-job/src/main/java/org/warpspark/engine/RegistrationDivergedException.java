package org.warpspark.engine;

import org.warpspark.udfs.WarpsparkException;

/** The optimisation produced a non-finite loss or gradient; the message names where and why. */
public class RegistrationDivergedException extends WarpsparkException {
  private static final long serialVersionUID = 1L;

  public RegistrationDivergedException(String message) {
    super(message);
  }
}
