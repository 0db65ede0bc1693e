package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageFormatAndLimitsTest {
  @Test
  void formatComesFromTheExtensionIgnoringCase() {
    assertEquals(Optional.of(ImageFormat.NIFTI), ImageFormat.fromName("s3a://bucket/a/b.NII.GZ"));
    assertEquals(Optional.of(ImageFormat.NIFTI), ImageFormat.fromName("/x/y.nii"));
    assertEquals(Optional.of(ImageFormat.META_IMAGE), ImageFormat.fromName("hdfs://nn/x.MHD"));
    assertEquals(Optional.of(ImageFormat.META_IMAGE), ImageFormat.fromName("x.mha"));
    assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.fromName("x.Png"));
    assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.fromName("x.tif"));
    assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.fromName("x.TIFF"));
    assertEquals(Optional.empty(), ImageFormat.fromName("x.nii.bz2"));
    assertEquals(Optional.empty(), ImageFormat.fromName("x.raw"));
  }

  @Test
  void limitsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new ReadLimits(0, 10, true));
    assertThrows(IllegalArgumentException.class, () -> new ReadLimits(ReadLimits.MAX_ARRAY_VOXELS + 1, 10, true));
    assertThrows(IllegalArgumentException.class, () -> new ReadLimits(10, 0, true));
    assertTrue(ReadLimits.DEFAULT.rejectNonFinite());
    assertEquals(512L * 512 * 512 * 2, ReadLimits.DEFAULT.maxVoxels());
  }

  @Test
  void voxelCountIsCheckedWithoutOverflow() {
    ReadLimits limits = ReadLimits.DEFAULT.withMaxVoxels(1000);
    assertEquals(1000, limits.requireVoxelsWithinLimit("f", new long[] {10, 10, 10}));
    assertThrows(ImageTooLargeException.class, () -> limits.requireVoxelsWithinLimit("f", new long[] {10, 10, 11}));
    assertThrows(ImageTooLargeException.class,
        () -> ReadLimits.DEFAULT.requireVoxelsWithinLimit("f", new long[] {1L << 32, 1L << 32, 1L << 32}));
  }
}
