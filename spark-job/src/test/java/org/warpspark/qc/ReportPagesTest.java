package org.warpspark.qc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's pages without a browser: links, order, and text from the tables kept as text. */
class ReportPagesTest {
  @Test
  void picturesOnTheSameStoreAreLinkedRelatively() {
    assertEquals("a.png", Links.relative("file:/out/qc/run_id=r/p1/", "file:/out/qc/run_id=r/p1/a.png"));
    assertEquals("../../qc/run_id=r/p1/a.png",
        Links.relative("file:/elsewhere/report/p1/", "file:/elsewhere/qc/run_id=r/p1/a.png"));
    assertEquals("s3a://bucket/qc/a.png", Links.relative("file:/out/p1/", "s3a://bucket/qc/a.png"));
    assertEquals("../b/a%20%23.png", Links.relative("s3a://bucket/x/p1/", "s3a://bucket/x/b/a #.png"));
    assertEquals("s3a://other/x/a.png", Links.relative("s3a://bucket/x/", "s3a://other/x/a.png"));
  }

  @Test
  void failedPairsComeFirstThenWarnedThenTheLeastSimilar() {
    RunReport report = new RunReport("r", null, List.of(pair("good", 0.9, List.of()), pair("poor", 0.5, List.of()),
        pair("warned", 0.95, List.of("the map folds")), failed("broken")));
    assertEquals(List.of("broken", "warned", "poor", "good"), report.worstFirst().stream().map(RunReport.Pair::pairId)
        .toList());
  }

  /** A similarity that is not a number (a constant warped image) ranks as the worst of the ok pairs. */
  @Test
  void aMetricThatIsNotANumberRanksAsTheLowest() {
    RunReport report = new RunReport("r", null, List.of(pair("good", 0.9, List.of()), pair("lost", Double.NaN,
        List.of()), pair("poor", 0.2, List.of())));
    assertEquals(List.of("lost", "poor", "good"), report.worstFirst().stream().map(RunReport.Pair::pairId).toList());
    String index = ReportPages.index(report);
    assertTrue(index.contains("<td data-v=\"-Infinity\">NaN</td>"), "it sorts as the lowest in the page too");
    assertTrue(index.contains("has not finished publishing"), "a run without its runs row says so");
  }

  /** A failed pair's time is its failure's, once, not once more for each stage that did not run. */
  @Test
  void aFailedPairsTimeCountsOnce() {
    RunReport.Stage failedAffine = stage("failed", 0, List.of(), "cannot read it");
    RunReport.Stage notRun = new RunReport.Stage("deformable", "failed", "NotRun", "not run", null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, 1.5, "cpu", 0, List.of(),
        Map.of());
    assertEquals(1.5, new RunReport.Pair("p", List.of(failedAffine, notRun)).seconds());
  }

  /** An error message is the input's text: it shows as text and never becomes markup. */
  @Test
  void textFromTheTablesIsEscaped() {
    RunReport report = new RunReport("r", null, List.of(failed("broken")));
    Map<String, String> pages = ReportPages.pages(report, "file:/out/qc/run_id=r");
    assertEquals(List.of("index.html", "broken/index.html"), List.copyOf(pages.keySet()));
    for (String html : pages.values()) {
      assertFalse(html.contains("<img src=x"), html);
      assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }
  }

  @Test
  void captionsSayWhatAndWhen() {
    assertEquals("fixed and moving image, checkerboard, after the affine stage",
        ReportPages.Kind.of("checkerboard_affine").caption());
    assertEquals("the moving labels' outlines over the fixed image, before registration",
        ReportPages.Kind.of("contours_before").caption());
    assertTrue(ReportPages.Kind.of("loss_curves").caption().startsWith("loss per iteration"));
    assertTrue(ReportPages.Kind.of("edges_deformable").rank() > ReportPages.Kind.of("edges_before").rank());
    assertTrue(ReportPages.Kind.of("jacobian").rank() > ReportPages.Kind.of("contours_deformable").rank());
  }

  private static RunReport.Pair pair(String id, double ncc, List<String> warnings) {
    return new RunReport.Pair(id, List.of(stage("ok", ncc, warnings, null)));
  }

  private static RunReport.Pair failed(String id) {
    return new RunReport.Pair(id, List.of(stage("failed", 0, List.of(), "cannot read <img src=x onerror=alert(1)>")));
  }

  private static RunReport.Stage stage(String status, double ncc, List<String> warnings, String error) {
    return new RunReport.Stage("affine", status, error == null ? null : "CorruptImageException", error, "rigid", "mi",
        1.0, 0.5, 10, 1.0, 0.5, 0.2, ncc, 0.1, 0.4, null, null, null, null, null, null, 1.5, "cpu", 0, warnings,
        Map.of());
  }
}
