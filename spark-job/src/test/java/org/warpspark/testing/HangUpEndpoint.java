package org.warpspark.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback endpoint that accepts connections and hangs up at once, counting them: a store that
 * cannot be reached, where the storage benchmark and the tests see how often a client tried. (A store
 * that never answers costs each try {@code fs.s3a.connection.timeout} instead.)
 */
public final class HangUpEndpoint implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();

  public HangUpEndpoint() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptUntilClosed, "hang-up-endpoint");
    accept.setDaemon(true);
    accept.start();
  }

  private void acceptUntilClosed() {
    while (!socket.isClosed()) {
      try (Socket ignored = socket.accept()) {
        connections.incrementAndGet();
      } catch (IOException e) {
        return;
      }
    }
  }

  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
