package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.warpspark.testing.DebianPython;

/**
 * The example Airflow DAG (scripts/airflow/warpspark_dag.py) loaded against a minimal stand-in of the
 * Airflow API it uses, its templates rendered by Jinja as Airflow renders them
 * (src/test/python/check_airflow_dag.py): Airflow itself is not installed here.
 */
class AirflowDagTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theDagKeepsItsPromises() throws Exception {
    Assumptions.assumeTrue(DebianPython.hasModule("jinja2"), "Debian's python3-jinja2 (.ci/run installs it)");
    Process p = new ProcessBuilder(List.of(DebianPython.EXECUTABLE,
        ROOT.resolve("spark-job/src/test/python/check_airflow_dag.py").toString(),
        ROOT.resolve("scripts/airflow/warpspark_dag.py").toString())).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), output);
    assertEquals("the DAG keeps its promises", output.strip());
  }
}
