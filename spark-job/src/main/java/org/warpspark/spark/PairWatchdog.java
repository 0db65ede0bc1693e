package org.warpspark.spark;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one pair's work on a thread of its own and stops waiting for it at the pair's time limit, so
 * that a read that never returns (a stalled NFS or FUSE mount, a store that stops answering) or an
 * endless optimisation costs one pair, not the run. The abandoned thread is interrupted, which ends an
 * optimisation at its next iteration and with it the pair's native memory; a read blocked in the
 * kernel cannot be interrupted, and that thread is left behind as a daemon.
 */
final class PairWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(PairWatchdog.class);
  /** The logging context's key for the pair a thread works on. */
  static final String PAIR = "pair";
  /** How long an interrupted pair may take to let go of its native memory before the task moves on. */
  private static final long GRACE_MILLIS = 10_000;

  private PairWatchdog() {}

  /** {@code work}'s result, or null when it ran past {@code limitSeconds}. */
  static <T> T within(String pairId, int limitSeconds, Callable<T> work) {
    FutureTask<T> future = new FutureTask<>(() -> {
      // every line logged for the pair names it (the log pattern's %X{pair})
      MDC.put(PAIR, pairId);
      try {
        return work.call();
      } finally {
        MDC.remove(PAIR);
      }
    });
    Thread worker = new Thread(future, "warpspark pair " + pairId);
    worker.setDaemon(true);
    worker.start();
    try {
      return future.get(limitSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      worker.interrupt();
      LOG.warn("pair {}: stopped after its time limit of {} s", pairId, limitSeconds);
      awaitEnd(worker, pairId);
      return null;
    } catch (InterruptedException e) {
      // The task itself is being killed (Spark cancels it): stop the pair's work too.
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("pair " + pairId + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("pair " + pairId + ": " + cause, cause);
    }
  }

  private static void awaitEnd(Thread worker, String pairId) {
    try {
      worker.join(GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      LOG.warn("pair {}: its thread is blocked (a read that does not return?) and is left behind", pairId);
    }
  }
}
