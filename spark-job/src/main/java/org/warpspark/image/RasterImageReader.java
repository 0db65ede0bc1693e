package org.warpspark.image;

import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.warpspark.udfs.spatial.Grid;

/**
 * Reads 2D grayscale PNG and single-page TIFF through javax.imageio: 8-bit as UINT8, 16-bit as UINT16
 * (or INT16 for signed TIFF), and 32-bit integer / float TIFF as INT32 / FLOAT32 / FLOAT64. Colour,
 * colour palettes, alpha, packed sub-byte samples outside a grey palette and multi-page stacks are refused,
 * never converted.
 *
 * <p>These formats carry no geometry: the grid has spacing 1, origin 0 and identity direction, and
 * index {@code (i, j)} is (column, row) with row 0 at the top of the picture.
 */
final class RasterImageReader {
  private RasterImageReader() {}

  static Image read(HadoopFile file, ReadLimits limits) throws IOException {
    return withReader(file, (reader, source) -> decode(reader, limits, source));
  }

  /** The geometry alone (pixel spacing 1, origin 0, as {@link #read} gives): no pixels are decoded. */
  static Grid readGrid(HadoopFile file, ReadLimits limits) throws IOException {
    return withReader(file, (reader, source) -> {
      int[] size = {reader.getWidth(0), reader.getHeight(0)};
      limits.requireVoxelsWithinLimit(source, new long[] {size[0], size[1]});
      return gridOf(size);
    });
  }

  /** What is done with an opened image reader. */
  private interface ReaderWork<T> {
    T apply(ImageReader reader, String source) throws IOException;
  }

  private static <T> T withReader(HadoopFile file, ReaderWork<T> work) throws IOException {
    String source = file.name();
    file.requireExists();
    // Memory cache: javax.imageio would otherwise spill to temp files on the executor.
    try (InputStream in = file.open(); ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
      ImageReader reader = readerFor(stream, source);
      try {
        TiffIfdChain.check(stream, source);
        reader.setInput(stream, false, true);
        return work.apply(reader, source);
      } catch (IIOException | RuntimeException e) {
        // javax.imageio reports malformed files with assorted runtime exceptions as well as IIOException.
        if (e instanceof ImageReadException readError) {
          throw readError;
        }
        throw new CorruptImageException(source, "not a valid " + reader.getFormatName() + " file: " + e, e);
      } finally {
        reader.dispose();
      }
    }
  }

  private static ImageReader readerFor(ImageInputStream stream, String source) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
    if (!readers.hasNext()) {
      throw new CorruptImageException(source, "content is not a PNG or TIFF image (no javax.imageio reader recognises it)");
    }
    return readers.next();
  }

  private static Image decode(ImageReader reader, ReadLimits limits, String source) throws IOException {
    int pages = reader.getNumImages(true);
    if (pages != 1) {
      throw new UnsupportedImageException(source, "has " + pages + " pages; only single-page 2D images are "
          + "supported (store stacks as NIfTI or MetaImage)");
    }
    int width = reader.getWidth(0);
    int height = reader.getHeight(0);
    limits.requireVoxelsWithinLimit(source, new long[] {width, height});
    RenderedImage picture = reader.read(0);
    Raster raster = picture.getData();
    float[] voxels = raster.getSamples(raster.getMinX(), raster.getMinY(), width, height, 0, new float[width * height]);
    if (picture.getColorModel() instanceof IndexColorModel palette) {
      return new Image(gridOf(new int[] {width, height}), greyLevels(palette, voxels, source), PixelType.UINT8);
    }
    PixelType type = grayscaleType(picture, raster, source);
    return new Image(gridOf(new int[] {width, height}), voxels, type);
  }

  private static Grid gridOf(int[] size) {
    return Grid.of(size, new double[] {1, 1}, new double[2]);
  }

  /**
   * A palette image whose entries are all grey (1-, 2-, 4- or 8-bit grayscale PNGs decode so, and ITK's
   * example images are stored so) as the grey levels it shows; a palette of colours is refused.
   */
  private static float[] greyLevels(IndexColorModel palette, float[] indices, String source) {
    for (int i = 0; i < palette.getMapSize(); i++) {
      if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)
          || palette.getAlpha(i) != 255) {
        throw new UnsupportedImageException(source, "is a palette image with colours (entry " + i + " is not an "
            + "opaque grey); only grayscale is supported, convert to grayscale first");
      }
    }
    float[] grey = new float[indices.length];
    for (int i = 0; i < indices.length; i++) {
      grey[i] = palette.getRed((int) indices[i]);
    }
    return grey;
  }

  private static PixelType grayscaleType(RenderedImage picture, Raster raster, String source) {
    int bands = raster.getNumBands();
    if (bands != 1) {
      throw new UnsupportedImageException(source, "has " + bands + " channels (colour or alpha); only "
          + "single-channel grayscale images are supported, convert to grayscale first");
    }
    int dataType = raster.getDataBuffer().getDataType();
    int bits = raster.getSampleModel().getSampleSize(0);
    if (bits != DataBuffer.getDataTypeSize(dataType)) {
      throw new UnsupportedImageException(source, "has " + bits + "-bit samples; only 8-, 16- and 32-bit samples are supported");
    }
    return switch (dataType) {
      case DataBuffer.TYPE_BYTE -> PixelType.UINT8;
      case DataBuffer.TYPE_USHORT -> PixelType.UINT16;
      case DataBuffer.TYPE_SHORT -> PixelType.INT16;
      case DataBuffer.TYPE_INT -> PixelType.INT32;
      case DataBuffer.TYPE_FLOAT -> PixelType.FLOAT32;
      case DataBuffer.TYPE_DOUBLE -> PixelType.FLOAT64;
      default -> throw new UnsupportedImageException(source, "has an unsupported sample type (DataBuffer type " + dataType + ")");
    };
  }
}
