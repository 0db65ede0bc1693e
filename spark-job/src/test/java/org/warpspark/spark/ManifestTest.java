package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.pair.PairSpec;

/** The three manifest formats read alike; the glob shortcuts make the pairs users expect. */
class ManifestTest {
  @TempDir
  static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.builder("ManifestTest", "local[1]").config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** What each manifest below says, relative paths resolved against its folder. */
  private static List<PairSpec> expected() {
    return List.of(
      new PairSpec("007", dir("a_fixed.nii.gz"), dir("a_moving.nii.gz"), null, null, null, Map.of()),
      new PairSpec("b", "file:/data/b_fixed.nii.gz", "s3a://bucket/b.nii.gz", dir("b_labels.nii.gz"), null, null,
          Map.of("model", "affine", "stages", "affine")));
  }

  /** A file of the test folder as the manifest reader gives it: a fully qualified URI. */
  private static String dir(String name) {
    return "file:" + dir.resolve(name);
  }

  @Test
  void csvJsonLinesAndParquetManifestsGiveTheSamePairs() throws IOException {
    Files.writeString(dir.resolve("m.csv"), """
        pair_id,fixed,moving,fixed_labels,overrides
        007,a_fixed.nii.gz,a_moving.nii.gz,,
        b,/data/b_fixed.nii.gz,s3a://bucket/b.nii.gz,b_labels.nii.gz,model=affine; stages=affine
        """);
    Files.writeString(dir.resolve("m.jsonl"), """
        {"pair_id": "007", "fixed": "a_fixed.nii.gz", "moving": "a_moving.nii.gz"}
        {"pair_id": "b", "fixed": "/data/b_fixed.nii.gz", "moving": "s3a://bucket/b.nii.gz", "fixed_labels": "b_labels.nii.gz", "overrides": "model=affine;stages=affine"}
        """);
    spark.read().option("header", "true").csv(dir.resolve("m.csv").toString()).write()
        .parquet(dir.resolve("m.parquet").toString());
    for (String name : List.of("m.csv", "m.jsonl", "m.parquet")) {
      assertEquals(expected(), Manifest.read(spark, dir.resolve(name).toString()), name);
    }
  }

  @Test
  void badManifestsAreRefusedWithTheRowAndTheReason() throws IOException {
    Files.writeString(dir.resolve("dup.csv"), "pair_id,fixed,moving\np,a.nii,b.nii\np,c.nii,d.nii\n");
    Files.writeString(dir.resolve("nomoving.csv"), "pair_id,fixed\np,a.nii\n");
    Files.writeString(dir.resolve("extra.csv"), "pair_id,fixed,moving,colour\np,a.nii,b.nii,red\n");
    Files.writeString(dir.resolve("badoverride.csv"), "pair_id,fixed,moving,overrides\np,a.nii,b.nii,model\n");
    assertMessage("dup.csv", "pair_id 'p' appears more than once");
    assertMessage("nomoving.csv", "has no 'moving' column");
    assertMessage("extra.csv", "unknown column 'colour'");
    assertMessage("badoverride.csv", "line 2 (pair p): override 'model' is not key=value");
    Files.writeString(dir.resolve("badid.csv"), "pair_id,fixed,moving\n../x,a.nii,b.nii\n");
    assertMessage("badid.csv", "pair_id '../x' may hold letters, digits");
  }

