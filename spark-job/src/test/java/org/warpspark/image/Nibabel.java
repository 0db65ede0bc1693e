package org.warpspark.image;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs small Python scripts against Debian's nibabel ({@code /usr/bin/python3}, not the pyenv
 * {@code python3} on PATH). Scripts print lines {@code key v1 v2 ...}, returned as numbers by key.
 */
final class Nibabel {
  static final String PYTHON = "/usr/bin/python3";
  private static Boolean available;

  private Nibabel() {}

  static synchronized boolean available() {
    if (available == null) {
      try {
        available = new File(PYTHON).canExecute() && exec("import nibabel, numpy").exitCode == 0;
      } catch (IOException e) {
        available = false;
      }
    }
    return available;
  }

  /** Runs {@code script} with {@code args} as {@code sys.argv[1:]}; fails with its output if it fails. */
  static Map<String, double[]> run(String script, String... args) throws IOException {
    Result r = exec(script, args);
    if (r.exitCode != 0) {
      throw new AssertionError("nibabel script failed (exit " + r.exitCode + "):\n" + r.output);
    }
    Map<String, double[]> values = new HashMap<>();
    for (String line : r.output.split("\n")) {
      String[] words = line.strip().split("\\s+");
      if (words.length < 2) {
        continue;
      }
      double[] v = new double[words.length - 1];
      for (int i = 1; i < words.length; i++) {
        v[i - 1] = Double.parseDouble(words[i]);
      }
      values.put(words[0], v);
    }
    return values;
  }

  private record Result(int exitCode, String output) {}

  private static Result exec(String script, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Result(-1, "interrupted");
    }
  }
}
