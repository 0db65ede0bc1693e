package org.warpspark.cli;

import java.util.concurrent.Callable;
import java.util.function.DoubleUnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.sample.Phantom;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.MotionParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.warpspark.storage.OutputFolder;
import org.warpspark.storage.StorageAccess;

/**
 * Writes synthetic pairs with known motion (2D and 3D, anisotropic, rotated direction cosines):
 * {@code <out>/<name>/fixed.nii.gz}, {@code moving.nii.gz} and {@code truth.tfm}, the true fixed-to-moving map;
 * a deliberately bad pair ({@code bad/}, its moving file cut short); and {@code manifest.csv} listing all
 * three for the batch job.
 */
@Command(name = "sample-data", mixinStandardHelpOptions = true,
    description = "Writes synthetic image pairs with a known fixed-to-moving transform (truth.tfm).")
final class SampleDataCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, description = "folder for the pairs")
  String out;

  @Override
  public Integer call() {
    Configuration conf = StorageAccess.configuration();
    double c = Math.cos(Math.toRadians(12));
    double s = Math.sin(Math.toRadians(12));
    Grid brain = new Grid(new int[] {96, 112, 90}, new double[] {2.0, 2.0, 2.2}, new double[] {-95, -120, -80},
        new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
    write(conf, "3d", brain, new double[] {4.0, -3.0, 2.5}, new double[] {0.06, -0.04, 0.08});
    Grid slice = new Grid(new int[] {256, 240}, new double[] {0.8, 0.85}, new double[] {-100, -90},
        new double[] {c, -s, s, c});
    write(conf, "2d", slice, new double[] {-5.0, 3.5}, new double[] {0.1});
    OutputFolder bad = new OutputFolder(out + "/bad", conf);
    ImageFiles.write(Phantom.inside(slice, 7).render(slice), bad.resolve("fixed.nii.gz"), conf);
    bad.writeBytes("moving.nii.gz", truncated(out + "/2d/moving.nii.gz", conf));
    new OutputFolder(out, conf).writeText("manifest.csv", """
        pair_id,fixed,moving
        sample_3d,3d/fixed.nii.gz,3d/moving.nii.gz
        sample_2d,2d/fixed.nii.gz,2d/moving.nii.gz
        sample_bad,bad/fixed.nii.gz,bad/moving.nii.gz
        """);
    out().println("wrote " + out + "/bad/{fixed.nii.gz, moving.nii.gz (truncated)} and " + out + "/manifest.csv");
    return 0;
  }

  /** The first third of a file: a NIfTI whose voxel data ends early. */
  private static byte[] truncated(String file, Configuration conf) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
    try (java.io.InputStream in = path.getFileSystem(conf).open(path)) {
      byte[] whole = in.readAllBytes();
      return java.util.Arrays.copyOf(whole, whole.length / 3);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  private void write(Configuration conf, String name, Grid grid, double[] translation, double[] angles) {
    Affine truth = MotionParameters.rigid(translation, angles).toAffine(grid.centre());
    Phantom phantom = Phantom.inside(grid, 42);
    Image fixed = phantom.render(grid);
    Image moving = phantom.renderMoving(grid, truth, DoubleUnaryOperator.identity());
    OutputFolder folder = new OutputFolder(out + "/" + name, conf);
    ImageFiles.write(fixed, folder.resolve("fixed.nii.gz"), conf);
    ImageFiles.write(moving, folder.resolve("moving.nii.gz"), conf);
    folder.writeText("truth.tfm", ItkTransformFile.format(truth, grid.centre()));
    out().println("wrote " + folder + "/{fixed.nii.gz, moving.nii.gz, truth.tfm}");
  }

  /** The command's output stream (standard output, or what a caller of the command line set). */
  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
