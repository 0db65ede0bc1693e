package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.warpspark.engine.optim.LevelLoop;

/** The watchdog gives up on work at its limit, and an optimisation it gives up on ends at its next iteration. */
class PairWatchdogTest {
  /** A level that never ends by itself: the loss never settles. */
  private static final LevelLoop.Ending ENDLESS = new LevelLoop.Ending() {
    @Override public boolean finished() { return false; }
    @Override public double rate() { return 1; }
    @Override public boolean finalWindow() { return false; }
    @Override public boolean averaging() { return false; }
    @Override public boolean advance(double loss, double rate) { return false; }
    @Override public boolean converged() { return false; }
  };

  private static final LevelLoop.Iterate SLOW_STEP = new LevelLoop.Iterate() {
    @Override
    public double step(int iteration, double rate, boolean finalWindow) {
      long until = System.nanoTime() + 10_000_000; // 10 ms of work, not interruptible
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      return 1;
    }
    @Override public void addToAverage() {}
    @Override public void restartAverage() {}
    @Override public void applyAverage() {}
  };

  @Test
  void anEndlessOptimisationIsStoppedAtItsNextIteration() {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    long start = System.nanoTime();
    Object result = PairWatchdog.within("endless", 1, () -> {
      try {
        return LevelLoop.run(1, 1_000_000, ENDLESS, SLOW_STEP); // hours of 10 ms steps
      } catch (RuntimeException e) {
        seen.set(e);
        throw e;
      }
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    assertNull(result, "no result past the limit");
    assertTrue(seen.get() instanceof CancellationException, String.valueOf(seen.get()));
    assertTrue(seconds < 3, "stopped at the next iteration, well within the grace: " + seconds + " s");
    assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("warpspark pair endless")),
        "the pair's thread ended");
  }

  /** A pair's work logs with the pair in its context, which both log configurations print on every line. */
  @Test
  void everyLineOfAPairsWorkNamesThePair() throws Exception {
    assertEquals("p_17", PairWatchdog.within("p_17", 10, () -> org.slf4j.MDC.get(PairWatchdog.PAIR)));
    for (String conf : List.of("log4j2-cli.properties", "log4j2-executor.properties")) {
      String text = java.nio.file.Files.readString(java.nio.file.Path.of("..", "conf", conf));
      assertTrue(text.contains("%X{" + PairWatchdog.PAIR + "}"), conf);
    }
    String executor = java.nio.file.Files.readString(java.nio.file.Path.of("..", "conf", "log4j2-executor.properties"));
    assertTrue(executor.contains("rootLogger.level = warn"), "Spark's packages at WARN on executors");
  }

  @Test
  void workWithinItsLimitGivesItsResultAndItsErrors() {
    assertEquals("done", PairWatchdog.within("quick", 5, () -> "done"));
    IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> PairWatchdog.within("failing", 5, () -> {
          throw new IllegalStateException("its own error");
        }));
    assertEquals("its own error", thrown.getMessage());
  }
}
