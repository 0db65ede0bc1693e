package org.warpspark.spark;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.pair.PairImages;
import org.warpspark.pair.PairPipeline;
import org.warpspark.torch.NativeScope;

/**
 * The pairs of one task ({@code --batch-size}): pairs that share their settings have their affine
 * optimisations done together ({@link PairPipeline#optimiseTogether}: same-shape pairs in lockstep,
 * one objective call per iteration for all), and everything else pair by pair, each pair in its own
 * native scope with its own rows. Reading and the shared optimisation run under one time limit, the
 * sum of the pairs' own; the rest of each pair under its own. A pair's failure stays its own.
 */
final class PairBatch {
  private static final Logger LOG = LoggerFactory.getLogger(PairBatch.class);
  private PairBatch() {}

  /** One outcome per task, in their order. */
  static List<PairRows.Outcome> register(List<PairTask> tasks, Configuration conf, PairRows.Where where) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    PairRows.Outcome[] outcomes = new PairRows.Outcome[tasks.size()];
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i).plannedFailure() != null) { // nothing to read: its rows say why at once
        outcomes[i] = PairRows.register(tasks.get(i), conf, where);
        continue;
      }
      groups.computeIfAbsent(tasks.get(i).configHash(), k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> group : groups.values()) {
      if (group.size() == 1) {
        outcomes[group.get(0)] = PairRows.register(tasks.get(group.get(0)), conf, where);
        continue;
      }
      List<PairRows.Outcome> done = together(group.stream().map(tasks::get).toList(), conf, where);
      for (int k = 0; k < group.size(); k++) {
        outcomes[group.get(k)] = done.get(k);
      }
    }
    return List.of(outcomes);
  }

  private static List<PairRows.Outcome> together(List<PairTask> tasks, Configuration conf, PairRows.Where where) {
    List<PairRows> pairs = tasks.stream().map(task -> new PairRows(task, conf, where)).toList();
    long limit = pairs.stream().mapToLong(PairRows::timeLimit).sum();
    String batch = tasks.size() + " pairs from " + tasks.get(0).spec().pairId();
    PairImages[] images = new PairImages[pairs.size()];
    PairPipeline.Optimised[] optimised = new PairPipeline.Optimised[pairs.size()];
    long start = System.nanoTime();
    Boolean finished = PairWatchdog.within("batch of " + batch, (int) Math.min(Integer.MAX_VALUE, limit), () -> {
      List<Integer> read = new ArrayList<>();
      for (int i = 0; i < pairs.size(); i++) {
        images[i] = pairs.get(i).read();
        if (images[i] != null) {
          read.add(i);
        }
      }
      if (read.isEmpty()) {
        return true;
      }
      LOG.info("batch of {}: {} read, their affine optimisations together", batch, read.size());
      try (NDManager manager = NativeScope.open(where.device())) {
        List<PairPipeline.Optimised> done = new PairPipeline(pairs.get(0).config(), false)
            .optimiseTogether(read.stream().map(i -> images[i]).toList(), manager);
        for (int k = 0; k < read.size(); k++) {
          optimised[read.get(k)] = done.get(k);
        }
      } catch (RuntimeException | OutOfMemoryError e) {
        double seconds = (System.nanoTime() - start) / 1e9;
        read.forEach(i -> pairs.get(i).failBefore(e, seconds / read.size()));
      }
      return true;
    });
    List<PairRows.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      PairRows pair = pairs.get(i);
      if (finished == null) {
        outcomes.add(new PairRows(tasks.get(i), conf, where).overTimeLimit(limit,
            "the time limit of its batch's reading and affine optimisation (the sum of its pairs' time-limit)"));
        continue;
      }
      if (optimised[i] == null) { // not read, or its batch failed: its rows say why
        outcomes.add(pair.outcome());
        continue;
      }
      PairImages own = images[i];
      PairPipeline.Optimised optimisedOwn = optimised[i];
      PairRows.Outcome outcome = PairWatchdog.within(tasks.get(i).spec().pairId(), pair.timeLimit(), () -> {
        pair.finish(own, optimisedOwn);
        return pair.outcome();
      });
      outcomes.add(outcome != null ? outcome : new PairRows(tasks.get(i), conf, where).overTimeLimit());
    }
    return outcomes;
  }
}
