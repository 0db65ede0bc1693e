package org.warpspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The job jar users deploy carries the job and nothing of the benchmarks or the tests. */
class JobJarIT {
  @Test
  void theJobJarHoldsNoBenchmarkOrTestClasses() throws Exception {
    Path jar = Path.of(System.getProperty("warpspark.jar"));
    assertTrue(Files.isRegularFile(jar), "no job jar at " + jar);
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> ours = file.stream().map(ZipEntry::getName).filter(n -> n.startsWith("org/warpspark/")).toList();
      assertTrue(ours.contains("org/warpspark/cli/WarpsparkCli.class"), "the entry point is missing");
      assertTrue(ours.contains("org/warpspark/pair/PairPipeline.class"), "the pipeline is missing");
      assertEquals(List.of(), ours.stream().filter(n -> n.startsWith("org/warpspark/bench/")
          || n.startsWith("org/warpspark/testing/") || n.startsWith("org/warpspark/architecture/")
          || n.matches(".*(Test|IT)(\\$.*)?\\.class")).toList());
      assertEquals("org.warpspark.cli.WarpsparkCli", file.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }
}
