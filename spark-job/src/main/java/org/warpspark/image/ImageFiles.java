package org.warpspark.image;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Reads and writes images by URI or path, picking the format from the file name ({@link ImageFormat}).
 * Every file goes through the Hadoop FileSystem API, so {@code file:}, {@code hdfs:}, {@code s3a:}
 * URIs and plain local paths all work; a Spark task can reopen its inputs from a URI alone.
 *
 * <p>The geometry of what is read is in the frame of {@link org.warpspark.udfs.spatial} (LPS, mm); each
 * format's reader says how it gets there: {@code NiftiGeometry} (NIfTI), {@code MetaImageReader}
 * (MetaImage), {@code RasterImageReader} (PNG/TIFF: no geometry, unit spacing).
 *
 * <p>Failures are {@link ImageReadException} subtypes ({@link ImageNotFoundException},
 * {@link CorruptImageException}, {@link UnsupportedImageException}, {@link ImageTooLargeException}) or
 * {@link ImageWriteException}; every message names the file.
 */
public final class ImageFiles {

  /** Whether MetaImage voxel data is zlib-compressed ({@code CompressedData = True}). */
  public enum Compression {
    NONE,
    /** MetaImage only; NIfTI compression follows a {@code .gz} name, PNG always compresses, TIFF never. */
    ZLIB
  }

  private ImageFiles() {}

  /** Reads with a default Hadoop configuration and {@link ReadLimits#DEFAULT}. */
  public static Image read(String uriOrPath) {
    return read(uriOrPath, new Configuration(), ReadLimits.DEFAULT);
  }

  public static Image read(String uriOrPath, ReadLimits limits) {
    return read(uriOrPath, new Configuration(), limits);
  }

  /**
   * Reads one image. The header is checked against {@code limits} before voxel memory is allocated,
   * and non-finite voxels are refused when {@link ReadLimits#rejectNonFinite()} says so.
   */
  public static Image read(String uriOrPath, Configuration conf, ReadLimits limits) {
    Image image = withFile(uriOrPath, conf, (file, format) -> switch (format) {
      case NIFTI -> NiftiReader.read(file, limits);
      case META_IMAGE -> MetaImageReader.read(file, limits);
      case PNG, TIFF -> RasterImageReader.read(file, limits);
    });
    return limits.checkNonFinite(uriOrPath, image);
  }

  /**
   * The geometry of an image from its header alone (size, spacing, origin, direction), checked
   * against {@code limits}; for planning, without reading voxel data.
   */
  public static Grid readGrid(String uriOrPath, Configuration conf, ReadLimits limits) {
    return withFile(uriOrPath, conf, (file, format) -> switch (format) {
      case NIFTI -> NiftiReader.readGrid(file, limits);
      case META_IMAGE -> MetaImageReader.readGrid(file, limits);
      case PNG, TIFF -> RasterImageReader.readGrid(file, limits);
    });
  }

  /**
   * Reads a displacement field as ITK and ANTs write one: NIfTI, a vector per voxel in LPS mm (see
   * {@link NiftiReader#readDisplacementField}); checked against {@code limits} like an image.
   */
  public static DisplacementField readDisplacementField(String uriOrPath, Configuration conf, ReadLimits limits) {
    return withFile(uriOrPath, conf, (file, format) -> {
      if (format != ImageFormat.NIFTI) {
        throw new UnsupportedImageException(uriOrPath, "displacement fields are read from NIfTI (.nii or .nii.gz)");
      }
      return NiftiReader.readDisplacementField(file, limits);
    });
  }

  /** What is done with an image file of a known format. */
  private interface FileWork<T> {
    T apply(HadoopFile file, ImageFormat format) throws IOException;
  }

