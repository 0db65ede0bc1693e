package org.warpspark.spark;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.LongAccumulator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A run's progress while its pairs register, from Spark's listener events: a line every few seconds
 * with the pairs done and failed (counted by the tasks' accumulators as each task ends), the tasks
 * running, pairs per minute and the time left at that rate. Only the registration job's stages count;
 * it is marked by a local property while this is open.
 */
final class RunProgress extends SparkListener implements AutoCloseable {
  static final double DEFAULT_SECONDS = 10;
  /** The accumulators' names: named ones are reported in the listener's task-end events. */
  static final String DONE = "warpspark pairs registered";
  static final String FAILED = "warpspark pairs failed";
  private static final String MARK = "warpspark.progress";

  private final JavaSparkContext jsc;
  private final String runId;
  private final long total;
  private final PrintWriter out;
  private final LongAccumulator done;
  private final LongAccumulator failed;
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  private final AtomicLong doneSeen = new AtomicLong();
  private final AtomicLong failedSeen = new AtomicLong();
  private final AtomicLong running = new AtomicLong();
  private final long started = System.nanoTime();
  private final ScheduledExecutorService timer;

  /**
   * Counts the pairs of run {@code runId} that the jobs this thread starts register, until closed, from
   * the tasks' {@code done} and {@code failed} accumulators; a line every {@code seconds}, if > 0.
   */
  RunProgress(JavaSparkContext jsc, String runId, long total, LongAccumulator done, LongAccumulator failed,
      double seconds, PrintWriter out) {
    this.jsc = jsc;
    this.runId = runId;
    this.total = total;
    this.out = out;
    this.done = done;
    this.failed = failed;
    jsc.setLocalProperty(MARK, runId);
    jsc.sc().addSparkListener(this);
    if (seconds > 0) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "warpspark-progress");
        t.setDaemon(true);
        return t;
      });
      long every = Math.max(1, Math.round(seconds * 1000));
      timer.scheduleAtFixedRate(() -> out.println(line(doneSeen.get(), failedSeen.get(), running.get())), every,
          every, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    if (job.properties() != null && runId.equals(job.properties().getProperty(MARK))) {
      CollectionConverters.asJava(job.stageIds()).forEach(id -> stages.add((Integer) id));
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart task) {
    if (stages.contains(task.stageId())) {
      running.incrementAndGet();
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    if (!stages.contains(task.stageId())) {
      return;
    }
    running.decrementAndGet();
    if (!task.taskInfo().successful()) {
      return;
    }
    for (AccumulableInfo a : CollectionConverters.asJava(task.taskInfo().accumulables())) {
      if (a.update().isDefined() && (a.id() == done.id() || a.id() == failed.id())) {
        (a.id() == done.id() ? doneSeen : failedSeen).addAndGet(((Number) a.update().get()).longValue());
      }
    }
  }

  /** {@code run R: 12 of 500 pairs done (1 failed), 4 running, 3.2 pairs/min, about 2:31:10 left}. */
  String line(long pairsDone, long pairsFailed, long tasksRunning) {
    double minutes = (System.nanoTime() - started) / 60e9;
    double rate = pairsDone / Math.max(minutes, 1e-9);
    String left = "";
    if (pairsDone > 0 && pairsDone < total) {
      long seconds = Math.round((total - pairsDone) / rate * 60);
      left = String.format(Locale.ROOT, ", about %d:%02d:%02d left", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "run %s: %d of %d pairs done (%d failed), %d running, %.1f pairs/min%s", runId,
        pairsDone, total, pairsFailed, Math.max(0, tasksRunning), rate, left);
  }

  /** Stops counting; the last line, from the accumulators (exact once the job is over), unless quiet. */
  @Override
  public void close() {
    jsc.setLocalProperty(MARK, null);
    jsc.sc().removeSparkListener(this);
    if (timer != null) {
      timer.shutdown();
      try {
        // a line being printed finishes first: the exact one comes last
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.println(line(done.value(), failed.value(), 0));
    }
  }
}
