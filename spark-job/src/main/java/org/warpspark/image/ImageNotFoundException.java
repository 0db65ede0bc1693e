package org.warpspark.image;

/** The image file (or the data file a MetaImage header points to) does not exist. */
public class ImageNotFoundException extends ImageReadException {
  private static final long serialVersionUID = 1L;

  public ImageNotFoundException(String source, String problem) {
    super(source, problem);
  }

  public ImageNotFoundException(String source, String problem, Throwable cause) {
    super(source, problem, cause);
  }
}
