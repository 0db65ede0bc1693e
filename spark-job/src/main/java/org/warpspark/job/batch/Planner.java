package org.warpspark.job.batch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.warpspark.job.RegistrationConfig;

/**
 * The driver's side of a run: every pair's settings (the run's, then its overrides) are checked before
 * anything runs, and every input is looked up. A missing input does not stop the run: the pair is
 * planned to fail with the reason, so that it gets its rows like every other pair.
 */
final class Planner {
  private Planner() {}

  /**
   * One task per pair; refuses the whole run if any pair's settings are invalid. With an
   * {@code exportRoot}, each pair writes its files into {@code exportRoot/<pair_id>/}.
   */
  static List<PairTask> plan(List<PairSpec> pairs, RegistrationConfig runConfig, String exportRoot,
      Configuration conf) {
    List<PairTask> tasks = new ArrayList<>();
    for (PairSpec pair : pairs) {
      RegistrationConfig config;
      try {
        config = runConfig.with(pair.overrides());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pair " + pair.pairId() + ": " + e.getMessage(), e);
      }
      String exports = exportRoot == null ? null : new Path(exportRoot, pair.pairId()).toString();
      tasks.add(new PairTask(pair, config.given(), config.hash(), config.stages(), missingInput(pair, conf), exports));
    }
    return tasks;
  }

  /** Null when every input of {@code pair} exists, else which one does not (or cannot be reached). */
  static String missingInput(PairSpec pair, Configuration conf) {
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("fixed image", pair.fixed());
    inputs.put("moving image", pair.moving());
    inputs.put("fixed mask", pair.fixedMask());
    inputs.put("fixed label map", pair.fixedLabels());
    inputs.put("moving label map", pair.movingLabels());
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      String uri = input.getValue();
      if (uri == null) {
        continue;
      }
      try {
        Path path = new Path(uri);
        if (!path.getFileSystem(conf).exists(path)) {
          return input.getKey() + " " + uri + " does not exist";
        }
      } catch (IOException | IllegalArgumentException e) {
        return input.getKey() + " " + uri + " cannot be reached: " + e.getMessage();
      }
    }
    return null;
  }
}
