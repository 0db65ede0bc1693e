package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.engine.affine.AffineRegistration;

/**
 * The shaded jar submitted to a real standalone cluster on 127.0.0.1 (scripts/local-cluster.sh: a
 * master and two workers, each offering fake GPU addresses): the registration stage asks for one GPU
 * per task, every task sees an address and records it, finds no CUDA device and runs on the CPU, and
 * the pairs spread over both workers.
 */
class StandaloneClusterIT {
  private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();
  @TempDir
  static Path dir;
  static SamplePairs samples;

  @BeforeAll
  static void startCluster() throws Exception {
    samples = SamplePairs.write(dir);
    script("start");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    script("stop");
  }

  private static void script(String command) throws IOException, InterruptedException {
    Path log = dir.resolve("cluster-" + command + ".log");
    Process p = new ProcessBuilder(SCRIPTS.resolve("local-cluster.sh").toString(), command, "--dir",
        dir.resolve("cluster").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(4, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("local-cluster.sh " + command + " failed:\n" + Files.readString(log));
    }
  }

  /** spark-submit's arguments for this cluster, one GPU per executor. */
  private static List<String> clusterArgs() {
    String discovery = SCRIPTS.getParent().resolve("conf").resolve("gpu-discovery.sh").toString();
    return List.of("--master", "spark://127.0.0.1:7077",
        "--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=2g",
        // Wait for both executors before scheduling, so that the pairs spread over both workers (the ratio
        // counts against spark.cores.max in standalone mode; without it there is nothing to wait for).
        "--conf", "spark.cores.max=2", "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "--conf", "spark.executor.resource.gpu.amount=1", "--conf", "spark.executor.resource.gpu.discoveryScript="
            + discovery, "--conf", "spark.executorEnv.OMP_WAIT_POLICY=PASSIVE");
  }

  @Test
  void registrationTasksGetGpuAddressesFallBackToCpuAndUseBothWorkers() throws Exception {
    Path out = dir.resolve("tables");
    Set<String> earlier = applications();
    SparkSubmitProcess.Submitted run = SparkSubmitProcess.submit(dir, clusterArgs(),
        List.of("--manifest", samples.manifest.toString(), "--out", out.toString(), "--run-id", "cluster",
            "--task-gpus", "1", "--max-failed-fraction", "0.75", "--set", "iterations=60,40,120",
            "--set", "deformable-iterations=40,20,10"));
    assertEquals(0, run.exitCode(), run.log());

    Set<String> executors = new HashSet<>();
    List<String> rows = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement();
        ResultSet rs = sql.executeQuery("SELECT pair_id, stage, device, gpu_address, executor_id FROM read_parquet('"
            + out + "/registrations/*/*.parquet', hive_partitioning = true) WHERE run_id = 'cluster'")) {
      while (rs.next()) {
        String row = rs.getString(1) + "/" + rs.getString(2);
        rows.add(row);
        assertEquals("cpu", rs.getString(3), row);
        assertTrue(Set.of("0", "1", "2", "3").contains(rs.getString(4)), row + ": GPU address " + rs.getString(4));
        executors.add(rs.getString(5));
      }
    }
    assertEquals(13, rows.size(), rows.toString());
    assertEquals(2, executors.size(), "the pairs should run on both workers' executors: " + executors);
    // Each executor of this run said why it ran on the CPU.
    try (Stream<Path> logs = Files.walk(dir.resolve("cluster"))) {
      long warned = logs.filter(p -> p.getFileName().toString().equals("stderr"))
          .filter(p -> !earlier.contains(p.getParent().getParent().getFileName().toString())).filter(p -> {
        try {
          return Files.readString(p).contains("but libtorch sees no CUDA device; running on the CPU");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).count();
      assertTrue(warned >= 2, "both executors' logs should say they fell back to the CPU");
    }
  }

  /**
   * An executor killed (SIGKILL) while it registers a pair: the job still finishes, every pair
   * appears exactly once, and no partial or temporary file is left in the tables.
   */
  @Test
  void killingAnExecutorMidRunLosesNoPairAndDuplicatesNone() throws Exception {
    survivesLosing("executor", (executor, stderr) -> executor.destroyForcibly());
  }

  /** The same with the whole worker killed: its executor goes with it, the other worker finishes. */
  @Test
  void killingAWorkerMidRunLosesNoPairAndDuplicatesNone() throws Exception {
    try {
      survivesLosing("worker", (executor, stderr) -> {
        String worker = stderr.getParent().getParent().getParent().getFileName().toString().replace("-work", "");
        try {
          long pid = Long.parseLong(Files.readString(dir.resolve("cluster").resolve(worker + ".pid")).trim());
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } finally {
      script("start"); // the other tests want both workers
    }
  }

  /** What is killed once an executor is registering: given that executor's process and its log. */
  private interface Kill {
    void apply(ProcessHandle executor, Path stderr);
  }

  private static void survivesLosing(String what, Kill kill) throws Exception {
    StringBuilder manifest = new StringBuilder("pair_id,fixed,moving\n");
    for (int i = 0; i < 8; i++) {
      manifest.append("copy").append(i).append(",sample_2d_fixed.nii.gz,sample_2d_moving.nii.gz\n");
    }
    Path manifestFile = dir.resolve("copies.csv");
    Files.writeString(manifestFile, manifest);
    Path out = dir.resolve("tables-killed-" + what);
    Path log = dir.resolve("submit-killed-" + what + ".log");
    Set<String> earlier = applications();
    Process submit = SparkSubmitProcess.start(log, clusterArgs(), List.of("--manifest", manifestFile.toString(),
        "--out", out.toString(), "--run-id", "killed", "--task-gpus", "1"));
    String killed = killOnceRegistering(submit, earlier, kill);
    SparkSubmitProcess.Submitted run = SparkSubmitProcess.waitFor(submit, log);
    assertEquals(0, run.exitCode(), "the job should survive the lost " + what + ":\n" + run.log());
    assertTrue(killed != null, "no " + what + " was killed: no executor was seen registering");

    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement();
        ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT pair_id || stage), "
            + "count(*) FILTER (WHERE status = 'ok'), "
            + "count(*) FILTER (WHERE attempt > 0 OR executor_id NOT IN ('0', '1')) FROM read_parquet('" + out
            + "/registrations/*/*.parquet', hive_partitioning = true) WHERE run_id = 'killed'")) {
      rs.next();
      assertEquals(16, rs.getLong(1), "rows");
      assertEquals(16, rs.getLong(2), "distinct pair/stage rows");
      assertEquals(16, rs.getLong(3), "ok rows");
      // The lost executor's pairs were registered again: by a retried task or another executor.
      assertTrue(rs.getLong(4) > 0, "no row shows the retry after killing " + killed);
    }
    try (Stream<Path> files = Files.walk(out)) {
      List<String> strays = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(name -> !(name.startsWith("part-") && name.endsWith(".parquet")) && !name.equals("_SUCCESS")
              && !name.endsWith(".crc")).toList();
      assertEquals(List.of(), strays, "only Parquet parts and markers in the tables");
    }
    assertTrue(!Files.exists(out.resolve("_staging")), "the staging folder is gone");
  }

  /** The applications the workers have run so far (their work folders' names). */
  private static Set<String> applications() throws IOException {
    try (Stream<Path> folders = Files.walk(dir.resolve("cluster"), 2)) {
      return folders.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("app-"))
          .collect(Collectors.toSet());
    }
  }

  /**
   * Waits for an executor of the running application (one not among {@code earlier}: an earlier test's
   * executors may still be shutting down) to start registering, then applies {@code kill}.
   */
  private static String killOnceRegistering(Process submit, Set<String> earlier, Kill kill) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline && submit.isAlive()) {
      try (Stream<Path> logs = Files.walk(dir.resolve("cluster"))) {
        for (Path stderr : logs.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          String executorId = stderr.getParent().getFileName().toString();
          String appId = stderr.getParent().getParent().getFileName().toString();
          if (earlier.contains(appId) || !Files.readString(stderr).contains("AffineRegistration: affine")) {
            continue;
          }
          var executor = ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c ->
              c.contains("CoarseGrainedExecutorBackend") && c.contains(appId) && c.contains("--executor-id "
                  + executorId + " ")).orElse(false)).findFirst();
          if (executor.isPresent()) {
            kill.apply(executor.get(), stderr);
            return appId + "/" + executorId;
          }
        }
      }
      Thread.sleep(200);
    }
    return null;
  }
}
