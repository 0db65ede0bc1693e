package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads and writes go through Hadoop's FileSystem: file: URIs and plain paths reach the same file. */
class FileSystemAccessTest {
  @TempDir
  Path dir;

  @Test
  void fileUriAndPlainPathReadTheSameImage() {
    Image image = Fixtures.image(Fixtures.grid3d(), PixelType.INT16);
    Path file = dir.resolve("scan.nii.gz");
    ImageFiles.write(image, file.toUri().toString(), new Configuration());

    for (String name : new String[] {file.toString(), file.toUri().toString(), "file:" + file}) {
      Image read = ImageFiles.read(name, new Configuration(), ReadLimits.DEFAULT);
      Fixtures.assertVoxelsEqual(image.voxels(), read.voxels());
    }
  }

  @Test
  void mhdThroughAUriFindsItsDataFile() {
    Image image = Fixtures.image(Fixtures.grid2d(), PixelType.FLOAT32);
    String uri = dir.resolve("deep/er/pair.mhd").toUri().toString();
    ImageFiles.write(image, uri);
    assertEquals(image.grid(), ImageFiles.read(uri).grid());
  }

  @Test
  void writingLeavesNoChecksumSideFiles() throws IOException {
    ImageFiles.write(Fixtures.image(Fixtures.grid2d(), PixelType.UINT8), dir.resolve("a.png").toUri().toString());
    ImageFiles.write(Fixtures.image(Fixtures.grid2d(), PixelType.UINT8), dir.resolve("b.mhd").toString());
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".crc")), "no .crc files");
    }
    assertTrue(Files.exists(dir.resolve("b.raw")));
  }
}
