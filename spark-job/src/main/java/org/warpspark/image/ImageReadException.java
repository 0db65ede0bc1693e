package org.warpspark.image;

/**
 * An image could not be read. The message always names the file (or URI) and the cause; the
 * subtypes say which kind of failure it was so callers can tell bad input from a missing file.
 */
public class ImageReadException extends ImageFileException {
  private static final long serialVersionUID = 1L;

  public ImageReadException(String source, String problem) {
    this(source, problem, null);
  }

  public ImageReadException(String source, String problem, Throwable cause) {
    super("read", source, problem, cause);
  }
}
