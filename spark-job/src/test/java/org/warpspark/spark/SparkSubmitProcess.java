package org.warpspark.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Runs a command of the shaded jar ({@code run} unless told otherwise) through
 * {@code org.apache.spark.deploy.SparkSubmit} in a process of its own, on Spark's Maven jars, as
 * scripts/run-job.sh does. The build passes the jar and Spark's classpath as system properties.
 */
final class SparkSubmitProcess {
  /** The outcome of one spark-submit: its exit code and what it printed. */
  record Submitted(int exitCode, String log) {}

  private SparkSubmitProcess() {}

  /**
   * @param sparkArgs spark-submit's own arguments (--master, --conf ...)
   * @param jobArgs the run command's arguments
   */
  static Submitted submit(Path logDir, List<String> sparkArgs, List<String> jobArgs)
      throws IOException, InterruptedException {
    return submit(logDir, Map.of(), sparkArgs, "run", jobArgs);
  }

  /**
   * @param environment variables added to the process's environment (credentials, for instance)
   * @param command the jar's subcommand
   */
  static Submitted submit(Path logDir, Map<String, String> environment, List<String> sparkArgs, String command,
      List<String> args) throws IOException, InterruptedException {
    Path log = logDir.resolve("submit-" + System.nanoTime() + ".log");
    return waitFor(start(log, environment, sparkArgs, command, args), log);
  }

  /** Starts spark-submit's {@code run}, its output going to {@code log}. */
  static Process start(Path log, List<String> sparkArgs, List<String> jobArgs) throws IOException {
    return start(log, Map.of(), sparkArgs, "run", jobArgs);
  }

  private static Process start(Path log, Map<String, String> environment, List<String> sparkArgs, String subcommand,
      List<String> args) throws IOException {
    String jar = System.getProperty("warpspark.jar");
    String sparkClasspath = Files.readString(Path.of(System.getProperty("warpspark.spark.classpath"))).trim();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g"));
    command.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptions().split("\\s+")));
    command.addAll(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1", "-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit",
        "--class", "org.warpspark.cli.WarpsparkCli", "--conf", "spark.ui.enabled=false"));
    command.addAll(sparkArgs);
    command.add(jar);
    command.add(subcommand);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_")); // only what the test gives
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Waits (8 minutes at most) for a started spark-submit. */
  static Submitted waitFor(Process process, Path log) throws IOException, InterruptedException {
    if (!process.waitFor(8, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("spark-submit did not finish in 8 minutes:\n" + Files.readString(log));
    }
    return new Submitted(process.exitValue(), Files.readString(log));
  }
}
