package org.warpspark.engine.sample;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;

/**
 * An array stacked over the members of a batch (axis 0) and the rows of the members still running:
 * selected again only when that set changes, which happens at most once per member and level.
 * Selections live in the stacked array's manager.
 */
public final class BatchRows {
  private final NDArray all;
  private int[] members;
  private NDArray selected;

  public BatchRows(NDArray all) {
    this.all = all;
    this.selected = all;
  }

  /** The rows of {@code members} (ascending member numbers), in that order. */
  public NDArray of(int[] members) {
    if (this.members != null && Arrays.equals(members, this.members)) {
      return selected;
    }
    if (selected != all) {
      selected.close();
    }
    if (members.length == all.getShape().get(0)) {
      selected = all;
    } else {
      try (NDArray rows = all.getManager().create(Arrays.stream(members).asLongStream().toArray())) {
        selected = all.get(rows);
      }
    }
    this.members = members.clone();
    return selected;
  }
}
