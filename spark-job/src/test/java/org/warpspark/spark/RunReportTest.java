package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.cli.WarpsparkCli;
import org.warpspark.pair.PairSpec;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.testing.HeadlessChromium;
import org.warpspark.udfs.table.Registrations;

/**
 * A small real run with --qc (two good pairs, one truncated file): each pair's pictures beside the
 * tables, and the run's HTML report rendered in headless Chromium: no script error, every picture and
 * link resolves, the failed pair listed with its cause, the table sorts; screenshots kept in
 * {@code target/report-screenshots/}.
 */
class RunReportTest {
  private static final Path SCREENSHOTS = Path.of("target", "report-screenshots");

  @TempDir
  static Path dir;
  static SparkSession spark;
  static Path out;
  static String printed;

  @BeforeAll
  static void run() throws IOException {
    spark = SparkSessions.builder("RunReportTest", "local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    SamplePairs samples = SamplePairs.write(dir);
    List<PairSpec> pairs = Manifest.read(spark, samples.manifest.toString()).stream()
        .filter(p -> p.pairId().startsWith("sample_") || p.pairId().equals("truncated")).toList();
    out = dir.resolve("tables");
    StringWriter text = new StringWriter();
    RunJob.run(spark, RunJob.Options.of("manifest.csv", pairs, out.toString(), "q1",
        RegistrationConfig.of(RunJobTest.QUICK)).withQc(true).withMaxFailedFraction(1).withProgressSeconds(0.2),
        new PrintWriter(text, true));
    printed = text.toString();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  /** Each pair's task draws its pictures beside the tables and lists them in its last stage's exports. */
  @Test
  void qcPicturesAreDrawnByEachPairAndListedInTheExports() throws IOException {
    Map<String, Row> rows = new java.util.HashMap<>();
    for (Row r : spark.read().parquet(out + "/registrations").filter("run_id = 'q1'").collectAsList()) {
      rows.put(r.getAs(Registrations.PAIR_ID) + "/" + r.getAs(Registrations.STAGE), r);
    }
    for (String last : List.of("sample_2d/deformable", "sample_3d/affine")) {
      Map<String, String> exports = rows.get(last).getJavaMap(rows.get(last).fieldIndex(Registrations.EXPORTS));
      // sample_2d has label maps: their contours too
      List<String> kinds = last.endsWith("deformable")
          ? List.of("qc_checkerboard_before", "qc_checkerboard_affine", "qc_checkerboard_deformable", "qc_edges_before",
              "qc_edges_affine", "qc_edges_deformable", "qc_contours_before", "qc_contours_affine",
              "qc_contours_deformable", "qc_jacobian", "qc_displacement", "qc_loss_curves")
          : List.of("qc_checkerboard_before", "qc_checkerboard_affine", "qc_edges_before", "qc_edges_affine",
              "qc_loss_curves");
      assertEquals(kinds.stream().sorted().toList(), exports.keySet().stream().filter(k -> k.startsWith("qc_"))
          .sorted().toList(), last);
      for (String kind : kinds) {
        Path picture = Path.of(URI.create(exports.get(kind)));
        assertTrue(picture.startsWith(out.resolve("qc/run_id=q1")), picture.toString());
        assertTrue(kind.equals("qc_loss_curves") ? Files.readString(picture).contains("<polyline")
            : javax.imageio.ImageIO.read(picture.toFile()).getWidth() > 0, picture.toString());
      }
    }
  }

  /**
   * Progress lines while the pairs register, from the listener's counts (never more than there are), the
   * last one exact; then the report's line; the run's summary last.
   */
  @Test
  void progressLinesCountThePairsAsTheyFinish() {
    List<String> lines = printed.lines().toList();
    Pattern progress = Pattern.compile("run q1: (\\d) of 3 pairs done \\((\\d) failed\\), (\\d+) running, [0-9.]+ pairs/min"
        + "(, about \\d+:\\d\\d:\\d\\d left)?");
    List<String> progressLines = lines.stream().filter(l -> l.contains("pairs done")).toList();
    assertTrue(progressLines.size() >= 2, "a line every 0.2 s during the ~10 s of registration: " + printed);
    for (String line : progressLines) {
      Matcher m = progress.matcher(line);
      assertTrue(m.matches(), line);
      assertTrue(Integer.parseInt(m.group(2)) <= Integer.parseInt(m.group(1)), line);
    }
    assertTrue(progressLines.get(progressLines.size() - 1).startsWith("run q1: 3 of 3 pairs done (1 failed), 0 running"),
        printed);
    assertTrue(lines.get(lines.size() - 2).startsWith("report: "), printed);
    assertTrue(lines.get(lines.size() - 1).startsWith("run q1: 3 pairs, 2 ok, 1 failed"), printed);
  }

  /** The report's index lists every pair, the failed one first and in the failures with its cause. */
  @Test
  void theReportListsThePairsWorstFirstAndTheFailureWithItsCause() throws IOException {
    Path index = out.resolve("qc/run_id=q1/index.html");
    assertTrue(printed.contains("report: " + index.toUri().toString().replace("file:///", "file:/")), printed);
    String html = Files.readString(index);
    String failures = html.substring(html.indexOf("id=\"failures\""), html.indexOf("<h2>Distributions"));
    assertTrue(failures.contains(">truncated</a>") && failures.contains("CorruptImageException")
        && failures.contains("truncated_moving.nii.gz"), failures);
    assertTrue(!failures.contains("sample_2d") && !failures.contains("sample_3d"), "only the failed pair");
    String table = html.substring(html.indexOf("<table class=\"sortable pairs\">"));
    assertTrue(table.indexOf(">truncated</a>") < table.indexOf(">sample_2d</a>")
        && table.indexOf(">truncated</a>") < table.indexOf(">sample_3d</a>"), "the failed pair comes first");
  }

  /** The report in a real browser: every page loads without an error, its pictures decode, its links lead somewhere. */
  @Test
  void theReportRendersInChromium() throws Exception {
    Path browser = HeadlessChromium.installed();
    Assumptions.assumeTrue(browser != null, "Debian's chromium is not installed (.ci/run installs it)");
    Files.createDirectories(SCREENSHOTS);
    try (HeadlessChromium chromium = new HeadlessChromium(browser, dir.resolve("chromium-profile"))) {
      Path index = out.resolve("qc/run_id=q1/index.html");
      chromium.open(index.toUri().toString());
      assertEquals(3, chromium.evaluate("document.querySelectorAll('table.pairs tbody tr').length").getAsInt());
      assertTrue(chromium.evaluate("document.querySelector('#failures + table').innerText").getAsString()
          .contains("CorruptImageException"));
      Files.write(SCREENSHOTS.resolve("index.png"), chromium.screenshot());
      List<String> pages = links(chromium, index);
      assertEquals(3, pages.size(), "a page per pair: " + pages);

      // sorting by pair id, then again the other way, puts the rows in alphabetical order and back
      String firstCells = "Array.from(document.querySelectorAll('table.pairs tbody tr')).map(r => r.cells[0].innerText)"
          + ".join(',')";
      chromium.evaluate("document.querySelector('table.pairs th').click()");
      assertEquals("sample_2d,sample_3d,truncated", chromium.evaluate(firstCells).getAsString());
      chromium.evaluate("document.querySelector('table.pairs th').click()");
      assertEquals("truncated,sample_3d,sample_2d", chromium.evaluate(firstCells).getAsString());

      int pictures = 0;
      for (String page : pages) {
        chromium.open(page);
        JsonElement broken = chromium.evaluate("Array.from(document.images).filter(i => !(i.complete && "
            + "i.naturalWidth > 0)).map(i => i.src)");
        assertEquals(0, broken.getAsJsonArray().size(), page + ": pictures that did not load: " + broken);
        pictures += chromium.evaluate("document.images.length").getAsInt();
        links(chromium, Path.of(URI.create(page)));
        if (page.contains("sample_2d")) {
          Files.write(SCREENSHOTS.resolve("pair.png"), chromium.screenshot());
        }
      }
      // sample_2d: 12 pictures, sample_3d (affine only): 5, truncated: none
      assertEquals(17, pictures);
      assertEquals(List.of(), chromium.problems(), "errors in the pages");
    }
  }

  /** {@code report} renders an earlier run's report elsewhere; its pictures are linked from there. */
  @Test
  void theReportCommandRendersAnEarlierRun() throws IOException {
    Path elsewhere = dir.resolve("elsewhere/report");
    assertEquals(0, WarpsparkCli.commandLine().execute("report", "--tables", out.toString(), "--out",
        elsewhere.toString()));
    String page = Files.readString(elsewhere.resolve("sample_2d/index.html"));
    Matcher src = Pattern.compile("<img src=\"([^\"]+)\"").matcher(page);
    int found = 0;
    while (src.find()) {
      assertTrue(src.group(1).startsWith("../../../tables/qc/run_id=q1/sample_2d/"), src.group(1));
      assertTrue(Files.isRegularFile(elsewhere.resolve("sample_2d").resolve(src.group(1)).normalize()), src.group(1));
      found++;
    }
    assertEquals(12, found);
    assertTrue(Files.readString(elsewhere.resolve("index.html")).contains("CorruptImageException"));
  }

  /** The page's links, each checked to lead to a file; the ones to pair pages returned. */
  private static List<String> links(HeadlessChromium chromium, Path page) {
    List<String> pairPages = new ArrayList<>();
    for (JsonElement link : chromium.evaluate("Array.from(document.links).map(a => a.href)").getAsJsonArray()) {
      String href = link.getAsString();
      Path target = Path.of(URI.create(href.replaceAll("#.*$", "")));
      assertTrue(Files.isRegularFile(target), page + " links to " + href + ", which does not exist");
      if (!target.equals(page) && target.getFileName().toString().equals("index.html")
          && !target.getParent().equals(page.getParent().getParent()) && !pairPages.contains(href)) {
        pairPages.add(href);
      }
    }
    return pairPages;
  }
}
