package org.warpspark.spark;

import java.util.regex.Pattern;

/**
 * Where a run's tables go: their format, and for Iceberg and Delta the catalogue and namespace that
 * hold them ({@code catalog.namespace}, defined by the Spark settings: a REST, Hive or Glue catalogue).
 * Without one, Iceberg tables live in a Hadoop catalogue whose warehouse is {@code --out}, and Delta
 * tables are path tables there: either way {@code <out>/<table>/}, where {@code sql --tables} finds them.
 */
public record TableLayout(TableFormat format, String catalog) {
  /** Plain Parquet folders under {@code --out}: the default. */
  public static final TableLayout PARQUET = new TableLayout(TableFormat.PARQUET, null);

  private static final Pattern CATALOG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");

  public TableLayout {
    if (format == null) {
      throw new IllegalArgumentException("a table format is needed");
    }
    if (catalog != null && format == TableFormat.PARQUET) {
      throw new IllegalArgumentException("--catalog takes Iceberg or Delta tables (--table-format iceberg|delta); "
          + "Parquet tables are folders under --out");
    }
    if (catalog != null && !CATALOG.matcher(catalog).matches()) {
      throw new IllegalArgumentException("--catalog names a catalogue and a namespace, as catalog.namespace "
          + "(letters, digits and '_'), got '" + catalog + "'");
    }
  }

  public static TableLayout of(TableFormat format) {
    return new TableLayout(format, null);
  }

  /** Whether the tables live under {@code --out} (not in a catalogue of their own). */
  boolean underOut() {
    return catalog == null;
  }
}
