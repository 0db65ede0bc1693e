package org.warpspark.image;

/** NIfTI {@code datatype} codes (nifti1.h) and the {@link PixelType} each maps to. */
final class NiftiDatatype {
  static final String SUPPORTED = "uint8, int8, int16, uint16, int32, float32, float64";

  private NiftiDatatype() {}

  /** The pixel type for a code, or null when warpspark does not read it. */
  static PixelType toPixelType(int code) {
    return switch (code) {
      case 2 -> PixelType.UINT8;
      case 4 -> PixelType.INT16;
      case 8 -> PixelType.INT32;
      case 16 -> PixelType.FLOAT32;
      case 64 -> PixelType.FLOAT64;
      case 256 -> PixelType.INT8;
      case 512 -> PixelType.UINT16;
      default -> null;
    };
  }

  static int codeOf(PixelType type) {
    return switch (type) {
      case UINT8 -> 2;
      case INT16 -> 4;
      case INT32 -> 8;
      case FLOAT32 -> 16;
      case FLOAT64 -> 64;
      case INT8 -> 256;
      case UINT16 -> 512;
    };
  }

  /** The nifti1.h name of a code, for error messages. */
  static String nameOf(int code) {
    return switch (code) {
      case 0 -> "unknown";
      case 1 -> "binary";
      case 2 -> "uint8";
      case 4 -> "int16";
      case 8 -> "int32";
      case 16 -> "float32";
      case 32 -> "complex64";
      case 64 -> "float64";
      case 128 -> "rgb24";
      case 256 -> "int8";
      case 512 -> "uint16";
      case 768 -> "uint32";
      case 1024 -> "int64";
      case 1280 -> "uint64";
      case 1536 -> "float128";
      case 1792 -> "complex128";
      case 2048 -> "complex256";
      case 2304 -> "rgba32";
      default -> "not a NIfTI datatype";
    };
  }
}
