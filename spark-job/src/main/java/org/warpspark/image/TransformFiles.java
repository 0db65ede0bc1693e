package org.warpspark.image;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.ElastixParameterFile;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.ItkTransformFile;
import org.warpspark.udfs.spatial.TransformFileException;

/**
 * Reads one transform of a chain through the Hadoop FileSystem API, its format told by its name and
 * first bytes: a displacement field ({@code .nii}, {@code .nii.gz}), ITK's {@code .mat}, ITK's text
 * file ({@code #Insight Transform File}) or an elastix parameter file ({@code (Transform ...)}).
 * Nothing the file names is opened: an elastix file with an initial transform is refused.
 */
public final class TransformFiles {
  /** Far above any affine transform file. */
  private static final int MAX_BYTES = 1 << 20;

  private TransformFiles() {}

  /** The transform of {@code uriOrPath}, inverted if asked (affines only: a field's inverse is its own file). */
  public static FixedToMoving read(String uriOrPath, boolean inverse, Configuration conf, ReadLimits limits) {
    String name = uriOrPath.toLowerCase(Locale.ROOT);
    if (name.endsWith(".nii") || name.endsWith(".nii.gz")) {
      if (inverse) {
        throw new TransformFileException(InputUris.redacted(uriOrPath) + ": a displacement field cannot be "
            + "inverted on the fly; give its inverse field instead (antsRegistration's *InverseWarp.nii.gz)");
      }
      return new FixedToMoving.Dense(ImageFiles.readDisplacementField(uriOrPath, conf, limits));
    }
    if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      throw new TransformFileException(InputUris.redacted(uriOrPath) + ": ITK .h5 transform files are not read "
          + "yet; convert it to .mat or .tfm (affines) and .nii.gz (fields)");
    }
    byte[] bytes = bytes(uriOrPath, conf);
    String source = InputUris.redacted(uriOrPath);
    Affine map = name.endsWith(".mat") ? ItkMatFile.parse(bytes, source) : text(new String(bytes, StandardCharsets.UTF_8),
        source);
    return new FixedToMoving.Linear(inverse ? map.inverse() : map);
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

  private static byte[] bytes(String uriOrPath, Configuration conf) {
    String refusal = InputUris.refusal(uriOrPath, conf);
    String source = InputUris.redacted(uriOrPath);
    if (refusal != null) {
      throw new TransformFileException(source + ": " + refusal);
    }
    try {
      HadoopFile file = HadoopFile.of(uriOrPath, conf);
      long length = file.requireExists();
      if (length > MAX_BYTES) {
        throw new TransformFileException(source + ": " + length + " bytes is too large for an affine transform file");
      }
      try (InputStream in = file.open()) {
        return in.readNBytes(MAX_BYTES);
      }
    } catch (FileNotFoundException | ImageNotFoundException e) {
      throw new TransformFileException(source + ": file does not exist", e);
    } catch (IOException e) {
      throw new TransformFileException(source + ": I/O error: " + e.getMessage(), e);
    }
  }
}
