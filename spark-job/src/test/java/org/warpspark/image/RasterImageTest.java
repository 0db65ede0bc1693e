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
  void aColourPaletteIsRefused() throws IOException {
    Path file = dir.resolve("palette.png");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED), "png", file.toFile());
    UnsupportedImageException e = assertThrows(UnsupportedImageException.class, () -> ImageFiles.read(file.toString()));
    assertTrue(e.getMessage().contains("palette image with colours"), e.getMessage());
  }

  /** A 1-bit image and a grey palette read as the grey levels they show. */
  @Test
  void greyPalettesReadAsTheirGreyLevels() throws IOException {
    Path binary = dir.resolve("mask.png");
    BufferedImage bits = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_BINARY);
    bits.getRaster().setSample(1, 0, 0, 1);
    bits.getRaster().setSample(4, 2, 0, 1);
    ImageIO.write(bits, "png", binary.toFile());
    float[] expected = new float[15];
    expected[1] = 255;
    expected[14] = 255;
    assertArrayEquals(expected, ImageFiles.read(binary.toString()).voxels());

    byte[] levels = {0, 40, (byte) 200};
    BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED,
        new java.awt.image.IndexColorModel(8, 3, levels, levels, levels));
    for (int x = 0; x < 3; x++) {
      grey.getRaster().setSample(x, 0, 0, 2 - x);
    }
    Path palette = dir.resolve("grey-palette.png");
    ImageIO.write(grey, "png", palette.toFile());
    assertArrayEquals(new float[] {200, 40, 0}, ImageFiles.read(palette.toString()).voxels());
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
