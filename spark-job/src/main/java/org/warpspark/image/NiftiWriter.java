package org.warpspark.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.util.Locale;
import org.warpspark.udfs.spatial.Grid;

/**
 * Writes NIfTI-1 single files, little-endian, gzipped when the name ends in {@code .gz}. The datatype
 * is {@link Image#storedAs()} (values rounded to nearest and clamped for integer types); no
 * rescaling ({@code scl_slope = 1}). Geometry goes into both sform and qform with code 1
 * (scanner anatomical), see {@link NiftiGeometry}; 2D images get {@code dim[0] = 2} as ITK writes them.
 * The header stores float32, so geometry survives a round trip to about 1e-7 relative, not exactly.
 */
final class NiftiWriter {

  private NiftiWriter() {}

  static void write(Image image, HadoopFile file) throws IOException {
    VoxelCodec.requireStorable(image.voxels(), image.storedAs(), file.name());
    requireSize(image.grid(), file.name());
    byte[] header = headerFor(image.grid(), image.storedAs()).encodeNifti1();
    boolean gzip = file.name().toLowerCase(Locale.ROOT).endsWith(".gz");
    try (OutputStream raw = file.create(); OutputStream out = gzip ? GzipOutput.forImage(raw) : raw) {
      out.write(header);
      VoxelCodec.write(out, image.voxels(), image.storedAs(), ByteOrder.LITTLE_ENDIAN);
    }
  }

  static void requireSize(Grid grid, String target) {
    for (int s : grid.size()) {
      if (s > Short.MAX_VALUE) {
        throw new ImageWriteException(target, "NIfTI-1 holds at most " + Short.MAX_VALUE
            + " voxels along an axis, the image has " + s);
      }
    }
  }

  static NiftiHeader headerFor(Grid grid, PixelType type) {
    NiftiGeometry.Xform xform = NiftiGeometry.xformOf(grid);
    int[] size = grid.size();
    long[] dim = {grid.dim(), size[0], size[1], grid.dim() == 3 ? size[2] : 1, 1, 1, 1, 1};
    double[] pixdim = {xform.qfac(), xform.spacing3()[0], xform.spacing3()[1], xform.spacing3()[2], 1, 1, 1, 1};
    return new NiftiHeader(1, ByteOrder.LITTLE_ENDIAN, dim, NiftiDatatype.codeOf(type), pixdim,
        NiftiHeader.NIFTI1_DATA_OFFSET, 1, 0, NiftiHeader.UNITS_MM, NiftiHeader.XFORM_SCANNER_ANAT,
        NiftiHeader.XFORM_SCANNER_ANAT, xform.quatern(), xform.qoffset(), xform.srow());
  }
}
