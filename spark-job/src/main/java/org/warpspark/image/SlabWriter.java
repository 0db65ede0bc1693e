package org.warpspark.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.udfs.spatial.Grid;

/**
 * Writes one image slab by slab (whole rows of its last axis, in order), so an image larger than
 * memory can be made a slab at a time: NIfTI files are streamed, header first; other formats are
 * gathered and written whole when closed. Closing checks that every voxel was written.
 */
public final class SlabWriter implements AutoCloseable {
  private final String target;
  private final Grid grid;
  private final PixelType type;
  private final Configuration conf;
  private final HadoopFile file;
  private final OutputStream stream;
  private final float[] gathered;
  private long written;

  private SlabWriter(String target, Grid grid, PixelType type, Configuration conf) throws IOException {
    this.target = target;
    this.grid = grid;
    this.type = type;
    this.conf = conf;
    ImageFormat format = ImageFormat.fromName(target).orElseThrow(() -> new ImageWriteException(target,
        "unknown image file extension; supported are " + ImageFormat.allExtensions()));
    if (format == ImageFormat.NIFTI) {
      NiftiWriter.requireSize(grid, target);
      this.file = HadoopFile.target(target, conf);
      OutputStream raw = file.create();
      try {
        this.stream = target.toLowerCase(Locale.ROOT).endsWith(".gz") ? GzipOutput.forImage(raw) : raw;
        this.stream.write(NiftiWriter.headerFor(grid, type).encodeNifti1());
      } catch (IOException | RuntimeException e) {
        raw.close();
        file.fs().delete(file.path(), false);
        throw e;
      }
      this.gathered = null;
    } else {
      this.file = null;
      this.stream = null;
      this.gathered = new float[Math.toIntExact(grid.voxelCount())];
    }
  }

  /** Opens {@code uriOrPath} for an image on {@code grid} stored as {@code type}. */
  public static SlabWriter open(String uriOrPath, Grid grid, PixelType type, Configuration conf) {
    try {
      return new SlabWriter(uriOrPath, grid, type, conf);
    } catch (IOException e) {
      throw new ImageWriteException(uriOrPath, "I/O error: " + e, e);
    }
  }

  /** The next slab's voxels, in the image's memory order. */
  public void write(float[] slab) {
    if (written + slab.length > grid.voxelCount()) {
      throw new IllegalStateException(target + ": more voxels than the image's " + grid.voxelCount());
    }
    VoxelCodec.requireStorable(slab, type, target);
    if (stream == null) {
      System.arraycopy(slab, 0, gathered, (int) written, slab.length);
    } else {
      try {
        VoxelCodec.write(stream, slab, type, ByteOrder.LITTLE_ENDIAN);
      } catch (IOException e) {
        throw new ImageWriteException(target, "I/O error: " + e, e);
      }
    }
    written += slab.length;
  }

  /** Finishes the file; one left incomplete (its maker failed) is deleted rather than left half written. */
  @Override
  public void close() {
    boolean complete = written == grid.voxelCount();
    try {
      if (stream != null) {
        try {
          stream.close();
        } finally {
          if (!complete) {
            file.fs().delete(file.path(), false);
          }
        }
      } else if (complete) {
        ImageFiles.write(new Image(grid, gathered, type), target, conf);
      }
    } catch (IOException e) {
      throw new ImageWriteException(target, "I/O error: " + e, e);
    }
    if (!complete) {
      throw new ImageWriteException(target, "only " + written + " of " + grid.voxelCount() + " voxels were made; "
          + "the file is not written");
    }
  }
}
