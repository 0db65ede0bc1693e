package org.warpspark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What tests set to catch a read or a request that must not happen: a named pipe stands for a file that
 * must not be opened (opening it blocks, so the test times out), and a listening socket must see no
 * connection.
 */
public final class Tripwires {
  private Tripwires() {}

  /** A named pipe at {@code path} (its folder made as needed). */
  public static Path fifo(Path path) throws IOException, InterruptedException {
    Files.createDirectories(path.getParent());
    assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor(), "mkfifo");
    return path;
  }

  /** Fails when anything connected to {@code listener}. */
  public static void assertNoConnection(ServerSocket listener) throws IOException {
    listener.setSoTimeout(200);
    try {
      listener.accept().close();
      throw new AssertionError("a request reached the listener");
    } catch (SocketTimeoutException expected) {
      // nothing connected
    }
  }

  /** Mounts a tmpfs of {@code options} (e.g. {@code size=1m}) at {@code folder}; false where that is not allowed. */
  public static boolean mountTmpfs(Path folder, String options) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    return new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", folder.toString())
        .redirectErrorStream(true).start().waitFor() == 0;
  }

  public static void unmount(Path folder) throws IOException, InterruptedException {
    new ProcessBuilder("umount", folder.toString()).start().waitFor();
  }
}
