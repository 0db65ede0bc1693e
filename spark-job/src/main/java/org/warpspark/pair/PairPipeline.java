package org.warpspark.pair;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.warpspark.engine.affine.AffineOutcome;
import org.warpspark.engine.affine.AffinePair;
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
    return register(in, null, manager);
  }

  /**
   * The affine optimisations of several pairs' windowed images (with their fixed masks) done together,
   * as a task with a batch of pairs does (same-shape pairs in lockstep): a pair's outcome goes to
   * {@link #register(PairImages, Optimised, NDManager)}. Arrays live in {@code manager}, the batch's.
   */
  public List<Optimised> optimiseTogether(List<PairImages> pairs, NDManager manager) {
    PairImages[] windowed = new PairImages[pairs.size()];
    double[] windowSeconds = new double[pairs.size()];
    RuntimeException[] failures = new RuntimeException[pairs.size()];
    List<Integer> ready = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      long start = System.nanoTime();
      try {
        windowed[i] = pairs.get(i).windowed();
        ready.add(i);
      } catch (RuntimeException e) {
        failures[i] = e;
      }
      windowSeconds[i] = seconds(start);
    }
    List<AffineOutcome> outcomes = new AffineRegistration(config.affine()).registerAll(ready.stream()
        .map(i -> new AffinePair(windowed[i].fixed(), windowed[i].moving(), pairs.get(i).fixedMask())).toList(),
        manager);
    return IntStream.range(0, pairs.size()).mapToObj(i -> new Optimised(windowed[i], windowSeconds[i],
        failures[i] != null ? new AffineOutcome(null, failures[i]) : outcomes.get(ready.indexOf(i)))).toList();
  }

  /**
   * A pair's windowed images (null if windowing failed) and its affine optimisation, done with other
   * pairs ({@link #optimiseTogether}).
   */
  public record Optimised(PairImages windowed, double windowSeconds, AffineOutcome outcome) {}

  /**
   * @param optimised the pair's affine optimisation done with others, or null to run it here
   * @throws StageFailure naming the stage that failed, with the stages before it
   */
  public PairResult register(PairImages in, Optimised optimised, NDManager manager) {
    PairResult none = new PairResult(in.fixed().grid(), in.moving().grid(), null, null);
    AffineStage affine;
    long start = System.nanoTime();
    PairImages windowed;
    StageClock affineClock = new StageClock();
    try {
      if (optimised == null) {
        windowed = affineClock.time(StageClock.WINDOW, in::windowed);
      } else {
        windowed = optimised.windowed();
        affineClock.add(StageClock.WINDOW, optimised.windowSeconds());
      }
      affine = affine(in, windowed, optimised, manager, affineClock, start);
    } catch (RuntimeException | OutOfMemoryError e) {
      throw new StageFailure(PairResult.AFFINE, none, seconds(start) + (optimised == null ? 0
          : optimised.windowSeconds()), e);
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

  /**
   * @param start when the stage began (its windowing included, unless a batch did it)
   * @param optimised null, or the optimisation done in a batch: its share of the batch's time counts
   */
  private AffineStage affine(PairImages in, PairImages windowed, Optimised optimised, NDManager manager,
      StageClock clock, long start) {
    AffineResult result;
    double batchSeconds = 0;
    if (optimised == null) {
      result = clock.time(StageClock.OPTIMISE, () -> new AffineRegistration(config.affine())
          .register(windowed.fixed(), windowed.moving(), in.fixedMask(), manager));
    } else {
      result = optimised.outcome().resultOrThrow();
      clock.add(StageClock.OPTIMISE, result.seconds());
      batchSeconds = optimised.windowSeconds() + result.seconds();
    }
    Warped before = Warped.through(in, FixedToMoving.identity(in.fixed().dim()), manager, clock);
    Warped after = Warped.through(in, new FixedToMoving.Linear(result.fixedToMoving()), manager, clock);
    return new AffineStage(result, before, after, seconds(start) + batchSeconds, clock.seconds());
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
