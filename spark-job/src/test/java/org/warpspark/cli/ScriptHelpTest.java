package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scripts that take a folder answer --help with their usage and refuse other options, before any work. */
class ScriptHelpTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private record Result(int code, String output) {}

  private static Result script(String name, String argument) throws Exception {
    Process p = new ProcessBuilder("bash", "scripts/" + name, argument).directory(ROOT.toFile())
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    return new Result(p.waitFor(), output);
  }

  @Test
  void helpPrintsTheUsageAndNothingIsWritten() throws Exception {
    for (String name : List.of("demo.sh", "gpu-check.sh")) {
      Result help = script(name, "--help");
      assertEquals(0, help.code(), name + ": " + help.output());
      assertTrue(help.output().length() > 80 && !help.output().contains("Exception"), name + ": " + help.output());
      Result unknown = script(name, "--out");
      assertEquals(2, unknown.code(), name + ": " + unknown.output());
      assertTrue(unknown.output().contains("unknown option --out"), unknown.output());
    }
    assertTrue(script("demo.sh", "-h").output().contains("Usage: scripts/demo.sh [OUT_DIR]"));
    assertFalse(Files.exists(ROOT.resolve("--help")) || Files.exists(ROOT.resolve("-h")), "no folder named --help");
  }
}