  @Test
  void textManifestsAreReadStrictlyAndNameTheLine() throws IOException {
    Files.writeString(dir.resolve("commas.csv"), "pair_id,fixed,moving,overrides\n"
        + "p,a.nii,b.nii,\"stages=affine,deformable;iterations=0,0,0\"\n"
        + "q,a.nii,b.nii,stages=affine,deformable\n");
    assertMessage("commas.csv", "line 3 has 5 fields, the header has 4; a field that holds commas");
    Files.writeString(dir.resolve("short.csv"), "pair_id,fixed,moving\np,a.nii\n");
    assertMessage("short.csv", "line 2 has 2 fields, the header has 3");
    Files.writeString(dir.resolve("open.csv"), "pair_id,fixed,moving\np,\"a.nii,b.nii\n");
    assertMessage("open.csv", "line 2: a quote opened here is not closed on its line");
    Files.writeString(dir.resolve("newline.csv"), "pair_id,fixed,moving\np,\"a\n.nii\",b.nii\n");
    assertMessage("newline.csv", "line 2: a quote opened here is not closed on its line");
    Files.writeString(dir.resolve("twice.csv"), "pair_id,fixed,moving,fixed\np,a.nii,b.nii,c.nii\n");
    assertMessage("twice.csv", "the header names 'fixed' twice");
    Files.writeString(dir.resolve("empty.csv"), "\n\n");
    assertMessage("empty.csv", "is empty");
    Files.write(dir.resolve("latin1.csv"), new byte[] {'p', ',', (byte) 0xE9, '\n'});
    assertMessage("latin1.csv", "is not UTF-8 text");
    Files.writeString(dir.resolve("bad.jsonl"), "{\"pair_id\": \"p\", \"fixed\": \"a\", \"moving\": \"b\"}\n\n"
        + "{\"pair_id\": \"q\", \"fixed\": \"a\",\n");
    assertMessage("bad.jsonl", "line 3 is not JSON");
    Files.writeString(dir.resolve("array.jsonl"), "[{\"pair_id\": \"p\"}]\n");
    assertMessage("array.jsonl", "line 1 is not a JSON object");
    Files.writeString(dir.resolve("nested.jsonl"), "{\"pair_id\": \"p\", \"fixed\": [\"a\"], \"moving\": \"b\"}\n");
    assertMessage("nested.jsonl", "line 1: 'fixed' holds an array");
    Files.writeString(dir.resolve("dupkey.jsonl"), "{\"pair_id\": \"p\", \"fixed\": \"a\", \"fixed\": \"b\"}\n");
    assertMessage("dupkey.jsonl", "line 1 is not JSON: Duplicate field 'fixed'");
    Files.createDirectories(dir.resolve("folder.csv"));
    assertMessage("folder.csv", "is a folder; name the manifest file itself");

    Files.writeString(dir.resolve("quoted.csv"), "\uFEFFpair_id,fixed,moving,overrides\r\n"
        + "p,\"a \"\"x\"\".nii\",b.nii,\"stages=affine,deformable;iterations=0,0,0\"\r\n");
    PairSpec quoted = Manifest.read(spark, dir.resolve("quoted.csv").toString()).get(0);
    assertEquals(Map.of("stages", "affine,deformable", "iterations", "0,0,0"), quoted.overrides());
    assertTrue(quoted.fixed().endsWith("/a \"x\".nii"), quoted.fixed());
  }

  private static void assertMessage(String manifest, String part) {
    String message = assertThrows(IllegalArgumentException.class,
        () -> Manifest.read(spark, dir.resolve(manifest).toString())).getMessage();
    assertTrue(message.contains(part), message);
  }

  @Test
  void aGlobAgainstATemplateAndAGlobPairedByName() throws IOException {
    Path scans = Files.createDirectories(dir.resolve("scans"));
    for (String name : List.of("s1_fixed.nii.gz", "s1_moving.nii.gz", "s1_fixed_labels.nii.gz", "s2_fixed.nii.gz",
        "s2_moving.nii.gz", "notes.txt")) {
      Files.writeString(scans.resolve(name), "x");
    }
    Configuration conf = new Configuration();
    List<PairSpec> template = Manifest.againstTemplate("/atlas.nii.gz", scans + "/*_moving.nii.gz", conf);
    assertEquals(List.of("s1_moving", "s2_moving"), template.stream().map(PairSpec::pairId).toList());
    assertEquals("file:/atlas.nii.gz", template.get(0).fixed());

    List<PairSpec> paired = Manifest.byPattern(scans + "/*", "(?<id>s\\d+)_(?<role>fixed|moving|fixed_labels)\\.nii\\.gz",
        conf);
    assertEquals(List.of("s1", "s2"), paired.stream().map(PairSpec::pairId).toList());
    assertTrue(paired.get(0).fixed().endsWith("scans/s1_fixed.nii.gz"));
    assertTrue(paired.get(0).moving().endsWith("scans/s1_moving.nii.gz"));
    assertTrue(paired.get(0).fixedLabels().endsWith("scans/s1_fixed_labels.nii.gz"));
    assertEquals(null, paired.get(1).fixedLabels());

    Files.delete(scans.resolve("s2_moving.nii.gz"));
    String message = assertThrows(IllegalArgumentException.class, () -> Manifest.byPattern(scans + "/*",
        "(?<id>s\\d+)_(?<role>fixed|moving)\\.nii\\.gz", conf)).getMessage();
    assertTrue(message.contains("pair s2 needs a fixed and a moving file"), message);
  }
}
