package org.warpspark.image;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * One file reached through the Hadoop FileSystem API, so {@code file:}, {@code hdfs:}, {@code s3a:}
 * and plain local paths all work. {@code name} is what the caller called it, for error messages.
 */
record HadoopFile(String name, Path path, FileSystem fs, Configuration conf, byte[] fetched) {

  private static final int BUFFER_BYTES = 1 << 16;

  /** A web server reports no length before it sends the file: such a file is fetched whole, up to this. */
  private static final int MAX_FETCHED_BYTES = 1 << 30;

  static HadoopFile of(String uriOrPath, Configuration conf) throws IOException {
    Path path = new Path(uriOrPath);
    return fetchedIfWeb(new HadoopFile(uriOrPath, path, fileSystemOf(path, conf), conf, null));
  }

  /** A file to write: never fetched first. */
  static HadoopFile target(String uriOrPath, Configuration conf) throws IOException {
    Path path = new Path(uriOrPath);
    return new HadoopFile(uriOrPath, path, fileSystemOf(path, conf), conf, null);
  }

  /**
   * An {@code http:} or {@code https:} file (a run opts into them) read into memory at once: its
   * length is known only then, and readers check lengths against headers.
   */
  private static HadoopFile fetchedIfWeb(HadoopFile file) throws IOException {
    String scheme = file.path.toUri().getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return file;
    }
    try (InputStream in = file.fs.open(file.path)) {
      byte[] bytes = in.readNBytes(MAX_FETCHED_BYTES);
      if (in.read() >= 0) {
        throw new ImageTooLargeException(file.name, "is larger than " + MAX_FETCHED_BYTES + " bytes, the most a "
            + "file read over " + scheme + ": may hold");
      }
      return new HadoopFile(file.name, file.path, file.fs, file.conf, bytes);
    } catch (FileNotFoundException e) {
      throw new ImageNotFoundException(file.name, "file does not exist", e);
    }
  }

  /**
   * Local files bypass Hadoop's checksum layer: it would write {@code .crc} side files that other
   * tools (ITK, nibabel) neither write nor update, and then fail reads of files those tools rewrote.
   */
  private static FileSystem fileSystemOf(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
  }

  /** The file's length in bytes; {@link ImageNotFoundException} if it does not exist. */
  long requireExists() throws IOException {
    if (fetched != null) {
      return fetched.length;
    }
    FileStatus status;
    try {
      status = fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      throw new ImageNotFoundException(name, "file does not exist", e);
    }
    if (status.isDirectory()) {
      throw new ImageReadException(name, "is a directory, not an image file");
    }
    return status.getLen();
  }

  InputStream open() throws IOException {
    if (fetched != null) {
      return new java.io.ByteArrayInputStream(fetched);
    }
    requireRegularLocalFile();
    try {
      return new BufferedInputStream(fs.open(path), BUFFER_BYTES);
    } catch (FileNotFoundException e) {
      throw new ImageNotFoundException(name, "file does not exist", e);
    }
  }

  /**
   * A local named pipe, device or socket would block a read forever or never end: only regular files
   * (symbolic links to them included) are opened. Hadoop's local status calls them all files, so the
   * check is here, where every read starts.
   */
  private void requireRegularLocalFile() throws IOException {
    if (fs instanceof RawLocalFileSystem local) {
      java.nio.file.Path file = local.pathToFile(path).toPath();
      if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
        throw new UnsupportedImageException(name, "is not a regular file (a named pipe, device or socket); images "
            + "are read only from regular files");
      }
    }
  }

  /** Creates (or overwrites) the file, making parent folders as needed. */
  OutputStream create() throws IOException {
    return new BufferedOutputStream(fs.create(path, true), BUFFER_BYTES);
  }

  /** A file named relative to this one's folder, or absolute (a path or a URI with a scheme). */
  HadoopFile sibling(String relativeOrAbsolute) throws IOException {
    Path given = new Path(relativeOrAbsolute);
    if (given.isAbsolute() || given.toUri().getScheme() != null) {
      return fetchedIfWeb(new HadoopFile(relativeOrAbsolute, given, fileSystemOf(given, conf), conf, null));
    }
    Path resolved = new Path(path.getParent(), given);
    return fetchedIfWeb(new HadoopFile(resolved.toString(), resolved, fs, conf, null));
  }

  /** The last path component. */
  String fileName() {
    return path.getName();
  }
}
