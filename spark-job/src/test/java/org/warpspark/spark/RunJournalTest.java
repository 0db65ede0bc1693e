package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.table.FlowFields;
import org.warpspark.udfs.table.Losses;
import org.warpspark.udfs.table.Registrations;

/** The journal gives back a pair's rows exactly as they were made, and only pairs it committed. */
class RunJournalTest {
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SparkSessions.builder("RunJournalTest", "local[1]").config("spark.ui.enabled", "false").getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  @Test
  void rowsComeBackAsTheyWereMadeIncludingNotANumber() {
    RunJournal journal = new RunJournal(new org.apache.hadoop.fs.Path(dir.toUri()), "j1");
    Instant at = Instant.parse("2026-12-05T10:11:12.345678Z");
    Row registration = new RowBuilder(Registrations.TABLE).set(Registrations.PAIR_ID, "p1")
        .set(Registrations.STAGE, "deformable").set(Registrations.STATUS, "ok").set(Registrations.NCC_AFTER, Double.NaN)
        .set(Registrations.FIXED_TO_MOVING, new double[] {1, 0, 0.5, 0, 1, -2, 0, 0, 1})
        .set(Registrations.DICE_AFTER, Map.of("3", 0.875)).set(Registrations.WARNINGS, new String[] {"a \"quoted\""})
        .set(Registrations.FINISHED_AT, at).row();
    Row loss = new RowBuilder(Losses.TABLE).set(Losses.PAIR_ID, "p1").set(Losses.STAGE, "deformable")
        .set(Losses.LEVEL, 0).set(Losses.ITERATION, 4).set(Losses.LOSS, -0.123456789012345).row();
    float[] ux = {0.1f, -3.4028235e38f, 1e-45f, Float.NaN};
    Row flow = new RowBuilder(FlowFields.TABLE).set(FlowFields.PAIR_ID, "p1").set(FlowFields.STAGE, "deformable")
        .set(FlowFields.SLICE, 0).set(FlowFields.DIM, 2).set(FlowFields.SIZE, new int[] {2, 2})
        .set(FlowFields.U_X, ux).set(FlowFields.U_Y, new float[4]).row();
    journal.record("p1", new PairRows.Outcome(List.of(registration), List.of(loss), List.of(flow), false),
        new Configuration());

    Row r = journal.rows(spark, Registrations.TABLE).collectAsList().get(0);
    assertTrue(Double.isNaN(r.<Double>getAs(Registrations.NCC_AFTER)));
    assertEquals(0.875, r.<scala.collection.Map<String, Double>>getAs(Registrations.DICE_AFTER).apply("3"));
    assertEquals("a \"quoted\"", r.<scala.collection.Seq<String>>getAs(Registrations.WARNINGS).apply(0));
    assertEquals(at, r.<java.sql.Timestamp>getAs(Registrations.FINISHED_AT).toInstant());
    assertNull(r.getAs(Registrations.ERROR));
    assertEquals(-0.123456789012345, journal.rows(spark, Losses.TABLE).collectAsList().get(0).<Double>getAs(Losses.LOSS));
    Row f = journal.rows(spark, FlowFields.TABLE).collectAsList().get(0);
    scala.collection.Seq<Float> back = f.getAs(FlowFields.U_X);
    float[] values = new float[back.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = back.apply(i);
    }
    assertArrayEquals(ux, values, "floats exactly, the extremes and NaN included");
  }

  /** A pair is in the journal whole or not at all: a file being written (hidden) does not count. */
  @Test
  void onlyWholePairsCount() throws Exception {
    RunJournal journal = new RunJournal(new org.apache.hadoop.fs.Path(dir.toUri()), "j2");
    assertNull(journal.rows(spark, Losses.TABLE), "an empty journal has no rows");
    Path folder = Files.createDirectories(dir.resolve("_journal/run_id=j2"));
    Row loss = new RowBuilder(Losses.TABLE).set(Losses.PAIR_ID, "half").set(Losses.LOSS, 1.0).row();
    Files.writeString(folder.resolve(".pair-half.json.0a1b.tmp"), RowJson.of(loss, Losses.TABLE.schema(),
        "_table", "losses") + "\n");
    assertNull(journal.rows(spark, Losses.TABLE), "a half-written pair is not in the journal");
    Row registration = new RowBuilder(Registrations.TABLE).set(Registrations.PAIR_ID, "_whole")
        .set(Registrations.STATUS, "ok").row();
    Row wholeLoss = new RowBuilder(Losses.TABLE).set(Losses.PAIR_ID, "_whole").set(Losses.LOSS, 2.0).row();
    journal.record("_whole", new PairRows.Outcome(List.of(registration), List.of(wholeLoss), List.of(), false),
        new Configuration());
    assertEquals(List.of("_whole"), journal.rows(spark, Registrations.TABLE).collectAsList().stream()
        .map(r -> r.<String>getAs(Registrations.PAIR_ID)).toList(), "a pair id starting with '_' is read too");
    assertEquals(1, journal.rows(spark, Losses.TABLE).count(), "the whole pair's losses, not the hidden file's");
    assertEquals(0, journal.rows(spark, FlowFields.TABLE).count());
    journal.delete(new Configuration());
    assertFalse(Files.exists(dir.resolve("_journal/run_id=j2")));
  }
}
