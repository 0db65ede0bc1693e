package org.warpspark.image;

import org.warpspark.storage.InputUris;
import org.warpspark.udfs.WarpsparkException;

/** An image file could not be read or written; the message names the file (or URI) and the cause. */
public abstract class ImageFileException extends WarpsparkException {
  private static final long serialVersionUID = 1L;
  private final String file;

  ImageFileException(String verb, String file, String problem, Throwable cause) {
    super("cannot " + verb + " image " + InputUris.redacted(file) + ": " + problem, cause);
    this.file = file;
  }

  /** The file or URI, as the caller named it. */
  public String file() {
    return file;
  }
}
