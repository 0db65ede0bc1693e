package org.warpspark.pair;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a stage's seconds go, part by part ({@code optimise}, {@code warp}, {@code dice}, ...): the
 * {@code registrations.timings} column, so that the work around a registration can be seen and cut.
 * A part timed twice adds up.
 */
public final class StageClock {
  /** The parts, in the order of a pair's life; {@code TablesDoc} lists them. */
  public static final String READ = "read";
  public static final String WINDOW = "window";
  public static final String OPTIMISE = "optimise";
  public static final String WARP = "warp";
  public static final String METRICS = "metrics";
  public static final String DICE = "dice";
  public static final String JACOBIAN = "jacobian";
  public static final String INVERSE = "inverse";
  public static final String EXPORTS = "exports";
  public static final String ROWS = "rows";

  private final Map<String, Double> seconds = new LinkedHashMap<>();

  /** A clock that goes on from the parts already timed. */
  public static StageClock of(Map<String, Double> timed) {
    StageClock clock = new StageClock();
    clock.seconds.putAll(timed);
    return clock;
  }

  public <T> T time(String part, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      add(part, (System.nanoTime() - start) / 1e9);
    }
  }

  public void add(String part, double partSeconds) {
    seconds.merge(part, partSeconds, Double::sum);
  }

  /** The seconds per part so far. */
  public Map<String, Double> seconds() {
    return new LinkedHashMap<>(seconds);
  }
}
