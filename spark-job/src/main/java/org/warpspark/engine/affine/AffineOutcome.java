package org.warpspark.engine.affine;

/** What became of one registration of a batch: its result, or the failure that stopped it alone. */
public record AffineOutcome(AffineResult result, RuntimeException failure) {

  /** The result, or the failure thrown as it was raised. */
  public AffineResult resultOrThrow() {
    if (failure != null) {
      throw failure;
    }
    return result;
  }
}
