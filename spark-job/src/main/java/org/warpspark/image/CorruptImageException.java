package org.warpspark.image;

/**
 * The file is not a valid image of its format: bad magic, impossible header values, truncated data,
 * dimensions that do not match the data, or (when refused) non-finite voxels.
 */
public class CorruptImageException extends ImageReadException {
  private static final long serialVersionUID = 1L;

  public CorruptImageException(String source, String problem) {
    super(source, problem);
  }

  public CorruptImageException(String source, String problem, Throwable cause) {
    super(source, problem, cause);
  }
}
