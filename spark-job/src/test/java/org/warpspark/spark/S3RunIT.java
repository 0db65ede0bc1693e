package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.testing.HangUpEndpoint;
import org.warpspark.testing.S3Server;
import org.warpspark.image.CorruptImageException;

/**
 * The shaded jar through spark-submit with its images in one bucket and its tables written to another,
 * on a real S3 API server (S3Proxy) on loopback. Credentials reach the job only through the standard
 * providers: the environment for the run, an AWS profile file for the SQL that reads the tables back.
 */
class S3RunIT {
  private static final String RUN = "s3run";
  private static final String TABLES = "s3a://results/tables";
  private static final String MANIFEST = "s3a://scans/batch/manifest.csv";

  @TempDir
  static Path dir;
  static S3Server s3;
  static HangUpEndpoint offline;
  static Path localManifest;

  @BeforeAll
  static void bucketsWithPairs() throws Exception {
    s3 = S3Server.start(Files.createDirectories(dir.resolve("buckets"))).createBucket("scans").createBucket("results");
    offline = new HangUpEndpoint();
    Path pairs = Files.createDirectories(dir.resolve("pairs"));
    SamplePairs samples = SamplePairs.write(pairs);
    localManifest = samples.manifest;
    // One more pair, on a bucket whose endpoint never answers.
    Files.writeString(samples.manifest, "offline,s3a://offline/fixed.nii.gz,s3a://offline/moving.nii.gz,,,\n",
        java.nio.file.StandardOpenOption.APPEND);
    try (Stream<Path> files = Files.list(pairs)) {
      files.forEach(f -> s3.put("scans", "batch/" + f.getFileName(), f));
    }
  }

  @AfterAll
  static void stopServers() throws Exception {
    offline.close();
    s3.close();
  }

  private static List<String> sparkArgs(Map<String, String> s3a, String... extra) {
    List<String> args = new ArrayList<>(List.of("--master", "local[2]"));
    args.addAll(S3Server.sparkArgs(s3a));
    args.addAll(List.of(extra));
    return args;
  }

  private static List<String> runArgs(String manifest) {
    return List.of("--manifest", manifest, "--out", TABLES, "--run-id", RUN, "--exports", "--qc",
        "--max-failed-fraction", "1", "--set", "iterations=60,40,120", "--set", "deformable-iterations=40,20,10");
  }

  /** Credentials in an AWS profile file, chosen by AWS_PROFILE, and none in the environment. */
  private static Map<String, String> profileEnvironment() throws IOException {
    Path credentials = dir.resolve("aws-credentials");
    Files.writeString(credentials, "[warpspark-test]\naws_access_key_id = " + s3.accessKey
        + "\naws_secret_access_key = " + s3.secretKey + "\n");
    return Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(), "AWS_PROFILE", "warpspark-test",
        "AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString(), "AWS_REGION", S3Server.REGION);
  }

  private static void assertNoSecret(String where, String text, String... secrets) {
    for (String secret : secrets) {
      assertFalse(text.contains(secret), where + " holds a credential");
    }
  }

  @Test
  void pairsFromABucketGiveTablesInABucketThatSqlReadsBack() throws Exception {
    Map<String, String> s3a = new LinkedHashMap<>(s3.s3aSettings());
    s3a.put("fs.s3a.bucket.offline.endpoint", offline.url());
    SparkSubmitProcess.Submitted run = SparkSubmitProcess.submit(dir, s3.credentialsEnvironment(), sparkArgs(s3a),
        "run", runArgs(MANIFEST));
    assertEquals(0, run.exitCode(), run.log());
    assertTrue(run.log().contains("run " + RUN + ": 8 pairs, 2 ok, 6 failed"), run.log());

    SparkSubmitProcess.Submitted sql = SparkSubmitProcess.submit(dir, profileEnvironment(), sparkArgs(s3a), "sql",
        List.of("--tables", TABLES, "SELECT pair_id, stage, status, error_class, error, exports FROM registrations "
            + "WHERE run_id = '" + RUN + "'"));
    assertEquals(0, sql.exitCode(), sql.log());
    Map<String, String[]> rows = rowsByPairAndStage(sql.log());
    assertEquals(15, rows.size(), rows.keySet().toString());
    for (String ok : List.of("sample_2d/affine", "sample_2d/deformable", "sample_3d/affine")) {
      assertEquals("ok", rows.get(ok)[2], ok + ": " + String.join(" | ", rows.get(ok)));
    }
    assertTrue(rows.get("offline/affine")[4].contains("fixed image s3a://offline/fixed.nii.gz cannot be reached: "
        + "the storage endpoint cannot be reached"), rows.get("offline/affine")[4]);
    assertTrue(rows.get("missing/affine")[4].contains("s3a://scans/batch/nowhere.nii.gz does not exist"));
    assertEquals("CorruptImageException", rows.get("truncated/affine")[3]);

    List<String> keys = s3.keys("results");
    for (String file : List.of("transform.tfm", "displacement.nii.gz")) {
      assertTrue(keys.contains("tables/exports/run_id=" + RUN + "/sample_2d/" + file), file + " not in " + keys);
    }
    assertTrue(rows.get("sample_2d/deformable")[5].contains(TABLES + "/exports/run_id=" + RUN + "/sample_2d/"));
    // The run's report lies beside its pictures in the bucket, linked relatively, so the bucket can serve it.
    String qc = "tables/qc/run_id=" + RUN + "/";
    assertTrue(keys.contains(qc + "index.html") && keys.contains(qc + "sample_2d/checkerboard_before.png"),
        keys.toString());
    String pairPage = new String(s3.get("results", qc + "sample_2d/index.html"), StandardCharsets.UTF_8);
    assertTrue(pairPage.contains("<img src=\"checkerboard_before.png\""), pairPage);
    assertTrue(new String(s3.get("results", qc + "index.html"), StandardCharsets.UTF_8)
        .contains("s3a://scans/batch/nowhere.nii.gz does not exist"));
    // report renders it again from the tables in the bucket, elsewhere in it
    SparkSubmitProcess.Submitted report = SparkSubmitProcess.submit(dir, profileEnvironment(), sparkArgs(s3a),
        "report", List.of("--tables", TABLES, "--out", "s3a://results/reports/" + RUN));
    assertEquals(0, report.exitCode(), report.log());
    String again = new String(s3.get("results", "reports/" + RUN + "/sample_2d/index.html"), StandardCharsets.UTF_8);
    assertTrue(again.contains("<img src=\"../../../tables/qc/run_id=" + RUN + "/sample_2d/checkerboard_before.png\""),
        again);
    assertNoSecret("the report's log", report.log(), s3.secretKey, s3.accessKey);
    // No staged or temporary file is left (keys ending in "/" are empty folder markers, not files).
    assertTrue(keys.stream().noneMatch(k -> !k.endsWith("/") && (k.contains("_staging") || k.contains("_temporary"))),
        keys.toString());

    // Neither the logs nor the tables (as SQL reads them, and as stored) hold the key pair.
    assertNoSecret("the run's log", run.log(), s3.secretKey, s3.accessKey);
    assertNoSecret("the SQL's log", sql.log(), s3.secretKey, s3.accessKey);
    SparkSubmitProcess.Submitted runs = SparkSubmitProcess.submit(dir, profileEnvironment(), sparkArgs(s3a), "sql",
        List.of("--tables", TABLES, "SELECT r.*, g.* FROM runs r JOIN registrations g USING (run_id)"));
    assertEquals(0, runs.exitCode(), runs.log());
    assertTrue(runs.log().contains(MANIFEST), "the runs table was read");
    assertNoSecret("the runs and registrations tables", runs.log(), s3.secretKey, s3.accessKey);
    for (String key : keys) {
      assertNoSecret(key, new String(s3.get("results", key), StandardCharsets.ISO_8859_1), s3.secretKey,
          s3.accessKey);
    }
  }

