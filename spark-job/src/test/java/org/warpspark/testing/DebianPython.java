package org.warpspark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.warpspark.udfs.testing.ExternalTool;

/**
 * Runs Debian's {@code /usr/bin/python3} (where python3-torch and python3-nibabel live) as an
 * independent reference. Tests call {@link #hasModule} in an assumption: CI installs the packages,
 * so there the comparisons always run.
 */
public final class DebianPython {
  public static final String EXECUTABLE = "/usr/bin/python3";

  private DebianPython() {}

  public static boolean hasModule(String module) {
    return ExternalTool.executable(EXECUTABLE) && ExternalTool.exitsCleanly(List.of(EXECUTABLE, "-c", "import " + module));
  }

  /** Runs {@code script} with {@code stdin}; returns stdout, or fails the test with stderr. */
  public static String run(String script, String stdin) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("warpspark-ref");
      Path file = Files.writeString(dir.resolve("reference.py"), script);
      return ExternalTool.run(List.of(EXECUTABLE, file.toString()), dir, stdin);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + EXECUTABLE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      delete(dir);
    }
  }

  /** The script and the tool's log: a reference run leaves nothing behind. */
  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
