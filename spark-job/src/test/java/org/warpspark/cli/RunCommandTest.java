package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.spark.RunJob;
import picocli.CommandLine;

/** The run command refuses bad settings with one line naming the cause, before any pair runs. */
class RunCommandTest {
  private record Result(int code, String err) {}

  private static Result run(String... args) {
    CommandLine cli = WarpsparkCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return new Result(cli.execute(args), err.toString());
  }

  /** --version says what the build is, as the runs table records it: the POM's version, from classes or the jar. */
  @Test
  void theVersionIsTheBuildsEverywhere() throws Exception {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
    CommandLine cli = WarpsparkCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("--version"));
    assertEquals("warpspark " + version, out.toString().strip());
    assertEquals(version, RunJob.version(), "what runs.versions records");
  }

  /** A query with a typo is bad input: one error naming the query's problem, no stack trace, exit 2. */
  @Test
  void aQueryTypoIsAnErrorNotAStackTrace(@TempDir Path dir) {
    Result r = run("sql", "--tables", dir.toString(), "SELEC pair_id FROM registrations");
    assertEquals(WarpsparkCli.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().startsWith("error: the query: ") && r.err().contains("SELEC"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    Result ansi = run("sql", "--tables", dir.toString(), "SELECT 1 / 0 AS x");
    assertEquals(WarpsparkCli.BAD_INPUT, ansi.code(), "a division by zero is the query's fault: " + ansi.err());
  }

  /** Exit codes tell a scheduler what a retry can fix: bad input (2) never, a crash (3) perhaps. */
  @Test
  void unexpectedFailuresAreCrashesNotBadInput() {
    assertTrue(WarpsparkCli.isBadInput(new IllegalArgumentException("--batch-size must be 1 to 1024")));
    assertTrue(WarpsparkCli.isBadInput(new java.io.UncheckedIOException(new java.io.IOException("unreachable"))));
    assertFalse(WarpsparkCli.isBadInput(new NullPointerException()));
    assertEquals(3, WarpsparkCli.CRASHED);
    assertEquals(1, WarpsparkCli.TOO_MANY_FAILED);
  }

  @Test
  void anUnreadableConfigAndAnUnknownSettingAreOneLineErrors(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("m.csv");
    Files.writeString(manifest, "pair_id,fixed,moving\np,a.nii.gz,b.nii.gz\n");
    String out = dir.resolve("out").toString();

    Result config = run("run", "--manifest", manifest.toString(), "--out", out, "--master", "local[1]", "--config",
        dir.resolve("nowhere.properties").toString());
    assertEquals(2, config.code(), config.err());
    assertTrue(config.err().startsWith("error: cannot read the config") && config.err().contains("nowhere.properties")
        && config.err().strip().lines().count() == 1, config.err());

    Result setting = run("run", "--manifest", manifest.toString(), "--out", out, "--master", "local[1]", "--set",
        "modle=rigid", "--run-id", "0071");
    assertEquals(2, setting.code(), setting.err());
    assertTrue(setting.err().contains("unknown setting 'modle'"), setting.err());
    assertTrue(setting.err().startsWith("warning: run id 0071 is all digits") && setting.err().contains("(71)"),
        "a run id of digits is read as a number by other engines: " + setting.err());
    assertFalse(Files.exists(dir.resolve("out")), "nothing is written when the settings are refused");
  }

  @Test
  void aGlobNeedsATemplateOrAPairPattern(@TempDir Path dir) {
    Result r = run("run", "--images", dir + "/*.nii.gz", "--out", dir.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--template") && r.err().contains("--pair-pattern"), r.err());
  }

  @Test
  void aGpuShareMustBeAWholeNumberOrOneOverN(@TempDir Path dir) throws Exception {
    for (double amount : new double[] {0, 1, 2, 0.5, 0.25, 0.125, 1.0 / 3}) {
      assertDoesNotThrow(() -> RunJob.requireTaskGpus(amount), "--task-gpus " + amount);
    }
    Path manifest = dir.resolve("m.csv");
    Files.writeString(manifest, "pair_id,fixed,moving\np,a.nii.gz,b.nii.gz\n");
    for (String amount : new String[] {"0.3", "1.5", "-1"}) {
      Result r = run("run", "--manifest", manifest.toString(), "--out", dir.resolve("out").toString(), "--task-gpus",
          amount);
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().startsWith("error: --task-gpus must be a whole number of GPUs or a share 1/n of one"),
          r.err());
    }
    assertFalse(Files.exists(dir.resolve("out")), "nothing is written when the share is refused");
  }
}
