package org.warpspark.image;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The file formats warpspark reads and writes, recognised by file-name extension (case-insensitive). */
public enum ImageFormat {
  /** NIfTI-1 / NIfTI-2 single file, optionally gzipped. */
  NIFTI(".nii", ".nii.gz"),
  /** MetaImage: header and data in one {@code .mha}, or a {@code .mhd} header beside its raw data file. */
  META_IMAGE(".mha", ".mhd"),
  /** 2D grayscale PNG. */
  PNG(".png"),
  /** 2D grayscale single-page TIFF. */
  TIFF(".tif", ".tiff");

  private final List<String> extensions;

  ImageFormat(String... extensions) {
    this.extensions = List.of(extensions);
  }

  public List<String> extensions() {
    return extensions;
  }

  /** The format whose extension ends {@code name} (a path or URI), if any. */
  public static Optional<ImageFormat> fromName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (ImageFormat format : values()) {
      for (String ext : format.extensions) {
        if (lower.endsWith(ext)) {
          return Optional.of(format);
        }
      }
    }
    return Optional.empty();
  }

  /** The file's own extension (".nii.gz", ".mha", ...), so that a derived file keeps its format. */
  public static String extensionOf(String name) {
    ImageFormat format = fromName(name).orElseThrow(() -> new IllegalArgumentException("unknown image format: " + name));
    String lower = name.toLowerCase(Locale.ROOT);
    return format.extensions().stream().filter(lower::endsWith).max((a, b) -> a.length() - b.length()).orElseThrow();
  }

  /** Every supported extension, for error messages. */
  static String allExtensions() {
    StringBuilder sb = new StringBuilder();
    for (ImageFormat format : values()) {
      for (String ext : format.extensions) {
        sb.append(sb.length() == 0 ? "" : ", ").append(ext);
      }
    }
    return sb.toString();
  }
}
