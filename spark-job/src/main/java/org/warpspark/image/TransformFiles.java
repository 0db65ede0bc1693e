package org.warpspark.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.ElastixParameterFile;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.ItkHdf5File;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.TransformFileException;

/**
 * Reads one transform file of a chain through the Hadoop FileSystem API, its format told by its name
 * and first bytes: a displacement field ({@code .nii}, {@code .nii.gz}), ITK's {@code .h5} (a composite
 * of affines and fields, as ANTs writes), ITK's {@code .mat}, ITK's text file
 * ({@code #Insight Transform File}) or an elastix parameter file ({@code (Transform ...)}, the affine
 * family and cubic B-splines). Nothing a file names is opened: an elastix file's initial transform is
 * reported ({@link #readStep}) for the chain to list, or the file refused ({@link #read}).
 */
public final class TransformFiles {
  /** Far above any affine file, and room for an elastix B-spline's control points as text. */
  private static final int MAX_BYTES = 64 << 20;

  private TransformFiles() {}

  /**
   * One file's steps in queue order (one, or a composite's queue: the last acts first), and the initial
   * transform an elastix file names (null if none), which is reported and never opened.
   */
  public record Read(List<FixedToMoving> steps, String initialTransform) {}

  /**
   * The steps of {@code uriOrPath} in queue order, inverted if asked (affines only, a field's inverse
   * being a file of its own). A file that names an initial transform is refused here: {@link #readStep}
   * reports it for a caller that checks the chain.
   */
  public static List<FixedToMoving> read(String uriOrPath, boolean inverse, Configuration conf, ReadLimits limits) {
    Read read = readStep(uriOrPath, inverse, conf, limits);
    if (read.initialTransform() != null) {
      throw new TransformFileException(InputUris.redacted(uriOrPath) + ": has an initial transform ("
          + InputUris.redacted(read.initialTransform()) + "), which is not opened; list it in the chain");
    }
    return read.steps();
  }

