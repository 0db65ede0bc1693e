package org.warpspark.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code /usr/bin/python3} (where python3-torch and python3-nibabel live) as an
 * independent reference. Tests call {@link #hasModule} in an assumption: CI installs the packages,
 * so there the comparisons always run.
 */
public final class DebianPython {
  public static final String EXECUTABLE = "/usr/bin/python3";

  private DebianPython() {}

  public static boolean hasModule(String module) {
    if (!new File(EXECUTABLE).canExecute()) {
      return false;
    }
    try {
      run("import " + module + "\n", "");
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Runs {@code script} with {@code stdin}; returns stdout, or throws with stderr if it fails. */
  public static String run(String script, String stdin) {
    try {
      File file = File.createTempFile("warpspark-ref", ".py");
      file.deleteOnExit();
      java.nio.file.Files.writeString(file.toPath(), script);
      Process p = new ProcessBuilder(EXECUTABLE, file.getPath()).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("python failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + EXECUTABLE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
