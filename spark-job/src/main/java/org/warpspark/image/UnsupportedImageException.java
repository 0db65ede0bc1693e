package org.warpspark.image;

/**
 * The file is valid but uses something warpspark does not read: a datatype, a dimension (1D, 4D
 * with several volumes), colour, a multi-file layout, or an unknown file extension.
 */
public class UnsupportedImageException extends ImageReadException {
  private static final long serialVersionUID = 1L;

  public UnsupportedImageException(String source, String problem) {
    super(source, problem);
  }
}