  @Test
  void aWrongKeyStopsTheRunAtOnceNamingTheCauseAndNeitherKey() throws Exception {
    Map<String, String> env = new HashMap<>(s3.credentialsEnvironment());
    String wrongSecret = s3.wrongSecretKey;
    env.put("AWS_SECRET_ACCESS_KEY", wrongSecret);
    // The manifest is local: the output is what refuses the key.
    SparkSubmitProcess.Submitted run = SparkSubmitProcess.submit(dir, env, sparkArgs(s3.s3aSettings()), "run",
        runArgs(localManifest.toString()));
    assertEquals(2, run.exitCode(), run.log());
    assertTrue(run.log().contains("error: cannot reach the output " + TABLES + ": access denied (check the "
        + "credentials and the bucket's policy)"), run.log());
    assertNoSecret("the log", run.log(), wrongSecret, s3.secretKey, s3.accessKey);
  }

  @Test
  void anUnreachableOutputStopsTheRunAfterBoundedRetries() throws Exception {
    try (HangUpEndpoint dead = new HangUpEndpoint()) {
      Map<String, String> s3a = new LinkedHashMap<>(s3.s3aSettings());
      s3a.put("fs.s3a.bucket.results.endpoint", dead.url());
      SparkSubmitProcess.Submitted run = SparkSubmitProcess.submit(dir, s3.credentialsEnvironment(), sparkArgs(s3a),
          "run", runArgs(MANIFEST));
      assertEquals(2, run.exitCode(), run.log());
      assertTrue(run.log().contains("error: cannot reach the output " + TABLES + ": the storage endpoint cannot be "
          + "reached (s3a gave up retrying)"), run.log());
      // One request, tried (retry.limit + 1) x (attempts.maximum + 1) times with the jobs' defaults.
      assertEquals(9, dead.connections());
      assertNoSecret("the log", run.log(), s3.secretKey, s3.accessKey);
    }
  }

  @Test
  void keysOnTheCommandLineAreRefusedWithoutEchoingThem() throws Exception {
    SparkSubmitProcess.Submitted run = SparkSubmitProcess.submit(dir, Map.of(), sparkArgs(s3.s3aSettings(),
        "--conf", "spark.hadoop.fs.s3a.secret.key=" + s3.secretKey), "run", runArgs(MANIFEST));
    assertEquals(2, run.exitCode(), run.log());
    assertTrue(run.log().contains("error: spark.hadoop.fs.s3a.secret.key is set in the Spark configuration"),
        run.log());
    assertNoSecret("the log", run.log(), s3.secretKey);
  }

  /** The sql command's output rows (pair_id | stage | ...), keyed "pair/stage". */
  private static Map<String, String[]> rowsByPairAndStage(String log) {
    Map<String, String[]> rows = new HashMap<>();
    boolean header = false;
    for (String line : log.split("\n")) {
      if (line.startsWith("pair_id | stage | status")) {
        header = true;
      } else if (header && line.contains(" | ")) {
        String[] cells = line.split(" \\| ", -1);
        rows.put(cells[0] + "/" + cells[1], cells);
      }
    }
    return rows;
  }
}
