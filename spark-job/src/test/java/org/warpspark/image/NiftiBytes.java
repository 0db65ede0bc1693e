package org.warpspark.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds NIfTI files byte by byte from the layout in nifti1.h / nifti2.h, independently of the
 * production encoder, so tests can make big-endian, NIfTI-2 and deliberately broken files.
 */
public final class NiftiBytes {
  public int version = 1;
  public ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  public long[] dim = {3, 4, 3, 2, 1, 1, 1, 1};
  public int datatype = 16;
  public double[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
  public double voxOffset = -1;
  public double sclSlope = 0;
  public double sclInter = 0;
  public int xyztUnits = 2;
  public int qformCode = 0;
  public int sformCode = 0;
  public double[] quatern = new double[3];
  public double[] qoffset = new double[3];
  public double[] srow = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
  public byte[] magic;
  public byte[] data = new byte[0];

  int headerBytes() {
    return version == 1 ? 348 : 540;
  }

  long dataOffset() {
    return voxOffset >= 0 ? (long) voxOffset : (version == 1 ? 352 : 544);
  }

  byte[] header() {
    ByteBuffer b = ByteBuffer.allocate((int) Math.max(dataOffset(), headerBytes())).order(order);
    return version == 1 ? nifti1(b) : nifti2(b);
  }

  private byte[] nifti1(ByteBuffer b) {
    b.putInt(0, 348);
    for (int i = 0; i < 8; i++) {
      b.putShort(40 + 2 * i, (short) dim[i]);
      b.putFloat(76 + 4 * i, (float) pixdim[i]);
    }
    b.putShort(70, (short) datatype);
    b.putFloat(108, (float) (voxOffset >= 0 ? voxOffset : 352));
    b.putFloat(112, (float) sclSlope);
    b.putFloat(116, (float) sclInter);
    b.put(123, (byte) xyztUnits);
    b.putShort(252, (short) qformCode);
    b.putShort(254, (short) sformCode);
    for (int i = 0; i < 3; i++) {
      b.putFloat(256 + 4 * i, (float) quatern[i]);
      b.putFloat(268 + 4 * i, (float) qoffset[i]);
    }
    for (int i = 0; i < 12; i++) {
      b.putFloat(280 + 4 * i, (float) srow[i]);
    }
    b.put(344, magic != null ? magic : new byte[] {'n', '+', '1', 0});
    return b.array();
  }

  private byte[] nifti2(ByteBuffer b) {
    b.putInt(0, 540);
    b.put(4, magic != null ? magic : new byte[] {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'});
    b.putShort(12, (short) datatype);
    for (int i = 0; i < 8; i++) {
      b.putLong(16 + 8 * i, dim[i]);
      b.putDouble(104 + 8 * i, pixdim[i]);
    }
    b.putLong(168, dataOffset());
    b.putDouble(176, sclSlope);
    b.putDouble(184, sclInter);
    b.putInt(344, qformCode);
    b.putInt(348, sformCode);
    for (int i = 0; i < 3; i++) {
      b.putDouble(352 + 8 * i, quatern[i]);
      b.putDouble(376 + 8 * i, qoffset[i]);
    }
    for (int i = 0; i < 12; i++) {
      b.putDouble(400 + 8 * i, srow[i]);
    }
    b.putInt(500, xyztUnits);
    return b.array();
  }

  /** float32 voxels in this builder's byte order. */
  public NiftiBytes floatData(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    data = b.array();
    datatype = 16;
    return this;
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header());
    out.writeBytes(data);
    return out.toByteArray();
  }

  public Path writeTo(Path file) throws IOException {
    byte[] bytes = bytes();
    if (file.toString().endsWith(".gz")) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
        gz.write(bytes);
      }
      bytes = zipped.toByteArray();
    }
    return Files.write(file, bytes);
  }
}
