package org.warpspark.image;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a reader accepts before it allocates anything, and what it does with non-finite voxels.
 *
 * <p>A header is untrusted input: a few hundred bytes of {@code .nii.gz} can claim 100000^3 voxels.
 * Readers check the claimed voxel count against {@code maxVoxels} and the header length against
 * {@code maxHeaderBytes} right after parsing the header and before allocating the voxel array.
 *
 * @param maxVoxels largest voxel count accepted (at most {@link #MAX_ARRAY_VOXELS}, the largest Java array)
 * @param maxHeaderBytes largest header accepted, in bytes: a NIfTI {@code vox_offset} (header plus
 *     extensions) or a MetaImage text header
 * @param rejectNonFinite whether a NaN or infinite voxel makes the read fail with a
 *     {@link CorruptImageException} naming their count; when false they are loaded as they are and
 *     {@link Image#nonFiniteCount()} tells the caller
 */
public record ReadLimits(long maxVoxels, long maxHeaderBytes, boolean rejectNonFinite) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Java arrays hold at most about {@code Integer.MAX_VALUE} elements. */
  public static final long MAX_ARRAY_VOXELS = Integer.MAX_VALUE - 8L;

  /** Two 512^3 volumes' worth of voxels: 1 GiB of float32. */
  public static final long DEFAULT_MAX_VOXELS = 512L * 512 * 512 * 2;

  /** Large enough for NIfTI extensions carrying a DICOM header, small enough to refuse garbage fast. */
  public static final long DEFAULT_MAX_HEADER_BYTES = 1L << 20;

  public static final ReadLimits DEFAULT = new ReadLimits(DEFAULT_MAX_VOXELS, DEFAULT_MAX_HEADER_BYTES, true);

  public ReadLimits {
    if (maxVoxels < 1 || maxVoxels > MAX_ARRAY_VOXELS) {
      throw new IllegalArgumentException("maxVoxels must be in [1, " + MAX_ARRAY_VOXELS + "], got " + maxVoxels);
    }
    if (maxHeaderBytes < 1) {
      throw new IllegalArgumentException("maxHeaderBytes must be positive, got " + maxHeaderBytes);
    }
  }

  public ReadLimits withMaxVoxels(long newMaxVoxels) {
    return new ReadLimits(newMaxVoxels, maxHeaderBytes, rejectNonFinite);
  }

  public ReadLimits withMaxHeaderBytes(long newMaxHeaderBytes) {
    return new ReadLimits(maxVoxels, newMaxHeaderBytes, rejectNonFinite);
  }

  public ReadLimits withRejectNonFinite(boolean reject) {
    return new ReadLimits(maxVoxels, maxHeaderBytes, reject);
  }

  /**
   * The voxel count of {@code size}, refused with {@link ImageTooLargeException} when it exceeds
   * {@link #maxVoxels} (overflow included). Sizes must already be known to be positive.
   */
  long requireVoxelsWithinLimit(String source, long[] size) {
    long count = 1;
    for (long s : size) {
      if (s > maxVoxels || count > maxVoxels / s) {
        throw new ImageTooLargeException(source, "header claims a grid of " + Arrays.toString(size)
            + " voxels, more than the limit of " + maxVoxels + " voxels");
      }
      count *= s;
    }
    return count;
  }

  /** Refuses a header longer than {@link #maxHeaderBytes} with {@link ImageTooLargeException}. */
  void requireHeaderWithinLimit(String source, long headerBytes) {
    if (headerBytes > maxHeaderBytes) {
      throw new ImageTooLargeException(source, "header is " + headerBytes + " bytes or more, more than the limit of "
          + maxHeaderBytes + " bytes");
    }
  }

  /** Applies the non-finite policy to a freshly read image and returns it. */
  Image checkNonFinite(String source, Image image) {
    if (rejectNonFinite) {
      long bad = image.nonFiniteCount();
      if (bad > 0) {
        throw new CorruptImageException(source, bad + " of " + image.voxels().length
            + " voxels are NaN or infinite (read with rejectNonFinite=false to load them anyway)");
      }
    }
    return image;
  }
}
