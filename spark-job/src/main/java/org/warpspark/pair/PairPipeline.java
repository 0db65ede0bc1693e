package org.warpspark.pair;

import ai.djl.ndarray.NDManager;
import org.warpspark.engine.affine.AffineRegistration;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.deformable.DeformableRegistration;
import org.warpspark.engine.deformable.DeformableResult;
import org.warpspark.udfs.metric.InverseConsistency;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.FixedToMoving;

/**
 * Registers one pair, Spark-free: the affine stage, then the deformable stage if the settings ask for
 * it, on intensities windowed to about [0, 1] ({@link PairImages#windowed}), each with the moving image
 * (as read) warped through its result and measured against the fixed image. The
 * command line and every Spark task run this same code, so one pair gives the same result in both.
 * Native arrays live in the caller's manager, on its device.
 */
public final class PairPipeline {
  private final RegistrationConfig config;
  private final boolean inverseConsistency;

  /**
   * @param inverseConsistency also register moving to fixed in the deformable stage (from the inverse
   *     affine) and measure how far the two maps are from inverting each other
   */
  public PairPipeline(RegistrationConfig config, boolean inverseConsistency) {
    if (inverseConsistency && config.deformable() == null) {
      throw new IllegalArgumentException("the inverse consistency error needs the stages affine,deformable");
    }
    this.config = config;
    this.inverseConsistency = inverseConsistency;
  }

  /** @throws StageFailure naming the stage that failed, with the stages before it */
  public PairResult register(PairImages in, NDManager manager) {
    PairResult none = new PairResult(in.fixed().grid(), in.moving().grid(), null, null);
    AffineStage affine;
    long start = System.nanoTime();
    PairImages windowed;
    StageClock affineClock = new StageClock();
    try {
      windowed = affineClock.time(StageClock.WINDOW, in::windowed);
      affine = affine(in, windowed, manager, affineClock, start);
    } catch (RuntimeException | OutOfMemoryError e) {
      throw new StageFailure(PairResult.AFFINE, none, seconds(start), e);
    }
    PairResult afterAffine = new PairResult(none.fixedGrid(), none.movingGrid(), affine, null);
    if (config.deformable() == null) {
      return afterAffine;
    }
    start = System.nanoTime();
    try {
      return new PairResult(none.fixedGrid(), none.movingGrid(), affine, deformable(in, windowed, affine,
          manager));
    } catch (RuntimeException | OutOfMemoryError e) {
      throw new StageFailure(PairResult.DEFORMABLE, afterAffine, seconds(start), e);
    }
  }

  /** @param start when the stage began (its windowing included) */
  private AffineStage affine(PairImages in, PairImages windowed, NDManager manager, StageClock clock, long start) {
    AffineResult result = clock.time(StageClock.OPTIMISE, () -> new AffineRegistration(config.affine())
        .register(windowed.fixed(), windowed.moving(), in.fixedMask(), manager));
    Warped before = Warped.through(in, FixedToMoving.identity(in.fixed().dim()), manager, clock);
    Warped after = Warped.through(in, new FixedToMoving.Linear(result.fixedToMoving()), manager, clock);
    return new AffineStage(result, before, after, seconds(start), clock.seconds());
  }

  private DeformableStage deformable(PairImages in, PairImages windowed, AffineStage affine, NDManager manager) {
    long start = System.nanoTime();
    StageClock clock = new StageClock();
    DeformableRegistration registration = new DeformableRegistration(config.deformable());
    DeformableResult result = clock.time(StageClock.OPTIMISE, () -> registration.register(windowed.fixed(),
        windowed.moving(), in.fixedMask(), affine.result().fixedToMoving(), manager));
    Warped after = Warped.through(in, new FixedToMoving.Dense(result.fixedToMoving()), manager, clock);
    InverseConsistency consistency = null;
    if (inverseConsistency) {
      consistency = clock.time(StageClock.INVERSE, () -> InverseConsistency.of(result.fixedToMoving(),
          registration.register(windowed.moving(), windowed.fixed(), null, affine.result().fixedToMoving().inverse(),
              manager).fixedToMoving()));
    }
    InverseConsistency inverseMap = result.movingToFixed() == null ? null
        : clock.time(StageClock.INVERSE, () -> InverseConsistency.of(result.fixedToMoving(), result.movingToFixed()));
    JacobianStatistics jacobian = clock.time(StageClock.JACOBIAN, () -> JacobianStatistics.of(result.fixedToMoving()));
    return new DeformableStage(result, after, jacobian, consistency, inverseMap, seconds(start), clock.seconds());
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
