package org.warpspark.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.warpspark.pair.PairSpec;

/**
 * What the driver ships to a task for one pair: ids, URIs and settings as text, never data. The task
 * opens its inputs itself.
 *
 * @param settings the pair's {@code RegistrationConfig} values (run config plus the pair's overrides)
 * @param configHash hash of those settings
 * @param stages the stages the pair runs, in order
 * @param plannedFailure null, or why planning already knows the pair cannot run (a missing input)
 * @param exportFolder null, or the folder the pair's files (transform, warped image, field) go to
 * @param qcFolder null, or the folder the pair's quality-control pictures go to
 * @param flowFields whether the deformable map becomes flow_fields rows
 */
public record PairTask(PairSpec spec, Map<String, String> settings, String configHash, List<String> stages,
    String plannedFailure, String exportFolder, String qcFolder, boolean flowFields) implements Serializable {
  private static final long serialVersionUID = 1L;

  public PairTask {
    settings = new TreeMap<>(settings);
    stages = List.copyOf(stages);
  }

  /** A task without QC pictures. */
  public PairTask(PairSpec spec, Map<String, String> settings, String configHash, List<String> stages,
      String plannedFailure, String exportFolder) {
    this(spec, settings, configHash, stages, plannedFailure, exportFolder, null, true);
  }

  /** The same task, its deformable map left out of the flow_fields table. */
  public PairTask withoutFlowFields() {
    return new PairTask(spec, settings, configHash, stages, plannedFailure, exportFolder, qcFolder, false);
  }
}
