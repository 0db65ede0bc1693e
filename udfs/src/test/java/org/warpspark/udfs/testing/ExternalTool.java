package org.warpspark.udfs.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An independent tool from a Debian package (python3 with torch or nibabel, elastix's transformix),
 * run as an external process. Shared by the tests of every module (this module's test-jar). Tests
 * check {@link #executable} in an assumption; CI installs the packages, so there the comparisons run.
 */
public final class ExternalTool {
  private static final int TIMEOUT_SECONDS = 120;

  private ExternalTool() {}

  public static boolean executable(String path) {
    return new File(path).canExecute();
  }

  /** Whether {@code command} runs and exits 0 (an import check, say); false if it cannot start. */
  public static boolean exitsCleanly(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code command} in {@code workDir} with {@code stdin}; returns its standard output, or fails
   * the test with the ends of both outputs if it does not exit 0 in time.
   */
  public static String run(List<String> command, Path workDir, String stdin) throws IOException, InterruptedException {
    Path errors = Files.createTempFile(workDir, "tool", ".log");
    Process process = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile())
        .redirectError(errors.toFile()).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(command + " exited " + process.exitValue() + "\nstdout:\n" + tail(stdout)
          + "\nstderr:\n" + tail(Files.readString(errors)));
    }
    return stdout;
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }
}
