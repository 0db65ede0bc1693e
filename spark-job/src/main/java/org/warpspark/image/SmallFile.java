package org.warpspark.image;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.storage.InputUris;

/**
 * A small input file (a transform, a point list) read whole through the Hadoop FileSystem API, after
 * the same refusals as images (schemes, credentials) and a size bound. Failures are
 * {@link IOException}s whose message says the cause; callers name the file in their own error type.
 */
final class SmallFile {
  private SmallFile() {}

  static byte[] read(String uriOrPath, Configuration conf, long most) throws IOException {
    String refusal = InputUris.refusal(uriOrPath, conf);
    if (refusal != null) {
      throw new IOException(refusal);
    }
    try {
      HadoopFile file = HadoopFile.of(uriOrPath, conf);
      long length = file.requireExists();
      if (length > most) {
        throw new IOException(length + " bytes is more than such a file may hold (" + most + ")");
      }
      try (InputStream in = file.open()) {
        return in.readNBytes((int) most);
      }
    } catch (FileNotFoundException | ImageNotFoundException e) {
      throw new IOException("file does not exist", e);
    }
  }
}
