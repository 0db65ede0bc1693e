package org.warpspark.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.udfs.spatial.Grid;

/**
 * Writes 2D images as grayscale PNG or TIFF: 8-bit when {@link Image#storedAs()} is UINT8, otherwise
 * 16-bit unsigned; values are rounded to nearest and clamped to the type's range. These formats hold
 * no geometry, so spacing, origin and direction are dropped (with a warning when not the defaults).
 */
final class RasterImageWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RasterImageWriter.class);

  private RasterImageWriter() {}

  static void write(Image image, HadoopFile file, ImageFormat format) throws IOException {
    if (image.dim() != 2) {
      throw new ImageWriteException(file.name(), "is a " + image.dim() + "D image; " + format
          + " holds 2D images only (use NIfTI or MetaImage)");
    }
    PixelType type = image.storedAs() == PixelType.UINT8 ? PixelType.UINT8 : PixelType.UINT16;
    VoxelCodec.requireStorable(image.voxels(), type, file.name());
    warnIfGeometryDropped(image.grid(), file.name());
    BufferedImage picture = toPicture(image, type);
    String formatName = format == ImageFormat.PNG ? "png" : "tiff";
    try (OutputStream out = file.create(); ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      if (!ImageIO.write(picture, formatName, stream)) {
        throw new ImageWriteException(file.name(), "this JVM has no javax.imageio writer for " + formatName);
      }
    }
  }

  private static BufferedImage toPicture(Image image, PixelType type) {
    int[] size = image.grid().size();
    BufferedImage picture = new BufferedImage(size[0], size[1],
        type == PixelType.UINT8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
    float[] voxels = image.voxels();
    int[] samples = new int[voxels.length];
    for (int i = 0; i < voxels.length; i++) {
      samples[i] = (int) VoxelCodec.storable(voxels[i], type);
    }
    picture.getRaster().setSamples(0, 0, size[0], size[1], 0, samples);
    return picture;
  }

  private static void warnIfGeometryDropped(Grid grid, String target) {
    Grid plain = Grid.of(grid.size(), new double[] {1, 1}, new double[2]);
    if (!plain.equals(grid)) {
      LOG.warn("{}: PNG and TIFF carry no geometry; dropping spacing {}, origin {} and direction {}", target,
          Arrays.toString(grid.spacing()), Arrays.toString(grid.origin()), Arrays.toString(grid.direction()));
    }
  }
}
