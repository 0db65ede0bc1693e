package org.warpspark.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.util.Locale;
import org.warpspark.udfs.spatial.DisplacementField;
import org.warpspark.udfs.spatial.Grid;

/**
 * Writes a {@link DisplacementField} the way ITK (and so elastix, ANTs) reads a displacement field
 * from NIfTI: a 5-D float32 image, {@code dim = [5, nx, ny, nz, 1, d]} ({@code nz = 1} in 2D),
 * {@code intent_code = 1007} ({@code NIFTI_INTENT_VECTOR}), the fixed grid's geometry in sform and
 * qform, and the components stored as they are, in <b>LPS</b> millimetres (ITK does not flip vector
 * components to RAS), one whole component volume after another.
 */
final class NiftiDisplacementFieldWriter {
  static final int INTENT_VECTOR = 1007;

  private NiftiDisplacementFieldWriter() {}

  static void write(DisplacementField field, HadoopFile file) throws IOException {
    Grid grid = field.grid();
    int d = grid.dim();
    NiftiHeader scalar = NiftiWriter.headerFor(grid, PixelType.FLOAT32);
    long[] dim = scalar.dim().clone();
    dim[0] = 5;
    dim[3] = d == 3 ? dim[3] : 1;
    dim[4] = 1;
    dim[5] = d;
    double[] pixdim = scalar.pixdim().clone();
    pixdim[4] = 1;
    pixdim[5] = 1;
    NiftiHeader header = new NiftiHeader(1, ByteOrder.LITTLE_ENDIAN, dim, scalar.datatype(), pixdim,
        scalar.voxOffset(), 1, 0, scalar.xyztUnits(), scalar.qformCode(), scalar.sformCode(), scalar.quatern(),
        scalar.qoffset(), scalar.srow());
    boolean gzip = file.name().toLowerCase(Locale.ROOT).endsWith(".gz");
    try (OutputStream raw = file.create(); OutputStream out = gzip ? GzipOutput.forField(raw) : raw) {
      out.write(header.encodeNifti1(INTENT_VECTOR));
      for (float[] component : field.components()) {
        VoxelCodec.write(out, component, PixelType.FLOAT32, ByteOrder.LITTLE_ENDIAN);
      }
    }
  }
}
