package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.udfs.spatial.Grid;
import picocli.CommandLine;

/** The command line refuses bad input with one clear line naming the cause, and writes nothing. */
class RegisterPairCommandTest {

  private static Result run(String... args) {
    CommandLine cli = WarpsparkCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, err.toString());
  }

  private record Result(int code, String err) {}

  @Test
  void missingMovingImageIsNamed(@TempDir Path dir) throws Exception {
    Path fixed = dir.resolve("fixed.mha");
    Grid grid = Grid.of(new int[] {8, 7}, new double[] {1, 1}, new double[] {0, 0});
    ImageFiles.write(Image.of(grid, new float[56]), fixed.toString());
    Path missing = dir.resolve("no-such-moving.nii.gz");
    Result r = run("register-pair", "--fixed", fixed.toString(), "--moving", missing.toString(), "--out",
        dir.resolve("out").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains("no-such-moving.nii.gz"), r.err());
    assertFalse(Files.exists(dir.resolve("out").resolve("transform.tfm")));
  }

  @Test
  void unknownModelIsRefusedBeforeReadingAnything(@TempDir Path dir) {
    Result r = run("register-pair", "--fixed", dir.resolve("a.nii").toString(), "--moving",
        dir.resolve("b.nii").toString(), "--out", dir.toString(), "--model", "bspline");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown transform model 'bspline'"), r.err());
  }

  @Test
  void corruptFixedImageIsNamedWithItsCause(@TempDir Path dir) throws Exception {
    Path fixed = dir.resolve("fixed.nii");
    Files.write(fixed, new byte[100]);
    Result r = run("register-pair", "--fixed", fixed.toString(), "--moving", fixed.toString(), "--out",
        dir.resolve("out").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("fixed.nii"), r.err());
  }
}
