package org.warpspark.udfs.table;

import java.util.List;

/**
 * The tables a run writes under {@code --out}, one class each ({@link Registrations},
 * {@link Losses}, {@link FlowFields}, {@link Runs}) holding its column names, types and
 * units; code on both sides (writers, SQL, tests) refers to those constants.
 */
public final class Tables {
  private Tables() {}

  /** Every table, in the order a run writes them. */
  public static final List<Table> ALL = List.of(Registrations.TABLE, Losses.TABLE, FlowFields.TABLE,
      Runs.TABLE);
}
