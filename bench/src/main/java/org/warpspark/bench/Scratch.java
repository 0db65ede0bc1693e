package org.warpspark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What every figure shares: one scratch folder per bench run, deleted at its end, and the median. */
final class Scratch implements AutoCloseable {
  private final Path root;

  Scratch() throws IOException {
    root = Files.createTempDirectory("warpspark-bench");
  }

  /** A new, empty folder inside the scratch folder. */
  Path folder(String prefix) throws IOException {
    return Files.createTempDirectory(root, prefix);
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Runs {@code command} in {@code dir}, its output in {@code dir/log.txt}; fails unless it exits 0. */
  static void run(List<String> command, Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve("log.txt");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command.get(0) + " failed, see " + log);
    }
  }

  /** The median of {@code v} (the upper one of an even count). */
  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
