package org.warpspark.udfs.spatial;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.warpspark.udfs.testing.ExternalTool;

/** Independent tools installed as Debian packages (see FACTS.md), run as external processes. */
final class Peers {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path TRANSFORMIX = Path.of("/usr/bin/transformix");

  private static Boolean torchAvailable;

  private Peers() {}

  static synchronized boolean torchAvailable() {
    if (torchAvailable == null) {
      torchAvailable = ExternalTool.executable(PYTHON.toString())
          && ExternalTool.exitsCleanly(List.of(PYTHON.toString(), "-c", "import torch"));
    }
    return torchAvailable;
  }

  static boolean transformixAvailable() {
    return ExternalTool.executable(TRANSFORMIX.toString());
  }

  /** Runs {@code command} in {@code workDir}; fails the test with its output if it does not exit 0. */
  static String run(List<String> command, Path workDir) throws IOException, InterruptedException {
    return ExternalTool.run(command, workDir, "");
  }
}
