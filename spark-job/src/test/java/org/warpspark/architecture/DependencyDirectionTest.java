package org.warpspark.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency directions visible and true, by reading the imports of the main sources:
 * udfs is pure Java; image I/O and the engine never see Spark; only {@code torch} reaches into DJL's
 * PyTorch internals; image I/O does not depend on DJL at all.
 */
class DependencyDirectionTest {
  private static final Path SPARK_JOB = Path.of("src/main/java/org/warpspark");
  private static final Path UDFS = Path.of("../udfs/src/main/java/org/warpspark/udfs");

  /** udfs sees only Spark's SQL API (table schemas, SQL functions); its maths is pure Java. */
  @Test
  void udfsIsPureJavaButForSparkSql() throws IOException {
    assertNoImport(UDFS, "(org\\.warpspark\\.(image|engine|torch|job)|ai\\.djl|org\\.apache\\.hadoop)\\.");
    assertNoImport(UDFS, "org\\.apache\\.spark\\.(?!sql\\.)");
    assertNoImport(UDFS.resolve("spatial"), "org\\.apache\\.spark\\.");
    assertNoImport(UDFS.resolve("metric"), "org\\.apache\\.spark\\.");
  }

  @Test
  void imageAndEngineNeverSeeSpark() throws IOException {
    assertNoImport(SPARK_JOB.resolve("image"), "org\\.apache\\.spark\\.");
    assertNoImport(SPARK_JOB.resolve("engine"), "(org\\.apache\\.(spark|hadoop)|org\\.warpspark\\.job)\\.");
    assertNoImport(SPARK_JOB.resolve("torch"), "(org\\.apache\\.spark|org\\.warpspark\\.(job|engine|image))\\.");
  }

  @Test
  void onlyTorchTouchesPytorchInternals() throws IOException {
    for (String pkg : List.of("image", "engine", "job")) {
      assertNoImport(SPARK_JOB.resolve(pkg), "ai\\.djl\\.pytorch\\.");
    }
  }

  @Test
  void imageIoDoesNotDependOnDjl() throws IOException {
    assertNoImport(SPARK_JOB.resolve("image"), "(ai\\.djl|org\\.warpspark\\.(engine|torch|job))\\.");
  }

  private static void assertNoImport(Path root, String forbidden) throws IOException {
    assertTrue(Files.isDirectory(root), "missing source folder " + root.toAbsolutePath());
    Pattern p = Pattern.compile("^import\\s+(static\\s+)?" + forbidden, Pattern.MULTILINE);
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders = files.filter(f -> f.toString().endsWith(".java")).filter(f -> p.matcher(read(f)).find()).toList();
    }
    assertEquals(List.of(), offenders, "files under " + root + " import " + forbidden);
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
