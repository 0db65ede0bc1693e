package org.warpspark.udfs.spatial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Independent tools installed as Debian packages (see FACTS.md), run as external processes. */
final class Peers {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path TRANSFORMIX = Path.of("/usr/bin/transformix");

  private static Boolean torchAvailable;

  private Peers() {}

  static synchronized boolean torchAvailable() {
    if (torchAvailable == null) {
      torchAvailable = Files.isExecutable(PYTHON) && exitsCleanly(List.of(PYTHON.toString(), "-c", "import torch"));
    }
    return torchAvailable;
  }

  static boolean transformixAvailable() {
    return Files.isExecutable(TRANSFORMIX);
  }

  /** Runs {@code command} in {@code workDir}; fails the test with its output if it does not exit 0. */
  static String run(List<String> command, Path workDir) throws IOException, InterruptedException {
    Path log = Files.createTempFile(workDir, "peer", ".log");
    Process process = new ProcessBuilder(new ArrayList<>(command))
        .directory(workDir.toFile())
        .redirectErrorStream(false)
        .redirectError(log.toFile())
        .start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(command + " exited " + process.exitValue() + "\nstdout:\n" + tail(stdout)
          + "\nstderr:\n" + tail(Files.readString(log)));
    }
    return stdout;
  }

  private static boolean exitsCleanly(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }
}
