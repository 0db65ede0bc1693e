package org.warpspark.image;

import org.warpspark.udfs.WarpsparkException;

/**
 * An image could not be read. The message always names the file (or URI) and the cause; the
 * subtypes say which kind of failure it was so callers can tell bad input from a missing file.
 */
public class ImageReadException extends WarpsparkException {
  private static final long serialVersionUID = 1L;

  private final String source;

  public ImageReadException(String source, String problem) {
    super(message(source, problem));
    this.source = source;
  }

  public ImageReadException(String source, String problem, Throwable cause) {
    super(message(source, problem), cause);
    this.source = source;
  }

  /** The file or URI that could not be read, as the caller named it. */
  public String source() {
    return source;
  }

  private static String message(String source, String problem) {
    return "cannot read image " + source + ": " + problem;
  }
}
