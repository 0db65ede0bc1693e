package org.warpspark.qc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loss curves of a pair as an SVG picture: one panel per stage (each stage has its own loss and
 * scale), its pyramid levels one after another along the iterations, each level in its own colour.
 * SVG because browsers draw its text: no fonts are needed where the picture is made.
 */
public final class LossCurves {
  private static final int WIDTH = 640;
  private static final int PANEL = 200;
  private static final int LEFT = 72;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

  /** The losses of one pyramid level of one stage, in iteration order. */
  public record Curve(String stage, int level, int factor, double[] losses) {}

  private LossCurves() {}

  /** The SVG document of {@code curves}, grouped by stage in the order they come. */
  public static String svg(List<Curve> curves) {
    Map<String, List<Curve>> stages = new LinkedHashMap<>();
    for (Curve c : curves) {
      stages.computeIfAbsent(c.stage(), s -> new ArrayList<>()).add(c);
    }
    int height = Math.max(1, stages.size()) * (PANEL + TOP + BOTTOM);
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n"
        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, height, WIDTH, height));
    int y = 0;
    for (Map.Entry<String, List<Curve>> stage : stages.entrySet()) {
      panel(svg, stage.getKey(), stage.getValue(), y);
      y += PANEL + TOP + BOTTOM;
    }
    if (stages.isEmpty()) {
      svg.append("<text x=\"20\" y=\"20\">no loss recorded</text>\n");
    }
    return svg.append("</svg>\n").toString();
  }

  private static void panel(StringBuilder svg, String stage, List<Curve> curves, int y0) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int iterations = 0;
    for (Curve c : curves) {
      for (double l : c.losses()) {
        if (Double.isFinite(l)) {
          lo = Math.min(lo, l);
          hi = Math.max(hi, l);
        }
      }
      iterations += c.losses().length;
    }
    if (!(hi >= lo)) {
      lo = 0;
      hi = 1;
    } else if (hi == lo) {
      hi = lo + Math.max(1e-12, Math.abs(lo) * 1e-6);
    }
    double x0 = LEFT;
    double top = y0 + TOP;
    double plotWidth = WIDTH - LEFT - RIGHT;
    double xStep = plotWidth / Math.max(1, iterations - 1);
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-weight=\"bold\">%s stage loss</text>%n",
        LEFT, top - 10, Markup.escape(stage)));
    svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#999\"/>%n", x0, top, plotWidth, PANEL));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n"
        + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, top + 10, Markup.number(hi), LEFT - 6,
        top + PANEL, Markup.number(lo)));
    int start = 0;
    for (Curve c : curves) {
      String colour = COLOURS[c.level() % COLOURS.length];
      StringBuilder points = new StringBuilder();
      double[] losses = c.losses();
      for (int i = 0; i < losses.length; i++) {
        if (Double.isFinite(losses[i])) {
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x0 + (start + i) * xStep,
              top + PANEL * (hi - losses[i]) / (hi - lo)));
        }
      }
      svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
          + "points=\"%s\"><title>level %d (1/%d resolution)</title></polyline>%n", colour, points.toString().trim(),
          c.level(), c.factor()));
      double xs = x0 + start * xStep;
      if (start > 0) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" "
            + "stroke-dasharray=\"4 3\"/>%n", xs, top, xs, top + PANEL));
      }
      // a level's name under its start, or ending at the panel's edge when the level is short and last
      boolean atEdge = xs > x0 + plotWidth - 90;
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\"%s>level %d (1/%d)</text>%n",
          atEdge ? x0 + plotWidth : xs + 4, top + PANEL + 14, colour, atEdge ? " text-anchor=\"end\"" : "",
          c.level(), c.factor()));
      start += losses.length;
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%d "
        + "iterations</text>%n", x0 + plotWidth, top + PANEL + 30, iterations));
  }

}
