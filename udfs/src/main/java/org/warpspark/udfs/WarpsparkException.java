package org.warpspark.udfs;

/**
 * The root of every error warpspark raises on purpose. Subtypes say what went wrong (bad image,
 * diverged optimisation, ...); messages name the pair or file and the cause, never a secret.
 */
public class WarpsparkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WarpsparkException(String message) {
    super(message);
  }

  public WarpsparkException(String message, Throwable cause) {
    super(message, cause);
  }
}
