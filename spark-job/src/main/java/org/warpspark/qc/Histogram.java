package org.warpspark.qc;

import java.util.List;
import java.util.Locale;

/** A histogram of one metric over a run's pairs as inline SVG: bars, the range and the count. */
final class Histogram {
  private static final int BINS = 20;
  private static final int WIDTH = 300;
  private static final int HEIGHT = 150;
  private static final int PLOT = 100;

  private Histogram() {}

  /** The histogram of the finite {@code values}, titled; none when there are none. */
  static String svg(String title, List<Double> values) {
    double[] v = values.stream().filter(x -> x != null && Double.isFinite(x)).mapToDouble(Double::doubleValue)
        .toArray();
    if (v.length == 0) {
      return "";
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    int[] counts = new int[BINS];
    for (double x : v) {
      counts[hi > lo ? Math.min(BINS - 1, (int) ((x - lo) / (hi - lo) * BINS)) : BINS / 2]++;
    }
    int most = 0;
    for (int c : counts) {
      most = Math.max(most, c);
    }
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<figure class=\"hist\"><svg width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT,
        Markup.escape(title)));
    double bar = (WIDTH - 20.0) / BINS;
    for (int b = 0; b < BINS; b++) {
      double h = PLOT * (double) counts[b] / most;
      svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
          + "fill=\"#4a78b0\"><title>%d</title></rect>%n", 10 + b * bar, 20 + PLOT - h, bar - 1, h, counts[b]));
    }
    svg.append(String.format(Locale.ROOT, "<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>%n"
        + "<text x=\"10\" y=\"%d\" font-size=\"11\">%s</text>%n<text x=\"%d\" y=\"%d\" font-size=\"11\" "
        + "text-anchor=\"end\">%s</text>%n<text x=\"%d\" y=\"14\" font-size=\"11\" text-anchor=\"end\">max %d per bar"
        + "</text>%n</svg><figcaption>%s (%d pairs)</figcaption></figure>%n", 20 + PLOT, WIDTH - 10, 20 + PLOT,
        36 + PLOT, Markup.number(lo), WIDTH - 10, 36 + PLOT, Markup.number(hi), WIDTH - 10, most,
        Markup.escape(title), v.length));
    return svg.toString();
  }
}
