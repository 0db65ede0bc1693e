package org.warpspark.udfs.spatial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ITK's text transform file ({@code .tfm}, "Insight Transform File V1.0") for a {@code fixedToMoving}
 * map: ITK's registration result maps fixed physical points (LPS mm) to moving ones, as ours does
 * (see {@link org.warpspark.udfs.spatial}), so no frame changes are needed.
 *
 * <p>We write one {@code AffineTransform_double_d_d}: {@code Parameters} hold {@code A} row-major then
 * {@code t}, {@code FixedParameters} the centre {@code c}, for {@code T(x) = A (x - c) + c + t}.
 * Numbers are written with {@link Double#toString(double)}, which reads back to the same bits.
 *
 * <p>We read the transforms whose layouts are checked against ITK's sources (see {@link ItkLayouts}):
 * {@code AffineTransform}, {@code MatrixOffsetTransformBase}, {@code Euler3DTransform} (the optional
 * fourth fixed parameter is ITK's ComputeZYX flag), {@code Euler2DTransform}, {@code Rigid2DTransform},
 * {@code VersorRigid3DTransform}, {@code Similarity2DTransform}, {@code Similarity3DTransform},
 * {@code TranslationTransform}, {@code IdentityTransform}, and a {@code CompositeTransform} of those,
 * which ITK applies from the last component to the first. Anything else is refused.
 */
public final class ItkTransformFile {
  public static final String HEADER = "#Insight Transform File V1.0";

  private static final Pattern TYPE = Pattern.compile("([A-Za-z0-9]+)_(double|float)_([0-9]+)_([0-9]+)");

  private ItkTransformFile() {}

  /**
   * One {@code Transform:} block as written in the file; {@code type} is e.g. {@code AffineTransform_double_3_3}.
   * The arrays are owned by the record.
   */
  public record Entry(String type, double[] parameters, double[] fixedParameters) {
    /** The class name without precision and dimensions, e.g. {@code AffineTransform}. */
    public String className() {
      Matcher m = TYPE.matcher(type);
      return m.matches() ? m.group(1) : type;
    }
  }

  /** The file text of {@code fixedToMoving} written as an ITK AffineTransform about {@code center} (mm). */
  public static String format(Affine fixedToMoving, double[] center) {
    int d = fixedToMoving.dim();
    double[] parameters = affineParameters(fixedToMoving, center);
    return HEADER + "\n"
        + "#Transform 0\n"
        + "Transform: AffineTransform_double_" + d + "_" + d + "\n"
        + "Parameters: " + join(parameters) + "\n"
        + "FixedParameters: " + join(center) + "\n";
  }

  public static void write(Path file, Affine fixedToMoving, double[] center) {
    String text = format(fixedToMoving, center);
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TransformFileException("cannot write ITK transform file " + file + ": " + e.getMessage(), e);
    }
  }

  public static Affine read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TransformFileException("cannot read ITK transform file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** The {@code fixedToMoving} map described by the file text; {@code source} names it in errors. */
  public static Affine parse(String text, String source) {
    return compose(entries(text, source), source);
  }

  /**
   * The map of a file's transforms, in file order, as ITK's reader makes it: the only transform, or
   * a {@code CompositeTransform} of those after it, which ITK applies from the last to the first.
   * Shared by every ITK file format ({@code .tfm}, {@link ItkMatFile}).
   */
  static Affine compose(List<Entry> entries, String source) {
    if (entries.isEmpty()) {
      throw new TransformFileException(source + ": no transform in the ITK transform file");
    }
    Entry first = entries.get(0);
    if (!first.className().equals("CompositeTransform")) {
      if (entries.size() > 1) {
        throw new TransformFileException(source + ": " + entries.size()
            + " transforms without a CompositeTransform; which one is meant is ambiguous");
      }
      return toAffine(first, source);
    }
    int d = dimension(first, source);
    if (first.parameters().length > 0 || first.fixedParameters().length > 0) {
      // ITK's .mat writer stores a composite as one variable of all its components' parameters.
      throw new TransformFileException(source + ": a CompositeTransform with parameters of its own; its components "
          + "are not in the file (ITK cannot read such a file either)");
    }
    Affine composed = Affine.identity(d);
    for (int i = 1; i < entries.size(); i++) {
      Affine component = toAffine(entries.get(i), source + " component " + i);
      if (component.dim() != d) {
        throw new TransformFileException(source + ": component " + i + " is " + component.dim()
            + "D inside a " + d + "D CompositeTransform");
      }
      // ITK applies the queue from back to front: T = T1 o T2 o ... o Tn.
      composed = composed.after(component);
    }
    return composed;
  }

  /**
   * The parameters of {@code fixedToMoving} as an ITK {@code AffineTransform_double_d_d} about
   * {@code center}: {@code A} row-major, then {@code t} with {@code T(x) = A (x - c) + c + t}.
   */
  static double[] affineParameters(Affine fixedToMoving, double[] center) {
    int d = fixedToMoving.dim();
    double[] parameters = Arrays.copyOf(fixedToMoving.linear(), d * d + d);
    System.arraycopy(Centered.translation(fixedToMoving, center), 0, parameters, d * d, d);
    return parameters;
  }

  /** The transform blocks of the file, in file order, following ITK's {@code TxtTransformIO} syntax. */
  public static List<Entry> entries(String text, String source) {
    List<Entry> entries = new ArrayList<>();
    String type = null;
    double[] parameters = null;
    double[] fixed = null;
    int lineNumber = 0;
    for (String raw : text.split("\r?\n|\r", -1)) {
      lineNumber++;
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new TransformFileException(source + " line " + lineNumber + ": tags must be delimited by ':' in '"
            + line + "'");
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      String where = source + " line " + lineNumber;
      switch (name) {
        case "Transform" -> {
          if (type != null) {
            entries.add(entry(type, parameters, fixed, source));
          }
          type = value;
          parameters = null;
          fixed = null;
        }
        case "Parameters", "FixedParameters" -> {
          if (type == null) {
            throw new TransformFileException(where + ": '" + name + "' before any 'Transform:' line");
          }
          double[] numbers = numbers(value, where);
          if (name.equals("Parameters")) {
            parameters = numbers;
          } else {
            fixed = numbers;
          }
        }
        case "ComponentTransformFile" -> throw new TransformFileException(where
            + ": composite files that reference component files are not supported");
        default -> {
          // ITK's reader ignores tags it does not know; so do we.
        }
      }
    }
    if (type != null) {
      entries.add(entry(type, parameters, fixed, source));
    }
    return entries;
  }

  static Entry entry(String type, double[] parameters, double[] fixed, String source) {
    boolean composite = type.startsWith("CompositeTransform");
    if (!composite && (parameters == null || fixed == null)) {
      throw new TransformFileException(source + ": transform " + type
          + " needs both a 'Parameters:' and a 'FixedParameters:' line");
    }
    return new Entry(type, parameters == null ? new double[0] : parameters, fixed == null ? new double[0] : fixed);
  }

  static Affine toAffine(Entry e, String source) {
    int d = dimension(e, source);
    String what = source + " (" + e.type() + ")";
    double[] p = e.parameters();
    return switch (e.className()) {
      case "AffineTransform", "MatrixOffsetTransformBase" -> ItkLayouts.matrixOffset(p, center(e, d, what), d, what);
      case "Euler3DTransform" -> ItkLayouts.euler3D(p, center(requireDim(e, d, 3, what), d, what),
          computeZyx(e, what), what);
      case "Euler2DTransform", "Rigid2DTransform" -> ItkLayouts.rigid2D(p, center(requireDim(e, d, 2, what), d, what),
          what);
      case "Similarity2DTransform" -> ItkLayouts.similarity2D(p, center(requireDim(e, d, 2, what), d, what), what);
      case "VersorRigid3DTransform" -> ItkLayouts.versorRigid3D(p, center(requireDim(e, d, 3, what), d, what),
          what);
      case "Similarity3DTransform" -> ItkLayouts.similarity3D(p, center(requireDim(e, d, 3, what), d, what), what);
      case "TranslationTransform" -> ItkLayouts.translation(p, d, what);
      case "IdentityTransform" -> Affine.identity(d);
      case "CompositeTransform" -> throw new TransformFileException(what + ": nested CompositeTransform");
      default -> throw new TransformFileException(what + ": unsupported transform type; supported are "
          + "AffineTransform, MatrixOffsetTransformBase, Euler3DTransform, Euler2DTransform, Rigid2DTransform, "
          + "Similarity2DTransform, VersorRigid3DTransform, Similarity3DTransform, TranslationTransform, "
          + "IdentityTransform and a CompositeTransform of them");
    };
  }

  static int dimension(Entry e, String source) {
    Matcher m = TYPE.matcher(e.type());
    if (!m.matches()) {
      throw new TransformFileException(source + ": transform type '" + e.type()
          + "' is not of the form Name_double_D_D");
    }
    int in = Integer.parseInt(m.group(3));
    int out = Integer.parseInt(m.group(4));
    if (in != out || (in != 2 && in != 3)) {
      throw new TransformFileException(source + ": transform type '" + e.type()
          + "' must map 2D to 2D or 3D to 3D");
    }
    return in;
  }

  private static Entry requireDim(Entry e, int d, int expected, String what) {
    if (d != expected) {
      throw new TransformFileException(what + ": this transform exists only in " + expected + "D");
    }
    return e;
  }

  private static double[] center(Entry e, int d, String what) {
    double[] fixed = e.fixedParameters();
    if (fixed.length < d) {
      throw new TransformFileException(what + ": FixedParameters must hold the " + d
          + " centre coordinates, got " + Arrays.toString(fixed));
    }
    return Arrays.copyOf(fixed, d);
  }

  /** ITK writes a fourth fixed parameter, 1 for ComputeZYX; older files omit it (false). */
  private static boolean computeZyx(Entry e, String what) {
    double[] fixed = e.fixedParameters();
    if (fixed.length == 3) {
      return false;
    }
    if (fixed.length == 4) {
      return fixed[3] != 0;
    }
    throw new TransformFileException(what + ": Euler3DTransform takes 3 or 4 fixed parameters, got "
        + Arrays.toString(fixed));
  }

  private static double[] numbers(String value, String where) {
    if (value.isEmpty()) {
      return new double[0];
    }
    String[] tokens = value.split("\\s+");
    double[] v = new double[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      try {
        v[i] = Double.parseDouble(tokens[i]);
      } catch (NumberFormatException e) {
        throw new TransformFileException(where + ": '" + tokens[i] + "' is not a number", e);
      }
      if (!Double.isFinite(v[i])) {
        throw new TransformFileException(where + ": non-finite value '" + tokens[i] + "'");
      }
    }
    return v;
  }

  private static String join(double[] values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(Double.toString(values[i]));
    }
    return b.toString();
  }
}
