package org.warpspark.udfs.spatial;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ITK's MATLAB transform file ({@code .mat}), what {@code antsRegistration} writes as
 * {@code 0GenericAffine.mat}: the same transforms as {@link ItkTransformFile}, stored as MATLAB v4
 * variables. Each transform is two variables: one named after its type (e.g.
 * {@code AffineTransform_double_3_3}) holding its parameters, then {@code fixed} holding its fixed
 * parameters. A variable is a header of five 32-bit integers ({@code type, rows, cols, imag,
 * namlen}), its name with a closing NUL, then {@code rows} numbers. {@code type} is
 * {@code 1000 * bigEndian + 10 * single}: 0 for little-endian doubles (what we write), 10 for floats
 * (what {@code antsRegistration --float 1} writes). As ITK's reader does, we accept either byte order and
 * precision, only {@code n x 1} vectors, and ignore the second variable's name.
 */
public final class ItkMatFile {
  private static final int HEADER_BYTES = 20;
  /** Far above any affine file (under 200 bytes): a larger file is not a transform. */
  private static final long MAX_BYTES = 1 << 20;

  private ItkMatFile() {}

  /** The file bytes of {@code fixedToMoving} as an ITK AffineTransform about {@code center} (mm), in doubles. */
  public static byte[] format(Affine fixedToMoving, double[] center) {
    int d = fixedToMoving.dim();
    byte[] parameters = variable("AffineTransform_double_" + d + "_" + d,
        ItkTransformFile.affineParameters(fixedToMoving, center));
    byte[] fixed = variable("fixed", center);
    return ByteBuffer.allocate(parameters.length + fixed.length).put(parameters).put(fixed).array();
  }

  public static void write(Path file, Affine fixedToMoving, double[] center) {
    try {
      Files.write(file, format(fixedToMoving, center));
    } catch (IOException e) {
      throw new TransformFileException("cannot write ITK .mat transform file " + file + ": " + e.getMessage(), e);
    }
  }

  public static Affine read(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new TransformFileException(file + ": " + size + " bytes is too large for an ITK .mat transform file");
      }
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new TransformFileException("cannot read ITK .mat transform file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The {@code fixedToMoving} map of the file's bytes; {@code source} names it in errors. */
  public static Affine parse(byte[] bytes, String source) {
    return ItkTransformFile.compose(entries(bytes, source), source);
  }

  /** The transforms of the file in file order: each a parameters variable followed by its fixed parameters. */
  public static List<ItkTransformFile.Entry> entries(byte[] bytes, String source) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    List<ItkTransformFile.Entry> entries = new ArrayList<>();
    while (in.hasRemaining()) {
      Variable parameters = Variable.read(in, source);
      if (!in.hasRemaining()) {
        throw new TransformFileException(source + ": transform " + parameters.name()
            + " has no variable of fixed parameters after it");
      }
      Variable fixed = Variable.read(in, source);
      entries.add(ItkTransformFile.entry(parameters.name(), parameters.values(), fixed.values(), source));
    }
    return entries;
  }

  /** One little-endian double {@code n x 1} variable. */
  private static byte[] variable(String name, double[] values) {
    byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + ascii.length + 1 + 8 * values.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0).putInt(values.length).putInt(1).putInt(0).putInt(ascii.length + 1).put(ascii).put((byte) 0);
    for (double v : values) {
      out.putDouble(v);
    }
    return out.array();
  }

  private record Variable(String name, double[] values) {
    static Variable read(ByteBuffer in, String source) {
      String where = source + " at byte " + in.position();
      if (in.remaining() < HEADER_BYTES) {
        throw new TransformFileException(where + ": truncated MATLAB v4 variable header");
      }
      // The type code reads as one of 0, 10, 1000, 1010 in the file's byte order only.
      in.order(ByteOrder.LITTLE_ENDIAN);
      if (!isKnownType(in.getInt(in.position()))) {
        in.order(ByteOrder.BIG_ENDIAN);
      }
      int type = in.getInt();
      if (!isKnownType(type) || (type >= 1000) != (in.order() == ByteOrder.BIG_ENDIAN)) {
        throw new TransformFileException(where + ": MATLAB v4 type code " + type + " is not a numeric vector of "
            + "doubles or floats (0, 10, 1000 or 1010)");
      }
      int rows = in.getInt();
      int cols = in.getInt();
      int imag = in.getInt();
      int nameLength = in.getInt();
      if (cols != 1 || rows < 0) {
        throw new TransformFileException(where + ": a " + rows + " x " + cols
            + " matrix; ITK transform files hold n x 1 vectors");
      }
      if (imag != 0) {
        throw new TransformFileException(where + ": complex values in an ITK transform file");
      }
      if (nameLength < 1 || nameLength > in.remaining()) {
        throw new TransformFileException(where + ": variable name length " + nameLength + " runs past the file");
      }
      byte[] raw = new byte[nameLength];
      in.get(raw);
      if (raw[nameLength - 1] != 0) {
        throw new TransformFileException(where + ": variable name is not NUL-terminated");
      }
      String name = new String(raw, 0, nameLength - 1, StandardCharsets.US_ASCII);
      int width = type % 100 >= 10 ? 4 : 8;
      if ((long) rows * width > in.remaining()) {
        throw new TransformFileException(where + ": variable " + name + " holds " + rows
            + " values but the file ends before them");
      }
      double[] values = new double[rows];
      for (int i = 0; i < rows; i++) {
        values[i] = width == 4 ? in.getFloat() : in.getDouble();
        if (!Double.isFinite(values[i])) {
          throw new TransformFileException(where + ": variable " + name + " holds a non-finite value");
        }
      }
      return new Variable(name, values);
    }

    private static boolean isKnownType(int type) {
      return type == 0 || type == 10 || type == 1000 || type == 1010;
    }
  }
}
