package org.warpspark.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The driver's storage lookups, one at a time on one thread of their own, so that a store that does not
 * answer (a stalled mount) costs a bounded wait instead of the run. A lookup over its time is abandoned
 * with its thread, and a fresh thread takes the next; one thread serves a whole plan.
 */
final class LookupThread implements AutoCloseable {
  private ExecutorService thread = fresh();

  /** {@code lookup}'s answer, or null when it gave none within {@code seconds}. */
  <T> T within(int seconds, Callable<T> lookup) {
    Future<T> answer = thread.submit(lookup);
    try {
      return answer.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      thread.shutdownNow(); // its thread may stay blocked in the kernel: a new one takes the next lookup
      thread = fresh();
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking up inputs", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(String.valueOf(cause), cause);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  private static ExecutorService fresh() {
    return Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "warpspark lookup");
      t.setDaemon(true);
      return t;
    });
  }
}
