package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's own commands, as it shows them, run where a reader runs them (a folder with the
 * checkout's scripts and conf), each with the outcome the README promises: the demo, a query over its
 * tables, and the cluster walk-through.
 */
class ReadmeWalkthroughIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir
  Path dir;

  /** The README's fenced bash blocks. */
  private static List<String> blocks() throws IOException {
    Matcher m = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(ROOT.resolve("README.md")));
    List<String> blocks = new java.util.ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** The one line of a README block that starts with {@code start}. */
  private static String line(String start) throws IOException {
    return blocks().stream().flatMap(b -> b.lines()).filter(l -> l.startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError("the README shows no line starting " + start));
  }

  /** Runs {@code script} with bash in the reader's folder; its exit code and output. */
  private record Ran(int exit, String output) {}

  private Ran bash(String script, int minutes) throws IOException, InterruptedException {
    Path log = dir.resolve("log-" + System.nanoTime() + ".txt");
    ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("WARPSPARK_BUILT", "1"); // this build made the jar: no build inside it
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = builder.start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + script + "\n" + Files.readString(log));
    }
    return new Ran(p.exitValue(), Files.readString(log));
  }

  @Test
  void theReadmesCommandsDoWhatItSays() throws Exception {
    Files.createSymbolicLink(dir.resolve("scripts"), ROOT.resolve("scripts"));
    Files.createSymbolicLink(dir.resolve("conf"), ROOT.resolve("conf"));

    // the first command: the demo prints its tables, report and query; the bad pair fails, the run not
    Ran demo = bash(line("scripts/demo.sh").replaceFirst("#.*", ""), 10);
    assertEquals(0, demo.exit(), demo.output());
    assertTrue(demo.output().contains("3 pairs, 2 ok, 1 failed"), demo.output());
    assertTrue(demo.output().contains("report: " + dir.toRealPath().resolve("demo-out/tables/qc/run_id=demo/index.html")),
        demo.output());
    assertTrue(Files.isRegularFile(dir.resolve("demo-out/tables/qc/run_id=demo/index.html")));
    assertTrue(demo.output().matches("(?s).*\\| failed \\|.*"), "the bad pair's failed rows:\n" + demo.output());

    // the query shown, over the demo's tables in the folder the README calls tables/
    Files.createSymbolicLink(dir.resolve("tables"), dir.resolve("demo-out/tables"));
    Ran query = bash(line("scripts/sql.sh --tables tables/ \"SELECT"), 5);
    assertEquals(0, query.exit(), query.output());
    assertTrue(query.output().contains("pair_id | stage | status | final_loss"), query.output());
    assertTrue(query.output().contains("(6 rows)"), query.output());

    // the cluster walk-through, block as shown: a cluster started, the demo's pairs on it, stopped
    String cluster = blocks().stream().filter(b -> b.startsWith("scripts/local-cluster.sh start")).findFirst()
        .orElseThrow(() -> new AssertionError("the README shows no cluster walk-through"));
    Ran run;
    try {
      run = bash(cluster, 10);
    } finally {
      bash("scripts/local-cluster.sh stop", 2);
    }
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("3 pairs, 2 ok, 1 failed"), run.output());
    assertTrue(Files.isDirectory(dir.resolve("cluster-tables/registrations")));
  }
}
