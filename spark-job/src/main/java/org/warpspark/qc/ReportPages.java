package org.warpspark.qc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A run's report as static HTML: {@code index.html} (counts, run facts, failures with their causes,
 * histograms of the main metrics, the pairs worst first in a table that sorts by any column) and one
 * {@code <pair_id>/index.html} per pair (its stages' figures and its QC pictures). No network, no
 * library: the pages hold their style, their few lines of script and their charts (SVG) themselves.
 */
public final class ReportPages {
  static final String INDEX = "index.html";

  private static final String STYLE = """
      body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
      h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
      table{border-collapse:collapse;font-size:.85em}
      th,td{border:1px solid #ccc;padding:.2em .45em;text-align:right;vertical-align:top}
      th{background:#eee;position:sticky;top:0}
      td.t,th.t{text-align:left}
      table.sortable th{cursor:pointer}
      th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
      tr.failed td{background:#fde2e2}tr.warned td{background:#fff4d6}
      .counts span{display:inline-block;margin-right:1.2em;font-size:1.1em}
      .ok{color:#17692c}.bad{color:#a30d0d}
      .row{display:flex;flex-wrap:wrap;gap:1em;margin-bottom:.8em}
      figure{margin:0;width:min-content;min-width:14em}
      figcaption{font-size:.85em;color:#444}
      img{min-width:240px;image-rendering:pixelated;border:1px solid #ddd}
      pre{background:#f6f6f6;padding:.6em;overflow:auto}
      """;

  /** Sorts a table by the clicked column: text columns (class t) as text, the others as numbers, empty cells last. */
  private static final String SORT_SCRIPT = """
      document.querySelectorAll('table.sortable').forEach(function (table) {
        var heads = table.tHead.rows[0].cells;
        Array.prototype.forEach.call(heads, function (th, col) {
          var text = th.classList.contains('t');
          th.addEventListener('click', function () {
            var up = th.getAttribute('aria-sort') !== 'ascending';
            Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
            th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
              if (x === '' || y === '') { return (x === '') - (y === ''); }
              var c = text ? x.localeCompare(y) : (Number(x) > Number(y)) - (Number(x) < Number(y));
              return up ? c : -c;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
      });
      """;

  private ReportPages() {}

  /**
   * Every page of the report, by its path under the report's folder {@code folder} (a URI); the
   * pictures are linked from their URIs, relative to the pages where they lie on the same store.
   */
  public static Map<String, String> pages(RunReport report, String folder) {
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put(INDEX, index(report));
    String root = folder.endsWith("/") ? folder : folder + "/";
    for (RunReport.Pair pair : report.pairs()) {
      pages.put(pair.pairId() + "/" + INDEX, pairPage(report.runId(), pair, root + pair.pairId() + "/"));
    }
    return pages;
  }

  static String index(RunReport report) {
    StringBuilder html = head("run " + report.runId());
    html.append("<h1>Run ").append(Markup.escape(report.runId())).append("</h1>\n");
    long failed = report.pairs().stream().filter(RunReport.Pair::failed).count();
    long warned = report.pairs().stream().filter(p -> !p.failed() && !p.warnings().isEmpty()).count();
    html.append("<p class=\"counts\"><span>").append(report.pairs().size()).append(" pairs</span><span class=\"ok\">")
        .append(report.pairs().size() - failed).append(" ok</span><span class=\"bad\">").append(failed)
        .append(" failed</span><span>").append(warned).append(" ok with warnings</span>");
    if (report.run() != null) {
      html.append("<span>").append(report.run().resumed()).append(" kept from an earlier attempt</span>");
    }
    html.append("</p>\n");
    facts(html, report.run());
    stageCounts(html, report.pairs());
    failures(html, report.pairs());
    histograms(html, report.pairs());
    pairTable(html, report.worstFirst());
    if (report.run() != null) {
      html.append("<h2>Settings</h2>\n<details><summary>the run's settings, defaults spelled out</summary><pre>")
          .append(Markup.escape(report.run().config())).append("</pre></details>\n");
    }
    html.append("<script>\n").append(SORT_SCRIPT).append("</script>\n");
    return html.append("</body>\n</html>\n").toString();
  }

  private static void facts(StringBuilder html, RunReport.Run run) {
    if (run == null) {
      html.append("<p class=\"bad\">The runs table has no row for this run: it has not finished publishing.</p>\n");
      return;
    }
    html.append("<table class=\"facts\">\n");
    fact(html, "started (UTC)", String.valueOf(run.started()));
    fact(html, "finished (UTC)", String.valueOf(run.finished()));
    if (run.started() != null && run.finished() != null) {
      Duration d = Duration.between(run.started(), run.finished());
      fact(html, "run time", String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(),
          d.toSecondsPart()));
    }
    fact(html, "pairs", run.pairs() + " (" + run.ok() + " ok, " + run.failed() + " failed)");
    fact(html, "manifest", run.manifest());
    fact(html, "Spark master", run.master());
    fact(html, "versions", run.versions() == null ? "" : new TreeMap<>(run.versions()).toString());
    html.append("</table>\n");
  }

  private static void fact(StringBuilder html, String name, String value) {
    html.append("<tr><th class=\"t\">").append(Markup.escape(name)).append("</th><td class=\"t\">")
        .append(Markup.escape(value)).append("</td></tr>\n");
  }

  private static void stageCounts(StringBuilder html, List<RunReport.Pair> pairs) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    for (RunReport.Pair p : pairs) {
      for (RunReport.Stage s : p.stages()) {
        counts.computeIfAbsent(s.stage(), k -> new long[2])[s.ok() ? 0 : 1]++;
      }
    }
    html.append("<h2>Stages</h2>\n<table><thead><tr><th class=\"t\">stage</th><th>ok</th><th>failed</th></tr></thead>"
        + "<tbody>\n");
    counts.forEach((stage, c) -> html.append("<tr><td class=\"t\">").append(Markup.escape(stage)).append("</td><td>")
        .append(c[0]).append("</td><td>").append(c[1]).append("</td></tr>\n"));
    html.append("</tbody></table>\n");
  }

  private static void failures(StringBuilder html, List<RunReport.Pair> pairs) {
    List<RunReport.Pair> failed = pairs.stream().filter(RunReport.Pair::failed).sorted(RunReport.WORST_FIRST).toList();
    html.append("<h2 id=\"failures\">Failures</h2>\n");
    if (failed.isEmpty()) {
      html.append("<p>None.</p>\n");
      return;
    }
    html.append("<table class=\"failures\"><thead><tr><th class=\"t\">pair</th><th class=\"t\">stage</th>"
        + "<th class=\"t\">error</th><th class=\"t\">cause</th></tr></thead><tbody>\n");
    for (RunReport.Pair p : failed) {
      RunReport.Stage f = p.failure();
      html.append("<tr class=\"failed\"><td class=\"t\">").append(pairLink(p)).append("</td><td class=\"t\">")
          .append(Markup.escape(f.stage())).append("</td><td class=\"t\">").append(Markup.escape(f.errorClass()))
          .append("</td><td class=\"t\">").append(Markup.escape(f.error())).append("</td></tr>\n");
    }
    html.append("</tbody></table>\n");
  }

  private static void histograms(StringBuilder html, List<RunReport.Pair> pairs) {
    html.append("<h2>Distributions</h2>\n<div class=\"row\">\n");
    html.append(Histogram.svg("normalised cross-correlation after", last(pairs, RunReport.Stage::nccAfter)));
    html.append(Histogram.svg("mean Dice after", last(pairs, RunReport.Stage::diceAfter)));
    html.append(Histogram.svg("folding fraction", last(pairs, RunReport.Stage::folding)));
    html.append(Histogram.svg("SD of log det J", last(pairs, RunReport.Stage::sdLogJacobian)));
    html.append(Histogram.svg("seconds per pair", pairs.stream().map(p -> (Double) p.seconds()).toList()));
    html.append("</div>\n");
  }

  private static List<Double> last(List<RunReport.Pair> pairs, Function<RunReport.Stage, Double> value) {
    List<Double> values = new ArrayList<>();
    pairs.forEach(p -> values.add(p.lastOf(value)));
    return values;
  }

  /** The pairs' table; each column's cells carry the value they sort by. */
  private static void pairTable(StringBuilder html, List<RunReport.Pair> pairs) {
    String[] heads = {"pair", "status", "stages done", "loss", "final loss", "NCC before", "NCC after", "MI before",
        "MI after", "Dice before", "Dice after", "folding", "SDlogJ", "seconds", "device", "attempts", "warnings"};
    html.append("<h2>Pairs, worst first</h2>\n<p>Click a column's title to sort by it.</p>\n"
        + "<table class=\"sortable pairs\"><thead><tr>");
    for (String h : heads) {
      html.append("<th").append(h.equals("pair") || h.equals("status") || h.equals("stages done") || h.equals("loss")
          || h.equals("device") ? " class=\"t\"" : "").append(">").append(h).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (RunReport.Pair p : pairs) {
      RunReport.Stage last = p.last();
      RunReport.Stage first = p.first();
      html.append("<tr").append(p.failed() ? " class=\"failed\"" : p.warnings().isEmpty() ? "" : " class=\"warned\"")
          .append(">");
      text(html, p.pairId(), pairLink(p));
      text(html, p.failed() ? "failed" : "ok", p.failed() ? "failed" : "ok");
      String done = String.join(", ", p.stages().stream().filter(RunReport.Stage::ok).map(RunReport.Stage::stage)
          .toList());
      text(html, done, Markup.escape(done));
      String loss = last == null ? "" : last.loss();
      text(html, loss, Markup.escape(loss));
      number(html, last == null ? null : last.finalLoss());
      number(html, first.nccBefore());
      number(html, last == null ? null : last.nccAfter());
      number(html, first.miBefore());
      number(html, last == null ? null : last.miAfter());
      number(html, first.diceBefore());
      number(html, last == null ? null : last.diceAfter());
      number(html, last == null ? null : last.folding());
      number(html, last == null ? null : last.sdLogJacobian());
      number(html, p.seconds());
      String device = last == null ? first.device() : last.device();
      text(html, device == null ? "" : device, Markup.escape(device));
      whole(html, p.attempts());
      whole(html, p.warnings().size());
      html.append("</tr>\n");
    }
    html.append("</tbody></table>\n");
  }

  private static void text(StringBuilder html, String sortBy, String shown) {
    html.append("<td class=\"t\" data-v=\"").append(Markup.escape(sortBy)).append("\">").append(shown).append("</td>");
  }

  /** A number's cell; it sorts as its value, NaN as the lowest (as {@link RunReport#WORST_FIRST} does), none last. */
  private static void number(StringBuilder html, Double v) {
    String sortBy = v == null ? "" : v.isNaN() ? "-Infinity" : String.valueOf(v);
    html.append("<td data-v=\"").append(sortBy).append("\">").append(v != null && !Double.isFinite(v)
        ? String.valueOf(v) : Markup.number(v)).append("</td>");
  }

  private static void whole(StringBuilder html, long v) {
    html.append("<td data-v=\"").append(v).append("\">").append(v).append("</td>");
  }

  private static String pairLink(RunReport.Pair p) {
    return "<a href=\"" + Links.encode(p.pairId()) + "/" + INDEX + "\">" + Markup.escape(p.pairId()) + "</a>";
  }

  static String pairPage(String runId, RunReport.Pair pair, String folder) {
    StringBuilder html = head("pair " + pair.pairId() + " of run " + runId);
    html.append("<p><a href=\"../").append(INDEX).append("\">&larr; run ").append(Markup.escape(runId))
        .append("</a></p>\n<h1>Pair ").append(Markup.escape(pair.pairId())).append("</h1>\n");
    RunReport.Stage failure = pair.failure();
    if (failure != null) {
      html.append("<p class=\"bad\">The ").append(Markup.escape(failure.stage())).append(" stage failed (")
          .append(Markup.escape(failure.errorClass())).append("): ").append(Markup.escape(failure.error()))
          .append("</p>\n");
    }
    for (String w : pair.warnings()) {
      html.append("<p class=\"bad\">Warning, ").append(Markup.escape(w)).append("</p>\n");
    }
    stageTable(html, pair.stages());
    Map<String, String> pictures = pair.pictures();
    html.append("<h2>Pictures</h2>\n");
    if (pictures.isEmpty()) {
      html.append("<p>None: the run was made without --qc, or the pair failed before its pictures.</p>\n");
    }
    // a row per kind of picture, before registration and after each stage from left to right
    String row = null;
    for (String name : pictures.keySet().stream().sorted(Comparator.comparing(n -> Kind.of(n).rank())).toList()) {
      Kind kind = Kind.of(name);
      if (!kind.what().equals(row)) {
        html.append(row == null ? "" : "</div>\n").append("<div class=\"row\">\n");
        row = kind.what();
      }
      html.append("<figure><img src=\"").append(Markup.escape(Links.relative(folder, pictures.get(name))))
          .append("\" alt=\"").append(Markup.escape(name)).append("\"><figcaption>")
          .append(Markup.escape(kind.caption())).append("</figcaption></figure>\n");
    }
    html.append(row == null ? "" : "</div>\n");
    return html.append("</body>\n</html>\n").toString();
  }

  /** A stage per column, a figure per row. */
  private static void stageTable(StringBuilder html, List<RunReport.Stage> stages) {
    Map<String, Function<RunReport.Stage, String>> rows = new LinkedHashMap<>();
    rows.put("status", RunReport.Stage::status);
    rows.put("model", RunReport.Stage::model);
    rows.put("loss", RunReport.Stage::loss);
    rows.put("loss before", s -> Markup.number(s.initialLoss()));
    rows.put("loss after", s -> Markup.number(s.finalLoss()));
    rows.put("iterations", s -> s.iterations() == null ? "\u2013" : s.iterations().toString());
    rows.put("MSE before / after", s -> Markup.number(s.mseBefore()) + " / " + Markup.number(s.mseAfter()));
    rows.put("NCC before / after", s -> Markup.number(s.nccBefore()) + " / " + Markup.number(s.nccAfter()));
    rows.put("MI before / after", s -> Markup.number(s.miBefore()) + " / " + Markup.number(s.miAfter()));
    rows.put("mean Dice before / after", s -> Markup.number(s.diceBefore()) + " / " + Markup.number(s.diceAfter()));
    rows.put("folding fraction", s -> Markup.number(s.folding()));
    rows.put("SD of log det J", s -> Markup.number(s.sdLogJacobian()));
    rows.put("det J min / max", s -> Markup.number(s.jacobianMin()) + " / " + Markup.number(s.jacobianMax()));
    rows.put("seconds", s -> Markup.number(s.seconds()));
    rows.put("device", RunReport.Stage::device);
    rows.put("attempt", s -> String.valueOf(s.attempt()));
    html.append("<table class=\"stages\"><thead><tr><th class=\"t\"></th>");
    stages.forEach(s -> html.append("<th>").append(Markup.escape(s.stage())).append("</th>"));
    html.append("</tr></thead><tbody>\n");
    rows.forEach((name, value) -> {
      html.append("<tr><th class=\"t\">").append(Markup.escape(name)).append("</th>");
      stages.forEach(s -> html.append("<td>").append(Markup.escape(value.apply(s))).append("</td>"));
      html.append("</tr>\n");
    });
    html.append("</tbody></table>\n");
  }

  private static final List<String> KINDS = List.of("checkerboard", "edges", "contours", "jacobian", "displacement",
      "loss_curves");
  private static final List<String> WHEN = List.of("before", "affine", "deformable");

  /**
   * A picture's kind read from its name: what it shows and, for the pictures drawn before registration
   * and after each stage, when ({@code checkerboard_affine}); {@code when} is empty for the others.
   */
  record Kind(String what, String when) {
    static Kind of(String name) {
      int cut = name.lastIndexOf('_');
      return cut >= 0 && WHEN.contains(name.substring(cut + 1))
          ? new Kind(name.substring(0, cut), name.substring(cut + 1)) : new Kind(name, "");
    }

    /** Where it comes in its page: by what ({@link #KINDS}), then before, affine, deformable. */
    int rank() {
      int order = KINDS.indexOf(what);
      return (order < 0 ? KINDS.size() : order) * 10 + WHEN.indexOf(when) + 1;
    }

    String caption() {
      String shows = switch (what) {
        case "checkerboard" -> "fixed and moving image, checkerboard";
        case "edges" -> "the fixed image's edges (green) over the moving image";
        case "contours" -> "the moving labels' outlines over the fixed image";
        case "loss_curves" -> "loss per iteration, each pyramid level in its colour";
        case "jacobian" -> "Jacobian determinant: blue compresses, red expands, magenta folds";
        case "displacement" -> "displacement length";
        default -> what;
      };
      return when.isEmpty() ? shows : when.equals("before") ? shows + ", before registration"
          : shows + ", after the " + when + " stage";
    }
  }

  private static StringBuilder head(String title) {
    return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(Markup.escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
  }
}
