package org.warpspark.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header that warpspark uses, in either
 * byte order, plus the NIfTI-1 little-endian encoding the writer uses. Field meanings are those of
 * {@code nifti1.h} / {@code nifti2.h}; {@code srow} is the sform's three rows, row-major 3x4 (RAS, mm
 * unless {@code xyztUnits} says otherwise).
 */
record NiftiHeader(
    int version,
    ByteOrder byteOrder,
    long[] dim,
    int datatype,
    double[] pixdim,
    double voxOffset,
    double sclSlope,
    double sclInter,
    int xyztUnits,
    int qformCode,
    int sformCode,
    double[] quatern,
    double[] qoffset,
    double[] srow) {

  static final int NIFTI1_BYTES = 348;
  static final int NIFTI2_BYTES = 540;
  /** NIfTI-1 single files carry a 4-byte extension flag after the header. */
  static final int NIFTI1_DATA_OFFSET = 352;

  static final int XFORM_SCANNER_ANAT = 1;
  static final int UNITS_METER = 1;
  static final int UNITS_MM = 2;
  static final int UNITS_MICRON = 3;

  private static final byte[] MAGIC_NIFTI1 = {'n', '+', '1', 0};
  private static final byte[] MAGIC_NIFTI1_PAIR = {'n', 'i', '1', 0};
  private static final byte[] MAGIC_NIFTI2 = {'n', '+', '2', 0};
  private static final byte[] MAGIC_NIFTI2_PAIR = {'n', 'i', '2', 0};

  /**
   * The header length announced by the first four bytes ({@code sizeof_hdr}, 348 or 540), which is
   * also how the byte order is told; {@link CorruptImageException} for anything else.
   */
  static int headerLength(byte[] first4, String source) {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      int size = ByteBuffer.wrap(first4).order(order).getInt();
      if (size == NIFTI1_BYTES || size == NIFTI2_BYTES) {
        return size;
      }
    }
    throw new CorruptImageException(source, "not a NIfTI file: sizeof_hdr is "
        + ByteBuffer.wrap(first4).order(ByteOrder.LITTLE_ENDIAN).getInt() + " (expected 348 or 540 in either byte order)");
  }

  /** {@code intent_code} of a whole header's bytes (as {@link #parse} takes them). */
  static int intentCode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != bytes.length) {
      b.order(ByteOrder.BIG_ENDIAN);
    }
    return bytes.length == NIFTI1_BYTES ? b.getShort(68) : b.getInt(504);
  }

  /** Parses a whole header ({@link #headerLength} bytes) and checks its magic and dimensions. */
  static NiftiHeader parse(byte[] bytes, String source) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(0) != bytes.length) {
      b.order(ByteOrder.BIG_ENDIAN);
    }
    NiftiHeader header = bytes.length == NIFTI1_BYTES ? parseNifti1(b, source) : parseNifti2(b, source);
    header.checkDimensions(source);
    return header;
  }

  private static NiftiHeader parseNifti1(ByteBuffer b, String source) {
    checkMagic(b, 344, MAGIC_NIFTI1, MAGIC_NIFTI1_PAIR, source);
    long[] dim = new long[8];
    double[] pixdim = new double[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = b.getShort(40 + 2 * i);
      pixdim[i] = b.getFloat(76 + 4 * i);
    }
    double[] srow = new double[12];
    for (int i = 0; i < 12; i++) {
      srow[i] = b.getFloat(280 + 4 * i);
    }
    return new NiftiHeader(1, b.order(), dim, b.getShort(70), pixdim, b.getFloat(108), b.getFloat(112),
        b.getFloat(116), b.get(123) & 0xFF, b.getShort(252), b.getShort(254),
        floats(b, 256, 3), floats(b, 268, 3), srow);
  }

  private static NiftiHeader parseNifti2(ByteBuffer b, String source) {
    checkMagic(b, 4, MAGIC_NIFTI2, MAGIC_NIFTI2_PAIR, source);
    long[] dim = new long[8];
    double[] pixdim = new double[8];
    for (int i = 0; i < 8; i++) {
      dim[i] = b.getLong(16 + 8 * i);
      pixdim[i] = b.getDouble(104 + 8 * i);
    }
    double[] srow = new double[12];
    for (int i = 0; i < 12; i++) {
      srow[i] = b.getDouble(400 + 8 * i);
    }
    return new NiftiHeader(2, b.order(), dim, b.getShort(12), pixdim, b.getLong(168), b.getDouble(176),
        b.getDouble(184), b.getInt(500), b.getInt(344), b.getInt(348),
        doubles(b, 352, 3), doubles(b, 376, 3), srow);
  }

  private static void checkMagic(ByteBuffer b, int at, byte[] single, byte[] pair, String source) {
    byte[] magic = new byte[4];
    b.get(at, magic);
    if (Arrays.equals(magic, pair)) {
      throw new UnsupportedImageException(source, "is the header of a NIfTI .hdr/.img pair; only single-file NIfTI (n+1, n+2) is supported");
    }
    if (!Arrays.equals(magic, single)) {
      throw new CorruptImageException(source, "bad NIfTI magic " + printable(magic) + " (expected "
          + printable(single) + ")");
    }
  }

  private void checkDimensions(String source) {
    if (dim[0] < 1 || dim[0] > 7) {
      throw new CorruptImageException(source, "dim[0] = " + dim[0] + " is not a dimension count in 1..7");
    }
    for (int i = 1; i <= dim[0]; i++) {
      if (dim[i] < 1) {
        throw new CorruptImageException(source, "dim[" + i + "] = " + dim[i] + " is not a positive size");
      }
    }
  }

  /** dim[i], or 1 past dim[0] (NIfTI leaves unused entries undefined). */
  long size(int axis) {
    return axis <= dim[0] ? dim[axis] : 1;
  }

  /** The pixel type for {@code datatype}; {@link UnsupportedImageException} for the others. */
  PixelType pixelType(String source) {
    PixelType type = NiftiDatatype.toPixelType(datatype);
    if (type == null) {
      throw new UnsupportedImageException(source, "NIfTI datatype " + datatype + " (" + NiftiDatatype.nameOf(datatype)
          + ") is not supported; supported are " + NiftiDatatype.SUPPORTED);
    }
    return type;
  }

  /**
   * Where the voxels start. A NIfTI-1 {@code vox_offset} of 0 is read as 352, as nifti1_io does;
   * an offset inside the header, negative or fractional is corrupt.
   */
  long dataOffset(String source) {
    if (version == 1 && voxOffset == 0) {
      return NIFTI1_DATA_OFFSET;
    }
    int headerBytes = version == 1 ? NIFTI1_BYTES : NIFTI2_BYTES;
    if (!(voxOffset >= headerBytes) || voxOffset != Math.rint(voxOffset) || voxOffset > Long.MAX_VALUE / 2) {
      throw new CorruptImageException(source, "vox_offset " + voxOffset + " is not a whole byte offset past the "
          + headerBytes + "-byte header");
    }
    return (long) voxOffset;
  }

  /** Millimetres per unit of the spatial fields, from {@code xyzt_units}; unknown units are taken as mm. */
  double millimetresPerUnit() {
    return switch (xyztUnits & 0x07) {
      case UNITS_METER -> 1000;
      case UNITS_MICRON -> 1e-3;
      default -> 1;
    };
  }

  /** This header as a little-endian NIfTI-1 single-file header plus its 4-byte empty extension flag. */
  byte[] encodeNifti1() {
    return encodeNifti1(0);
  }

  /** As {@link #encodeNifti1()}, with {@code intent_code} set (e.g. 1007, {@code NIFTI_INTENT_VECTOR}). */
  byte[] encodeNifti1(int intentCode) {
    ByteBuffer b = ByteBuffer.allocate(NIFTI1_DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, NIFTI1_BYTES);
    for (int i = 0; i < 8; i++) {
      b.putShort(40 + 2 * i, (short) dim[i]);
      b.putFloat(76 + 4 * i, (float) pixdim[i]);
    }
    b.putShort(68, (short) intentCode);
    b.putShort(70, (short) datatype);
    b.putShort(72, (short) (8 * NiftiDatatype.toPixelType(datatype).bytes()));
    b.putFloat(108, (float) voxOffset);
    b.putFloat(112, (float) sclSlope);
    b.putFloat(116, (float) sclInter);
    b.put(123, (byte) xyztUnits);
    b.put(148, "warpspark".getBytes(StandardCharsets.US_ASCII));
    b.putShort(252, (short) qformCode);
    b.putShort(254, (short) sformCode);
    for (int i = 0; i < 3; i++) {
      b.putFloat(256 + 4 * i, (float) quatern[i]);
      b.putFloat(268 + 4 * i, (float) qoffset[i]);
    }
    for (int i = 0; i < 12; i++) {
      b.putFloat(280 + 4 * i, (float) srow[i]);
    }
    b.put(344, MAGIC_NIFTI1);
    return b.array();
  }

  private static double[] floats(ByteBuffer b, int at, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = b.getFloat(at + 4 * i);
    }
    return v;
  }

  private static double[] doubles(ByteBuffer b, int at, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = b.getDouble(at + 8 * i);
    }
    return v;
  }

  private static String printable(byte[] magic) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte c : magic) {
      sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c & 0xFF));
    }
    return sb.append('"').toString();
  }
}