  /** As {@link #read}, reporting an elastix file's initial transform instead of refusing it. */
  public static Read readStep(String uriOrPath, boolean inverse, Configuration conf, ReadLimits limits) {
    String name = uriOrPath.toLowerCase(Locale.ROOT);
    String source = InputUris.redacted(uriOrPath);
    List<FixedToMoving> steps;
    String initial = null;
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      steps = List.of(new FixedToMoving.Dense(ImageFiles.readDisplacementField(uriOrPath, conf, limits)));
    } else if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      // A field's doubles: 3 components of 8 bytes per voxel, and room for the file's structure.
      long most = Math.min(Integer.MAX_VALUE - 8L, limits.maxVoxels() * 24L + (1 << 20));
      steps = ItkHdf5File.read(bytes(uriOrPath, conf, most), source, limits.maxVoxels());
    } else if (name.endsWith(".mat")) {
      steps = List.of(new FixedToMoving.Linear(ItkMatFile.parse(bytes(uriOrPath, conf, MAX_BYTES), source)));
    } else {
      String text = new String(bytes(uriOrPath, conf, MAX_BYTES), StandardCharsets.UTF_8);
      String start = text.stripLeading();
      if (start.startsWith(ItkTransformFile.HEADER) || start.startsWith("Transform:")) {
        steps = List.of(new FixedToMoving.Linear(ItkTransformFile.parse(text, source)));
      } else if (start.startsWith("(") || start.startsWith("//")) {
        Map<String, List<String>> parameters = ElastixParameterFile.parse(text, source);
        initial = ElastixTransformParameters.initialTransform(parameters);
        if (initial != null && !ElastixTransformParameters.composesWithInitial(parameters)) {
          throw new TransformFileException(source + ": adds its transform to its initial one "
              + "(HowToCombineTransforms \"Add\"), which is no chain of transforms; only \"Compose\" is read");
        }
        steps = List.of(ElastixTransformParameters.ownTransform(parameters, source, limits.maxVoxels()));
      } else {
        throw new TransformFileException(source + ": not a transform file this reads (ITK .tfm/.txt, .mat or .h5, "
            + "elastix TransformParameters, or a NIfTI displacement field)");
      }
    }
    return new Read(inverse ? inverse(steps, source) : steps, initial);
  }

  /** Where {@code name}, as a file names another (absolute, or relative to its folder), lies, qualified. */
  public static String besides(String uriOrPath, String name, Configuration conf) {
    Path named = new Path(name);
    Path resolved = named.isAbsolute() || named.toUri().getScheme() != null ? named
        : new Path(new Path(uriOrPath).getParent(), named);
    return qualified(resolved, conf);
  }

  /** The fully qualified form of a path or URI, so two spellings of one file compare equal. */
  public static String qualified(String uriOrPath, Configuration conf) {
    return qualified(new Path(uriOrPath), conf);
  }

  private static String qualified(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf).makeQualified(path).toString();
    } catch (IOException e) {
      throw new TransformFileException("cannot reach " + InputUris.redacted(path.toString()) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code queue} (queue order) in the format {@code uriOrPath} names: {@code .h5} any queue, as
   * ITK's composite; {@code .nii}/{@code .nii.gz} one displacement field; {@code .mat} or
   * {@code .tfm}/{@code .txt} one affine.
   */
  public static void write(List<FixedToMoving> queue, String uriOrPath, Configuration conf) {
    String name = uriOrPath.toLowerCase(Locale.ROOT);
    boolean field = name.endsWith(".nii") || name.endsWith(".nii.gz");
    boolean h5 = name.endsWith(".h5") || name.endsWith(".hdf5");
    if (!h5 && !field && !name.endsWith(".mat") && !name.endsWith(".tfm") && !name.endsWith(".txt")) {
      throw new ImageWriteException(uriOrPath, "transforms are written as .h5 (any chain), .nii/.nii.gz (one "
          + "displacement field), .mat or .tfm/.txt (one affine)");
    }
    if (!h5 && (queue.size() != 1 || queue.get(0) instanceof FixedToMoving.Spline
        || (queue.get(0) instanceof FixedToMoving.Dense) != field)) {
      throw new ImageWriteException(uriOrPath, "holds one " + (field ? "displacement field" : "affine")
          + "; this chain is " + queue.size() + " transform(s), write it as .h5");
    }
    if (field) {
      ImageFiles.writeDisplacementField(((FixedToMoving.Dense) queue.get(0)).field(), uriOrPath, conf);
      return;
    }
    try (OutputStream out = HadoopFile.target(uriOrPath, conf).create()) {
      if (h5) {
        ItkHdf5File.write(queue, out);
      } else {
        Affine affine = ((FixedToMoving.Linear) queue.get(0)).matrix();
        double[] origin = new double[affine.dim()];
        out.write(name.endsWith(".mat") ? ItkMatFile.format(affine, origin)
            : ItkTransformFile.format(affine, origin).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new ImageWriteException(uriOrPath, "I/O error: " + e, e);
    }
  }

  /** The queue {@code [A, B]} is {@code A o B}, whose inverse {@code B^-1 o A^-1} is the queue {@code [B^-1, A^-1]}. */
  private static List<FixedToMoving> inverse(List<FixedToMoving> steps, String source) {
    List<FixedToMoving> inverted = new ArrayList<>();
    for (FixedToMoving step : steps) {
      if (!(step instanceof FixedToMoving.Linear linear)) {
        throw new TransformFileException(source + ": a displacement field or B-spline cannot be inverted on the fly; "
            + "give its inverse instead (antsRegistration's *InverseWarp.nii.gz or InverseComposite.h5)");
      }
      inverted.add(0, new FixedToMoving.Linear(linear.matrix().inverse()));
    }
    return inverted;
  }

  private static byte[] bytes(String uriOrPath, Configuration conf, long most) {
    try {
      return SmallFile.read(uriOrPath, conf, most);
    } catch (IOException e) {
      throw new TransformFileException(InputUris.redacted(uriOrPath) + ": " + e.getMessage(), e);
    }
  }
}
