package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.testing.Tripwires;
import org.warpspark.storage.InputUris;
import org.warpspark.udfs.spatial.Grid;

/**
 * Inputs that try to reach beyond what the user named: a MetaImage header pointing at another file, a
 * folder above, a URL or itself; image URIs of other schemes or with credentials in them. Each is
 * refused before anything is opened: a named pipe stands for the file that must not be read (opening
 * it would block, and the test would time out), and a listening socket must see no connection.
 */
class HostileInputTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY";
  private static final String KEY = "AKIAIOSFODNN7EXAMPLE";

  @TempDir
  Path dir;

  @Test
  void aHeaderMayNameOnlyADataFileBesideIt() throws Exception {
    Path sentinel = Tripwires.fifo(dir.resolve("outside").resolve("sentinel.raw"));
    Files.createDirectories(dir.resolve("in"));
    try (ServerSocket listener = new ServerSocket(0)) {
      List<String> hostile = List.of(sentinel.toString(), "../outside/sentinel.raw", "file:" + sentinel,
          "http://127.0.0.1:" + listener.getLocalPort() + "/x.raw", "h.mhd", "..");
      for (String name : hostile) {
        Path header = Files.writeString(dir.resolve("in/h.mhd"), "NDims = 2\nDimSize = 2 2\n"
            + "ElementType = MET_UCHAR\nElementDataFile = " + name + "\n");
        UnsupportedImageException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
            () -> assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(header.toString())), name);
        assertTrue(e.getMessage().contains("beside the header"), name + ": " + e.getMessage());
      }
      Tripwires.assertNoConnection(listener);
    }
  }

  @Test
  void imagesAreReadOnlyFromPathsAndTheAllowedFileSystems() throws Exception {
    try (ServerSocket listener = new ServerSocket(0)) {
      for (String scheme : List.of("http", "https", "ftp")) {
        String uri = scheme + "://127.0.0.1:" + listener.getLocalPort() + "/f.nii.gz";
        UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(uri));
        assertTrue(e.getMessage().contains("not read over '" + scheme + ":'"), e.getMessage());
      }
      Tripwires.assertNoConnection(listener);
    }
  }

  @Test
  void credentialsInAnImageUriAreRefusedAndNeverRepeated() {
    for (String uri : List.of("s3a://" + KEY + ":" + SECRET + "@bucket/f.nii.gz", "s3a://" + KEY + "@bucket/f.nii.gz",
        "hdfs://" + KEY + ":" + SECRET + "@namenode:8020/f.nii.gz")) {
      UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(uri));
      assertTrue(e.getMessage().contains("holds credentials"), e.getMessage());
      assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains(KEY), e.getMessage());
      assertFalse(InputUris.redacted(uri).contains(SECRET) || InputUris.redacted(uri).contains(KEY), uri);
    }
    assertEquals("s3a://***@bucket/f.nii.gz", InputUris.redacted("s3a://" + KEY + ":" + SECRET + "@bucket/f.nii.gz"));
  }

  @Test
  void aNamedPipeIsRefusedInsteadOfReadForever() throws Exception {
    Path pipe = Tripwires.fifo(dir.resolve("pipe.nii.gz"));
    UnsupportedImageException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(pipe.toString())));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  /** The gzip trailer's CRC-32 of the decompressed bytes is checked: corrupted voxels are not read as good. */
  @Test
  void aGzippedImageWithAWrongChecksumIsCorrupt() throws IOException {
    Path good = dir.resolve("good.nii.gz");
    ImageFiles.write(Image.of(new Grid(new int[] {5, 4}, new double[] {1, 1}, new double[2], new double[] {1, 0, 0,
        1}), new float[20]), good.toString());
    assertEquals(20, ImageFiles.read(good.toString()).voxels().length);
    byte[] bytes = Files.readAllBytes(good);
    bytes[bytes.length - 8] ^= 0x5a; // the trailer: CRC-32, then the length, both little-endian
    Path bad = Files.write(dir.resolve("bad.nii.gz"), bytes);
    CorruptImageException e = assertThrows(CorruptImageException.class, () -> ImageFiles.read(bad.toString()));
    assertTrue(e.getMessage().contains("bad.nii.gz") && e.getMessage().contains("corrupt"), e.getMessage());
  }

  /** A TIFF whose directory chain points back at itself is refused instead of followed forever. */
  @Test
  void aTiffWhoseDirectoriesLoopIsRefused() throws Exception {
    Path good = dir.resolve("good.tif");
    assertTrue(ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY), "tiff", good.toFile()));
    assertEquals(12, ImageFiles.read(good.toString()).voxels().length);
    ByteBuffer tiff = ByteBuffer.wrap(Files.readAllBytes(good));
    tiff.order(tiff.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int first = tiff.getInt(4);
    int entries = Short.toUnsignedInt(tiff.getShort(first));
    tiff.putInt(first + 2 + 12 * entries, first); // the next directory is this one again
    Path looped = Files.write(dir.resolve("looped.tif"), tiff.array());
    CorruptImageException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(CorruptImageException.class, () -> ImageFiles.read(looped.toString())));
    assertTrue(e.getMessage().contains("loops back"), e.getMessage());
  }

  @Test
  void ordinaryLocationsPass() {
    for (String uri : List.of("s3a://bucket/scans/a@2x.nii.gz", "/data/a@b.nii.gz", "rel/a.nii.gz",
        "file:/tmp/a.nii.gz", "hdfs://namenode:8020/a.nii.gz")) {
      assertFalse(InputUris.holdsCredentials(uri), uri);
      assertNull(InputUris.refusedScheme(uri), uri);
      assertEquals(uri, InputUris.redacted(uri));
    }
  }
}
