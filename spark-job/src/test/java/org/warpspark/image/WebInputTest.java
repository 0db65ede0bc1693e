package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.storage.InputUris;
import org.warpspark.storage.OutputFolder;
import org.warpspark.udfs.spatial.Grid;

/**
 * Web servers are an input only when a run opts in ({@code --input-schemes}): by default an
 * {@code http:} location is refused without a request; opted in, NIfTI and MetaImage (header and data
 * file beside it) read as they do from disk. Outputs never go to a web server.
 */
class WebInputTest {
  @TempDir
  Path dir;
  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serve() throws IOException {
    Image image = Image.of(new Grid(new int[] {6, 5}, new double[] {1.5, 2}, new double[] {-3, 4},
        new double[] {1, 0, 0, 1}), ramp(30));
    ImageFiles.write(image, dir.resolve("a.nii.gz").toString());
    ImageFiles.write(image, dir.resolve("b.mhd").toString());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
      if (!Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String name) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
  }

  private static float[] ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i * 0.5f;
    }
    return v;
  }

  @Test
  void byDefaultAWebLocationIsRefusedWithoutARequest() {
    UnsupportedImageException e = assertThrows(UnsupportedImageException.class,
        () -> ImageFiles.read(url("a.nii.gz"), new Configuration(), ReadLimits.DEFAULT));
    assertTrue(e.getMessage().contains("not read over 'http:'") && e.getMessage().contains("--input-schemes can add "
        + "http"), e.getMessage());
    assertEquals(0, requests.get());
  }

  @Test
  void optedInNiftiAndMetaImageReadAsFromDisk() {
    Configuration conf = new Configuration();
    conf.set(InputUris.SCHEMES_KEY, "file,hdfs,s3a,http");
    Image local = ImageFiles.read(dir.resolve("a.nii.gz").toString());
    Image web = ImageFiles.read(url("a.nii.gz"), conf, ReadLimits.DEFAULT);
    assertArrayEquals(local.voxels(), web.voxels());
    assertTrue(web.grid().sameGeometry(local.grid(), 1e-6));
    assertArrayEquals(local.voxels(), ImageFiles.read(url("b.mhd"), conf, ReadLimits.DEFAULT).voxels(),
        "the header and the data file beside it");
    assertTrue(requests.get() >= 3);
    ImageNotFoundException missing = assertThrows(ImageNotFoundException.class,
        () -> ImageFiles.read(url("nothere.nii.gz"), conf, ReadLimits.DEFAULT));
    assertTrue(missing.getMessage().contains("nothere.nii.gz"), missing.getMessage());
  }

  @Test
  void schemesAreAClosedListAndOutputsNeverGoToAWebServer() {
    assertEquals("--input-schemes: 'ftp' is not one of [file, hdfs, s3a] or [http, https]",
        assertThrows(IllegalArgumentException.class, () -> InputUris.parse("file,ftp")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new OutputFolder(url("out"), new Configuration()))
        .getMessage().contains("outputs are written to paths or URIs of file, hdfs, s3a, not 'http:'"));
    assertEquals(0, requests.get());
  }
}
