package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.Phantom;
import org.warpspark.testing.S3Server;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;

/**
 * The scripts' own class path (scripts/env.sh: the build's classes and {@code target/classpath.txt},
 * as register-pair.sh and the benchmarks use it) reads images from S3: the AWS SDK's HTTP client, a
 * runtime dependency of the SDK, must be on it. Runs after the build has written that file.
 */
class ScriptClasspathIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void registerPairReadsItsImagesFromABucket(@TempDir Path dir) throws Exception {
    Grid grid = Grid.of(new int[] {40, 36}, new double[] {1, 1}, new double[] {-20, -18});
    Phantom phantom = Phantom.inside(grid, 7);
    ImageFiles.write(phantom.render(grid), dir.resolve("fixed.nii.gz").toString());
    ImageFiles.write(phantom.renderMoving(grid, Affine.translation(new double[] {1.5, -1}),
        java.util.function.DoubleUnaryOperator.identity()), dir.resolve("moving.nii.gz").toString());
    try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
      s3.createBucket("scans");
      s3.put("scans", "fixed.nii.gz", dir.resolve("fixed.nii.gz"));
      s3.put("scans", "moving.nii.gz", dir.resolve("moving.nii.gz"));
      // the server's settings where a plain Hadoop configuration finds them: core-site.xml on the class path
      Path conf = Files.createDirectories(dir.resolve("conf"));
      StringBuilder site = new StringBuilder("<configuration>\n");
      s3.s3aSettings().forEach((k, v) -> site.append("<property><name>").append(k).append("</name><value>")
          .append(v).append("</value></property>\n"));
      Files.writeString(conf.resolve("core-site.xml"), site.append("</configuration>\n"));

      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString()));
      command.addAll(jvmFlags());
      command.addAll(List.of("-cp", conf + ":" + ROOT.resolve("spark-job/target/classes") + ":"
          + ROOT.resolve("udfs/target/classes") + ":"
          + Files.readString(ROOT.resolve("spark-job/target/classpath.txt")).trim(),
          "org.warpspark.cli.WarpsparkCli", "register-pair", "--fixed", "s3a://scans/fixed.nii.gz", "--moving",
          "s3a://scans/moving.nii.gz", "--out", dir.resolve("out").toString(), "--stages", "affine"));
      Path log = dir.resolve("log.txt");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(s3.credentialsEnvironment());
      Process p = builder.start();
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "register-pair did not finish");
      String output = Files.readString(log);
      assertEquals(0, p.exitValue(), output);
      assertTrue(Files.exists(dir.resolve("out/transform.tfm")), output);
    }
  }

  /** The scripts' JVM flags (Spark's module flags, DJL offline), as scripts/env.sh prints them. */
  private static List<String> jvmFlags() throws Exception {
    Process p = new ProcessBuilder("bash", "-c", "source scripts/env.sh && warpspark_jvm_flags")
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    List<String> flags = new String(p.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).toList();
    assertEquals(0, p.waitFor(), String.join("\n", flags));
    return flags;
  }
}
