package org.warpspark.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The shared level loop under both endings: how long a level runs, at which rates, and what it averages. */
class LevelLoopTest {
  private static final int WINDOW = 5;
  private static final double TOLERANCE = 0.01;
  /** Improves, then is flat: the slope test fires as soon as it may, after two windows. */
  private static final IntToDoubleFunction SETTLES = i -> 1 + Math.exp(-3.0 * i);
  /** Improves by the same amount every iteration: never converges. */
  private static final IntToDoubleFunction KEEPS_IMPROVING = i -> 100 - i;

  /** An iterate that records what the loop asked of it. */
  private static final class Recorder implements LevelLoop.Iterate {
    final IntToDoubleFunction loss;
    final List<Double> rates = new ArrayList<>();
    final List<Boolean> finalWindows = new ArrayList<>();
    int averaged;
    int restarts;
    boolean applied;

    Recorder(IntToDoubleFunction loss) {
      this.loss = loss;
    }

    @Override
    public double step(int iteration, double rate, boolean finalWindow) {
      assertEquals(rates.size(), iteration);
      rates.add(rate);
      finalWindows.add(finalWindow);
      return loss.applyAsDouble(iteration);
    }

    @Override
    public void addToAverage() {
      averaged++;
    }

    @Override
    public void restartAverage() {
      averaged = 0;
      restarts++;
    }

    @Override
    public void applyAverage() {
      applied = true;
    }
  }

  @Test
  void annealingEndsOneWindowAfterConvergenceAndAveragesThatWindow() {
    CosineSchedule schedule = new CosineSchedule(1.0, 0.02, 100);
    Recorder iterate = new Recorder(SETTLES);
    LevelTrace trace = LevelLoop.run(4, 100, new AnnealOnConvergence(schedule, WINDOW, TOLERANCE), iterate);
    assertEquals(2 * WINDOW + WINDOW, trace.iterations());
    assertTrue(trace.converged());
    assertEquals(4, trace.factor());
    assertEquals(1, iterate.restarts);
    assertEquals(WINDOW, iterate.averaged, "the tail's iterates, and only those, are averaged");
    assertTrue(iterate.applied);
    double converging = iterate.rates.get(2 * WINDOW - 1);
    assertEquals(converging, iterate.rates.get(2 * WINDOW), 1e-12, "the tail starts at the rate it converged at");
    assertEquals(schedule.at(99), iterate.rates.get(trace.iterations() - 1), 1e-12, "and ends at the final rate");
    assertEquals(List.of(true, true, true, true, true), iterate.finalWindows.subList(2 * WINDOW, 3 * WINDOW));
  }

  @Test
  void withoutConvergenceTheWholeScheduleRunsAndItsLastWindowIsAveraged() {
    CosineSchedule schedule = new CosineSchedule(1.0, 0.02, 60);
    Recorder iterate = new Recorder(KEEPS_IMPROVING);
    LevelTrace trace = LevelLoop.run(1, 60, new AnnealOnConvergence(schedule, WINDOW, TOLERANCE), iterate);
    assertEquals(60, trace.iterations());
    assertFalse(trace.converged());
    assertEquals(WINDOW, iterate.averaged);
    assertEquals(0, iterate.restarts);
    assertEquals(WINDOW, iterate.finalWindows.stream().filter(f -> f).count());
    assertEquals(100.0 - 58, trace.losses()[58], 0, "the trace holds every loss");
  }

  @Test
  void aCoarseLevelStopsAtConvergenceAndAveragesNothing() {
    Recorder iterate = new Recorder(SETTLES);
    LevelTrace trace = LevelLoop.run(2, 100,
        new AverageTail(new CosineSchedule(0.5, 0.05, 100), WINDOW, TOLERANCE, 0.2, false), iterate);
    assertEquals(2 * WINDOW, trace.iterations());
    assertTrue(trace.converged());
    assertEquals(0, iterate.averaged);
  }

  @Test
  void theFinestLevelSkipsToTheTailAtConvergenceAndAveragesIt() {
    CosineSchedule schedule = new CosineSchedule(0.5, 0.05, 100);
    Recorder iterate = new Recorder(SETTLES);
    LevelTrace trace = LevelLoop.run(1, 100, new AverageTail(schedule, WINDOW, TOLERANCE, 0.2, true), iterate);
    assertEquals(2 * WINDOW + 20, trace.iterations(), "converged after two windows, then the last 20 % of the schedule");
    assertEquals(20, iterate.averaged);
    assertEquals(schedule.at(80), iterate.rates.get(2 * WINDOW), 1e-12);
    assertEquals(schedule.at(99), iterate.rates.get(trace.iterations() - 1), 1e-12);
  }
}
