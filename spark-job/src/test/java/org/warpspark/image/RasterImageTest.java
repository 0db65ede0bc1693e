package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.warpspark.image.Fixtures.assertVoxelsEqual;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.warpspark.udfs.spatial.Grid;

/** PNG and TIFF: grayscale only, no geometry. */
class RasterImageTest {
  @TempDir
  Path dir;

  private static final Grid PLAIN = Grid.of(new int[] {7, 5}, new double[] {1, 1}, new double[2]);

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"png, UINT8", "png, UINT16", "tif, UINT8", "tiff, UINT16", "TIF, UINT16"})
  void roundTripKeepsVoxelsAndGivesUnitGeometry(String extension, PixelType type) {
    Image written = Fixtures.image(PLAIN, type);
    String file = dir.resolve("img." + extension).toString();

    ImageFiles.write(written, file);
    Image read = ImageFiles.read(file);

    assertEquals(PLAIN, read.grid());
    assertEquals(type, read.storedAs());
    assertVoxelsEqual(written.voxels(), read.voxels());
  }

  @Test
  void otherStoredTypesBecomeClamped16Bit() {
    float[] values = new float[35];
    values[0] = -40;
    values[1] = 70000;
    values[2] = 12.5f;
    String file = dir.resolve("clamped.png").toString();

    ImageFiles.write(new Image(PLAIN, values, PixelType.FLOAT32), file);
    Image read = ImageFiles.read(file);

    assertEquals(PixelType.UINT16, read.storedAs());
    assertArrayEquals(new float[] {0, 65535, 12}, Arrays.copyOf(read.voxels(), 3));
  }

  @Test
  void indexIsColumnThenRowFromTheTop() throws IOException {
    BufferedImage picture = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    picture.getRaster().setSample(2, 0, 0, 99);
    picture.getRaster().setSample(0, 1, 0, 7);
    Path file = dir.resolve("corner.png");
    ImageIO.write(picture, "png", file.toFile());

    Image img = ImageFiles.read(file.toString());

    assertArrayEquals(new int[] {3, 2}, img.grid().size());
    assertEquals(99, img.voxels()[2]);
    assertEquals(7, img.voxels()[3]);
  }

  @Test
  void readsFloatTiff() throws IOException {
    ComponentColorModel gray = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    WritableRaster raster = gray.createCompatibleWritableRaster(2, 2);
    raster.setSamples(0, 0, 2, 2, 0, new float[] {-1.25f, 0.5f, 3e5f, 7});
    BufferedImage picture = new BufferedImage(gray, raster, false, null);
    Path file = dir.resolve("float.tif");
    assertTrue(ImageIO.write(picture, "tiff", file.toFile()), "JDK TIFF writer takes float");

    Image img = ImageFiles.read(file.toString());

    assertEquals(PixelType.FLOAT32, img.storedAs());
    assertVoxelsEqual(new float[] {-1.25f, 0.5f, 3e5f, 7}, img.voxels());
  }

  @Test
  void colourIsRefusedNotConverted() throws IOException {
    Path file = dir.resolve("rgb.png");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", file.toFile());

    UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(file.toString()));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("3 channels"), e.getMessage());
  }

  @Test
  void paletteIsRefused() throws IOException {
    Path file = dir.resolve("palette.png");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED), "png", file.toFile());
    UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(file.toString()));
    assertTrue(e.getMessage().contains("palette"), e.getMessage());
  }

  @Test
  void multiPageTiffIsRefused() throws IOException {
    Path file = dir.resolve("stack.tif");
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int page = 0; page < 3; page++) {
        writer.writeToSequence(new IIOImage(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), null, null), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }

    UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(file.toString()));
    assertTrue(e.getMessage().contains("3 pages"), e.getMessage());
  }

  @Test
  void threeDimensionalImageCannotBeWrittenAsPng() {
    String file = dir.resolve("vol.png").toString();
    ImageWriteException e = assertThrows(ImageWriteException.class,
        () -> ImageFiles.write(Fixtures.image(Fixtures.grid3d(), PixelType.UINT8), file));
    assertTrue(e.getMessage().contains(file) && e.getMessage().contains("3D"), e.getMessage());
  }

  @Test
  void pictureTooLargeForTheLimitIsRefusedBeforeDecoding() throws IOException {
    Path file = dir.resolve("big.png");
    ImageIO.write(new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY), "png", file.toFile());
    assertThrows(ImageTooLargeException.class,
        () -> ImageFiles.read(file.toString(), ReadLimits.DEFAULT.withMaxVoxels(1000)));
  }
}