  /**
   * Runs {@code work} on the file, turning I/O failures into errors that name the file and the cause.
   * Locations with credentials or of a scheme not in {@link InputUris#SCHEMES} are refused before
   * anything is opened, and credentials are never repeated.
   */
  private static <T> T withFile(String uriOrPath, Configuration conf, FileWork<T> work) {
    String refusal = InputUris.refusal(uriOrPath, conf);
    if (refusal != null) {
      throw new UnsupportedImageException(InputUris.redacted(uriOrPath), refusal);
    }
    ImageFormat format = ImageFormat.fromName(uriOrPath).orElseThrow(() -> new UnsupportedImageException(uriOrPath,
        "unknown image file extension; supported are " + ImageFormat.allExtensions()));
    try {
      return work.apply(openable(uriOrPath, conf), format);
    } catch (FileNotFoundException e) {
      throw new ImageNotFoundException(uriOrPath, "file does not exist", e);
    } catch (EOFException e) {
      throw new CorruptImageException(uriOrPath, "file ends early (truncated): " + e.getMessage(), e);
    } catch (ZipException e) {
      throw new CorruptImageException(uriOrPath, "compressed data is corrupt: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ImageReadException(uriOrPath, "I/O error: " + e, e);
    }
  }

  /** Writes with a default Hadoop configuration, uncompressed MetaImage. */
  public static void write(Image image, String uriOrPath) {
    write(image, uriOrPath, new Configuration(), Compression.NONE);
  }

  public static void write(Image image, String uriOrPath, Configuration conf) {
    write(image, uriOrPath, conf, Compression.NONE);
  }

  /**
   * Writes a displacement field as ITK reads one: NIfTI ({@code .nii} or {@code .nii.gz}), see
   * {@link NiftiDisplacementFieldWriter}.
   */
  public static void writeDisplacementField(DisplacementField field, String uriOrPath, Configuration conf) {
    if (ImageFormat.fromName(uriOrPath).orElse(null) != ImageFormat.NIFTI) {
      throw new ImageWriteException(uriOrPath, "displacement fields are written as NIfTI (.nii or .nii.gz)");
    }
    try {
      NiftiDisplacementFieldWriter.write(field, writable(uriOrPath, conf));
    } catch (IOException e) {
      throw new ImageWriteException(uriOrPath, "I/O error: " + e, e);
    }
  }

  /**
   * Writes one image in the format its name asks for, creating parent folders and overwriting an
   * existing file. Voxels are stored as {@link Image#storedAs()} where the format allows.
   */
  public static void write(Image image, String uriOrPath, Configuration conf, Compression compression) {
    ImageFormat format = ImageFormat.fromName(uriOrPath).orElseThrow(() -> new ImageWriteException(uriOrPath,
        "unknown image file extension; supported are " + ImageFormat.allExtensions()));
    try {
      HadoopFile file = writable(uriOrPath, conf);
      switch (format) {
        case NIFTI -> NiftiWriter.write(image, file);
        case META_IMAGE -> MetaImageWriter.write(image, file, compression == Compression.ZLIB);
        case PNG, TIFF -> RasterImageWriter.write(image, file, format);
      }
    } catch (IOException e) {
      throw new ImageWriteException(uriOrPath, "I/O error: " + e, e);
    }
  }

  private static HadoopFile openable(String uriOrPath, Configuration conf) throws IOException {
    try {
      return HadoopFile.of(uriOrPath, conf);
    } catch (ImageReadException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ImageReadException(uriOrPath, "not a valid path or URI: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // Hadoop reports a file system whose classes are missing (s3a without hadoop-aws) this way.
      throw new ImageReadException(uriOrPath, "no usable Hadoop FileSystem for it: " + e.getMessage(), e);
    }
  }

  private static HadoopFile writable(String uriOrPath, Configuration conf) throws IOException {
    try {
      InputUris.requireOutputScheme(uriOrPath, "the output");
      return HadoopFile.target(uriOrPath, conf);
    } catch (IllegalArgumentException e) {
      throw new ImageWriteException(uriOrPath, "not a valid path or URI: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ImageWriteException(uriOrPath, "no usable Hadoop FileSystem for it: " + e.getMessage(), e);
    }
  }
}
