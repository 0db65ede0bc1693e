package org.warpspark.job;

import java.util.concurrent.Callable;
import java.util.function.DoubleUnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.image.Image;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.Phantom;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.MotionParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes synthetic pairs with known motion (2D and 3D, anisotropic, rotated direction cosines):
 * {@code <out>/<name>/fixed.nii.gz}, {@code moving.nii.gz} and {@code truth.tfm}, the true fixed-to-moving map.
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
    Configuration conf = new Configuration();
    double c = Math.cos(Math.toRadians(12));
    double s = Math.sin(Math.toRadians(12));
    Grid brain = new Grid(new int[] {96, 112, 90}, new double[] {2.0, 2.0, 2.2}, new double[] {-95, -120, -80},
        new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
    write(conf, "3d", brain, new double[] {4.0, -3.0, 2.5}, new double[] {0.06, -0.04, 0.08});
    Grid slice = new Grid(new int[] {256, 240}, new double[] {0.8, 0.85}, new double[] {-100, -90},
        new double[] {c, -s, s, c});
    write(conf, "2d", slice, new double[] {-5.0, 3.5}, new double[] {0.1});
    return 0;
  }

  private void write(Configuration conf, String name, Grid grid, double[] translation, double[] angles) {
    MotionParameters motion = MotionParameters.identity(grid.dim());
    System.arraycopy(translation, 0, motion.translation(), 0, translation.length);
    System.arraycopy(angles, 0, motion.angles(), 0, angles.length);
    Affine truth = motion.toAffine(grid.center());
    Phantom phantom = Phantom.inside(grid, 42);
    Image fixed = phantom.render(grid);
    Image moving = phantom.renderMoving(grid, truth, DoubleUnaryOperator.identity());
    OutputFolder folder = new OutputFolder(out + "/" + name, conf);
    ImageFiles.write(fixed, folder.resolve("fixed.nii.gz"), conf);
    ImageFiles.write(moving, folder.resolve("moving.nii.gz"), conf);
    folder.writeText("truth.tfm", ItkTransformFile.format(truth, grid.center()));
    out().println("wrote " + folder + "/{fixed.nii.gz, moving.nii.gz, truth.tfm}");
  }

  /** The command's output stream (standard output, or what a caller of the command line set). */
  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
