package org.warpspark.qc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's report shows, read from its tables: the run and each pair's stages. Plain values, so
 * that the pages ({@link ReportPages}) need nothing but this.
 *
 * @param run null when the runs table has no row for the run (it never finished publishing)
 */
public record RunReport(String runId, Run run, List<Pair> pairs) {

  /** The run's row of the runs table. */
  public record Run(Instant started, Instant finished, String manifest, String config, Map<String, String> versions,
      String master, long pairs, long ok, long failed, long resumed) {}

  /**
   * One stage's row of the registrations table; numbers are null where the table has none.
   *
   * @param diceBefore the mean of the per-label Dice, or null without labels
   * @param pictures the stage's QC pictures, kind to URI
   */
  public record Stage(String stage, String status, String errorClass, String error, String model, String loss,
      Double initialLoss, Double finalLoss, Integer iterations, Double mseBefore, Double mseAfter, Double nccBefore,
      Double nccAfter, Double miBefore, Double miAfter, Double diceBefore, Double diceAfter, Double folding,
      Double sdLogJacobian, Double jacobianMin, Double jacobianMax, double seconds, String device, int attempt,
      List<String> warnings, Map<String, String> pictures) {
    public boolean ok() {
      return "ok".equals(status);
    }
  }

  /** A pair and its stages in order. */
  public record Pair(String pairId, List<Stage> stages) {
    public boolean failed() {
      return stages.stream().anyMatch(s -> !s.ok());
    }

    /** The failed stage that names the cause (later stages only say they did not run), or null. */
    public Stage failure() {
      return stages.stream().filter(s -> !s.ok()).findFirst().orElse(null);
    }

    /** The last stage that finished, or null. */
    public Stage last() {
      Stage last = null;
      for (Stage s : stages) {
        if (s.ok()) {
          last = s;
        }
      }
      return last;
    }

    public Stage first() {
      return stages.get(0);
    }

    /**
     * The pair's wall time: its finished stages and the failure (the stages after a failure repeat its
     * time, as they did not run).
     */
    public double seconds() {
      Stage failure = failure();
      return stages.stream().filter(Stage::ok).mapToDouble(Stage::seconds).sum()
          + (failure == null ? 0 : failure.seconds());
    }

    /** Spark task attempts it took: the highest attempt of its rows, counted from 1. */
    public int attempts() {
      return stages.stream().mapToInt(Stage::attempt).max().orElse(0) + 1;
    }

    public List<String> warnings() {
      List<String> all = new ArrayList<>();
      stages.forEach(s -> s.warnings().forEach(w -> all.add(s.stage() + ": " + w)));
      return all;
    }

    public Map<String, String> pictures() {
      Map<String, String> all = new LinkedHashMap<>();
      stages.forEach(s -> all.putAll(s.pictures()));
      return all;
    }

    /** The value of the last stage that finished, or null. */
    Double lastOf(java.util.function.Function<Stage, Double> value) {
      Stage last = last();
      return last == null ? null : value.apply(last);
    }
  }

  /**
   * Worst first: failed pairs, then pairs with warnings, then by the final Dice (mean over labels) and
   * the final normalised cross-correlation, lowest first; a metric that is not a number (a constant
   * warped image: the moving image left the field of view) counts as the lowest.
   */
  public static final Comparator<Pair> WORST_FIRST = Comparator
      .comparing((Pair p) -> !p.failed())
      .thenComparing(p -> p.warnings().isEmpty())
      .thenComparing(p -> lowIfNaN(p.lastOf(Stage::diceAfter)), Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(p -> lowIfNaN(p.lastOf(Stage::nccAfter)), Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(Pair::pairId);

  private static Double lowIfNaN(Double v) {
    return v != null && v.isNaN() ? Double.valueOf(Double.NEGATIVE_INFINITY) : v;
  }

  /** The pairs, worst first. */
  public List<Pair> worstFirst() {
    return pairs.stream().sorted(WORST_FIRST).toList();
  }
}
