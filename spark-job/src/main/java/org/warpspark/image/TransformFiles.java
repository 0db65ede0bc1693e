package org.warpspark.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
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
 * ({@code #Insight Transform File}) or an elastix parameter file ({@code (Transform ...)}).
 * Nothing the file names is opened: an elastix file with an initial transform is refused.
 */
public final class TransformFiles {
  /** Far above any affine transform file. */
  private static final int MAX_BYTES = 1 << 20;

  private TransformFiles() {}

  /**
   * The steps of {@code uriOrPath} in queue order (one, or a composite's queue: the last acts first),
   * inverted if asked: affines only, a field's inverse being a file of its own.
   */
  public static List<FixedToMoving> read(String uriOrPath, boolean inverse, Configuration conf, ReadLimits limits) {
    String name = uriOrPath.toLowerCase(Locale.ROOT);
    String source = InputUris.redacted(uriOrPath);
    List<FixedToMoving> steps;
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      steps = List.of(new FixedToMoving.Dense(ImageFiles.readDisplacementField(uriOrPath, conf, limits)));
    } else if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      // A field's doubles: 3 components of 8 bytes per voxel, and room for the file's structure.
      long most = Math.min(Integer.MAX_VALUE - 8L, limits.maxVoxels() * 24L + (1 << 20));
      steps = ItkHdf5File.read(bytes(uriOrPath, conf, most), source, limits.maxVoxels());
    } else {
      byte[] bytes = bytes(uriOrPath, conf, MAX_BYTES);
      steps = List.of(new FixedToMoving.Linear(name.endsWith(".mat") ? ItkMatFile.parse(bytes, source)
          : text(new String(bytes, StandardCharsets.UTF_8), source)));
    }
    return inverse ? inverse(steps, source) : steps;
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
    if (!h5 && (queue.size() != 1 || (queue.get(0) instanceof FixedToMoving.Dense) != field)) {
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
        throw new TransformFileException(source + ": a displacement field cannot be inverted on the fly; give its "
            + "inverse field instead (antsRegistration's *InverseWarp.nii.gz or InverseComposite.h5)");
      }
      inverted.add(0, new FixedToMoving.Linear(linear.matrix().inverse()));
    }
    return inverted;
  }

  private static Affine text(String text, String source) {
    String start = text.stripLeading();
    if (start.startsWith(ItkTransformFile.HEADER) || start.startsWith("Transform:")) {
      return ItkTransformFile.parse(text, source);
    }
    if (start.startsWith("(") || start.startsWith("//")) {
      Map<String, List<String>> parameters = ElastixParameterFile.parse(text, source);
      List<String> initial = parameters.getOrDefault("InitialTransformParametersFileName", List.of());
      if (!initial.isEmpty() && !initial.get(0).equals("NoInitialTransform")) {
        // Opening the file it names would read a file the user did not name.
        throw new TransformFileException(source + ": has an initial transform (" + initial.get(0) + "), which is not "
            + "opened; list the chain instead: -t THIS_FILE -t INITIAL_FILE (elastix's Compose)");
      }
      return ElastixTransformParameters.toFixedToMoving(parameters, source);
    }
    throw new TransformFileException(source + ": not a transform file this reads (ITK .tfm/.txt or .mat, elastix "
        + "TransformParameters, or a NIfTI displacement field)");
  }

  private static byte[] bytes(String uriOrPath, Configuration conf, long most) {
    try {
      return SmallFile.read(uriOrPath, conf, most);
    } catch (IOException e) {
      throw new TransformFileException(InputUris.redacted(uriOrPath) + ": " + e.getMessage(), e);
    }
  }
}
