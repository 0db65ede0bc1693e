package org.warpspark.testing;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A file system whose every call blocks, deaf to interrupts, until {@link #release()}: what a stalled
 * NFS or FUSE mount does to a thread in {@code open()}. Installed for a scheme with
 * {@code fs.<scheme>.impl}.
 */
public final class StalledFileSystem extends FileSystem {
  private static volatile CountDownLatch stall = new CountDownLatch(1);
  private URI uri;

  /** Lets every blocked call go on (it then fails). */
  public static void release() {
    stall.countDown();
  }

  public static void rearm() {
    stall = new CountDownLatch(1);
  }

  @Override
  public void initialize(URI name, org.apache.hadoop.conf.Configuration conf) {
    this.uri = URI.create(name.getScheme() + "://" + name.getAuthority());
    setConf(conf);
  }

  private static <T> T block() throws java.io.IOException {
    CountDownLatch latch = stall;
    boolean done = false;
    while (!done) {
      try {
        latch.await();
        done = true;
      } catch (InterruptedException ignored) {
        // a kernel read does not notice interrupts either
      }
    }
    throw new java.io.IOException("the stalled mount came back, too late");
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws java.io.IOException {
    return block();
  }

  @Override
  public FileStatus getFileStatus(Path f) throws java.io.IOException {
    return block();
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws java.io.IOException {
    return block();
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws java.io.IOException {
    return block();
  }

  @Override
  public boolean rename(Path src, Path dst) throws java.io.IOException {
    return block();
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws java.io.IOException {
    return block();
  }

  @Override
  public FileStatus[] listStatus(Path f) throws java.io.IOException {
    return block();
  }

  @Override
  public void setWorkingDirectory(Path dir) {}

  @Override
  public Path getWorkingDirectory() {
    return new Path(uri);
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws java.io.IOException {
    return block();
  }
}
