package org.warpspark.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** A folder (local path or any Hadoop URI) that result files are written into, replacing older ones. */
public final class OutputFolder {
  private final Path folder;
  private final Configuration conf;

  public OutputFolder(String uriOrPath, Configuration conf) {
    InputUris.requireOutputScheme(uriOrPath, "the output");
    this.folder = new Path(uriOrPath);
    this.conf = conf;
  }

  @Override
  public String toString() {
    return folder.toString();
  }

  /** The full name of {@code child} in this folder, as readers and writers take it. */
  public String resolve(String child) {
    return new Path(folder, child).toString();
  }

  public void writeText(String child, String text) {
    writeBytes(child, text.getBytes(StandardCharsets.UTF_8));
  }

  /** What writes a file's content into its stream. */
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code child} so that it appears whole or not at all, however many writers race: each under
   * a hidden name of its own (readers such as Spark skip names starting with '.'), then renamed over it.
   * On S3 an object appears only once its upload completes, so it is written in place (a rename there
   * is a copy, and deleting first would leave a moment with no file).
   */
  public void writeWhole(String child, Content content) {
    Path file = new Path(folder, child);
    Path hidden = new Path(folder, "." + child + "." + java.util.UUID.randomUUID() + ".tmp");
    try {
      FileSystem fs = file.getFileSystem(conf);
      if ("s3a".equals(fs.getScheme())) {
        try (OutputStream out = fs.create(file, true)) {
          content.writeTo(out);
        }
        return;
      }
      if (fs instanceof LocalFileSystem) { // as in writeBytes: no forked process per file
        java.nio.file.Path local = Paths.get(fs.makeQualified(file).toUri());
        java.nio.file.Path temporary = Paths.get(fs.makeQualified(hidden).toUri());
        Files.createDirectories(local.getParent());
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temporary))) {
          content.writeTo(out);
        }
        Files.move(temporary, local, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(hidden, true)) {
        content.writeTo(out);
      }
      fs.delete(file, false); // HDFS renames onto no existing file
      if (!fs.rename(hidden, file)) {
        fs.delete(hidden, false);
        throw new IOException("could not rename " + hidden + " to " + file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public void writeBytes(String child, byte[] bytes) {
    Path file = new Path(folder, child);
    try {
      FileSystem fs = file.getFileSystem(conf);
      if (fs instanceof LocalFileSystem) {
        // Without its native library Hadoop's local file system forks a process to set the permissions
        // of each file and folder it makes: about 30 ms a file, against well under 1 ms here.
        java.nio.file.Path local = Paths.get(fs.makeQualified(file).toUri());
        Files.createDirectories(local.getParent());
        Files.write(local, bytes);
        return;
      }
      fs.setWriteChecksum(false); // no ".name.crc" files beside local outputs
      try (OutputStream out = fs.create(file, true)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
