package org.warpspark.udfs.table;

import java.util.List;

/**
 * The tables written under {@code --out}, one class each ({@link Registrations}, {@link Losses},
 * {@link FlowFields}, {@link Runs}, {@link Applications}) holding its column names, types and units;
 * code on both sides (writers, SQL, tests) refers to those constants.
 */
public final class Tables {
  private Tables() {}

  /** The tables a registration run writes, in the order it writes them. */
  public static final List<Table> REGISTRATION_RUN = List.of(Registrations.TABLE, Losses.TABLE, FlowFields.TABLE,
      Runs.TABLE);

  /** The table an {@code apply} run writes. */
  public static final List<Table> APPLY_RUN = List.of(Applications.TABLE);

  /** Every table. */
  public static final List<Table> ALL = List.of(Registrations.TABLE, Losses.TABLE, FlowFields.TABLE, Runs.TABLE,
      Applications.TABLE);
}
