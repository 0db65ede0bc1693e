package org.warpspark.udfs.table;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.List;

/** The {@code losses} table: its columns (names, types, units) and schema version, the one place they are defined. */
public final class Losses {
  private Losses() {}

  public static final String PAIR_ID = "pair_id";
  public static final String STAGE = "stage";
  public static final String LOSS = "loss";
  public static final String LEVEL = "level";
  public static final String FACTOR = "factor";
  public static final String ITERATION = "iteration";

  public static final Table TABLE = new Table("losses", 1,
      "the optimiser's objective per pair, stage, level and iteration (long format)", List.of(
      new Column(PAIR_ID, StringType, "", "the manifest's pair id"),
      new Column(STAGE, StringType, "", "affine or deformable"),
      new Column(LEVEL, IntegerType, "", "pyramid level, 0 = coarsest"),
      new Column(FACTOR, IntegerType, "", "the level's shrink factor (1 = full resolution)"),
      new Column(ITERATION, IntegerType, "", "iteration within the level, from 0"),
      new Column(LOSS, DoubleType, "loss units", "affine: the similarity loss; deformable: loss + weight * penalty")));
}
