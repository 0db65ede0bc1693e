package org.warpspark.udfs.spatial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * elastix/transformix {@code TransformParameters} files for a {@code fixedToMoving} map (elastix uses
 * the same direction and physical frame as we do; see {@link org.warpspark.udfs.spatial}).
 *
 * <p>We write an {@code AffineTransform}: {@code TransformParameters} are {@code A} row-major then
 * {@code t}, about {@code CenterOfRotationPoint c}, for {@code T(x) = A (x - c) + c + t}; the output
 * grid is the fixed {@link Grid}. {@code Direction} is written column by column, as elastix's
 * {@code elxTransformBase.hxx} writes it and {@code elxResamplerBase.hxx} reads it (entry
 * {@code i d + j} is row {@code j}, column {@code i}). The resampler interpolates linearly, like our
 * sampler: a B-spline of order 1, because elastix builds its {@code FinalLinearInterpolator} only on
 * request (off by default in 5.0.1's CMake, absent from Debian's transformix).
 *
 * <p>We read {@code AffineTransform}, {@code EulerTransform} (3D {@code (rx, ry, rz, tx, ty, tz)} with
 * {@code A = Rz Rx Ry}, or {@code Rz Ry Rx} under {@code (ComputeZYX "true")}; 2D {@code (angle, tx, ty)}),
 * {@code SimilarityTransform} (2D {@code (s, angle, tx, ty)}, 3D {@code (vx, vy, vz, tx, ty, tz, s)}) and
 * {@code TranslationTransform}, checked against elastix 5.0.1's {@code itkAdvancedEuler3DTransform.hxx},
 * {@code itkAdvancedRigid2DTransform.hxx}, {@code itkAdvancedSimilarity2DTransform.hxx},
 * {@code itkAdvancedSimilarity3DTransform.hxx} and {@code itkAdvancedMatrixOffsetTransformBase.hxx}.
 */
public final class ElastixTransformParameters {
  private static final String NO_INITIAL_TRANSFORM = "NoInitialTransform";
  private static final int MAX_CHAIN = 64;

  private ElastixTransformParameters() {}

  /**
   * What transformix writes when it applies the file.
   *
   * @param resultImageFormat file extension of the result image, e.g. {@code mha}, {@code nii.gz}
   * @param defaultPixelValue value of fixed voxels that map outside the moving image
   */
  public record Options(String resultImageFormat, double defaultPixelValue) {
    public Options {
      if (resultImageFormat == null || !resultImageFormat.matches("[A-Za-z0-9.]+")) {
        throw new IllegalArgumentException("result image format must be a file extension like mha or nii.gz, got '"
            + resultImageFormat + "'");
      }
      if (!Double.isFinite(defaultPixelValue)) {
        throw new IllegalArgumentException("default pixel value must be finite, got " + defaultPixelValue);
      }
    }

    public static Options defaults() {
      return new Options("mha", 0);
    }
  }

  /** The file for {@code fixedToMoving} about the centre of the fixed grid, with default options. */
  public static String format(Affine fixedToMoving, Grid fixed) {
    return format(fixedToMoving, fixed.centre(), fixed, Options.defaults());
  }

  /** The file for {@code fixedToMoving} written about {@code centerOfRotation} (mm), resampling onto {@code fixed}. */
  public static String format(Affine fixedToMoving, double[] centerOfRotation, Grid fixed, Options options) {
    int d = fixedToMoving.dim();
    if (fixed.dim() != d) {
      throw new IllegalArgumentException("a " + d + "D transform cannot resample onto a " + fixed.dim() + "D grid");
    }
    double[] t = Centered.translation(fixedToMoving, centerOfRotation);
    double[] parameters = Arrays.copyOf(fixedToMoving.linear(), d * d + d);
    System.arraycopy(t, 0, parameters, d * d, d);
    ElastixParameterFile.Writer w = new ElastixParameterFile.Writer()
        .comment("fixedToMoving affine map written by warpspark")
        .strings("Transform", "AffineTransform")
        .integers("NumberOfParameters", parameters.length)
        .numbers("TransformParameters", parameters)
        .numbers("CenterOfRotationPoint", centerOfRotation);
    return resamplingOnto(w, fixed, options).toString();
  }

  /**
   * The file for a dense displacement field ({@code DeformationFieldTransform}: {@code T(x) = x + u(x)},
   * fixed to moving, ITK's convention) stored at {@code fieldFileName}, resampling onto {@code fixed}.
   */
  public static String formatDisplacementField(String fieldFileName, Grid fixed, Options options) {
    ElastixParameterFile.Writer w = new ElastixParameterFile.Writer()
        .comment("fixedToMoving displacement field written by warpspark")
        .strings("Transform", "DeformationFieldTransform")
        .strings("DeformationFieldFileName", fieldFileName)
        .integers("DeformationFieldInterpolationOrder", 1)
        .integers("NumberOfParameters", 0);
    return resamplingOnto(w, fixed, options).toString();
  }

  /**
   * The file for a cubic B-spline ({@code BSplineTransform}) applied after the transform of the file
   * {@code initialTransform} names (null: none), resampling onto {@code fixed}.
   */
  public static String formatBSpline(BSplineTransform spline, String initialTransform, Grid fixed, Options options) {
    int d = spline.dim();
    Grid g = spline.controlGrid();
    int points = Math.toIntExact(g.voxelCount());
    double[] parameters = new double[d * points];
    long[] size = new long[d];
    for (int a = 0; a < d; a++) {
      System.arraycopy(spline.coefficients(a), 0, parameters, a * points, points);
      size[a] = g.size()[a];
    }
    ElastixParameterFile.Writer w = new ElastixParameterFile.Writer()
        .comment("fixedToMoving cubic B-spline written by warpspark")
        .strings("Transform", "BSplineTransform")
        .integers("NumberOfParameters", parameters.length)
        .numbers("TransformParameters", parameters)
        .integers("GridSize", size)
        .integers("GridIndex", new long[d])
        .numbers("GridSpacing", g.spacing())
        .numbers("GridOrigin", g.origin())
        .numbers("GridDirection", columnMajor(g.direction(), d))
        .integers("BSplineTransformSplineOrder", 3)
        .strings("UseCyclicTransform", "false");
    return resamplingOnto(w, fixed, options, initialTransform == null ? NO_INITIAL_TRANSFORM : initialTransform)
        .toString();
  }

  private static ElastixParameterFile.Writer resamplingOnto(ElastixParameterFile.Writer w, Grid fixed, Options options) {
    return resamplingOnto(w, fixed, options, NO_INITIAL_TRANSFORM);
  }

  /** The lines every transform file shares: the initial transform, and the fixed grid to resample onto. */
  private static ElastixParameterFile.Writer resamplingOnto(ElastixParameterFile.Writer w, Grid fixed, Options options,
      String initialTransform) {
    int d = fixed.dim();
    long[] size = new long[d];
    for (int i = 0; i < d; i++) {
      size[i] = fixed.size()[i];
    }
    return w
        .strings("InitialTransformParametersFileName", initialTransform)
        .strings("HowToCombineTransforms", "Compose")
        .integers("FixedImageDimension", d)
        .integers("MovingImageDimension", d)
        .strings("FixedInternalImagePixelType", "float")
        .strings("MovingInternalImagePixelType", "float")
        .integers("Size", size)
        .integers("Index", new long[d])
        .numbers("Spacing", fixed.spacing())
        .numbers("Origin", fixed.origin())
        .numbers("Direction", columnMajor(fixed.direction(), d))
        .strings("UseDirectionCosines", "true")
        .strings("ResampleInterpolator", "FinalBSplineInterpolator")
        .integers("FinalBSplineInterpolationOrder", 1)
        .strings("Resampler", "DefaultResampler")
        .numbers("DefaultPixelValue", options.defaultPixelValue())
        .strings("ResultImageFormat", options.resultImageFormat())
        .strings("ResultImagePixelType", "float")
        .strings("CompressResultImage", "false");
  }

  public static void write(Path file, Affine fixedToMoving, double[] centerOfRotation, Grid fixed, Options options) {
    String text = format(fixedToMoving, centerOfRotation, fixed, options);
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TransformFileException("cannot write elastix parameter file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code fixedToMoving} map of a parameter file, following its {@code InitialTransformParametersFileName}
   * chain: a relative name is tried as given (elastix resolves it against the working directory), then
   * next to {@code file}. {@code HowToCombineTransforms "Compose"} gives {@code current(initial(x))},
   * {@code "Add"} gives {@code current(x) + initial(x) - x}, as elastix's {@code AdvancedCombinationTransform}.
   */
  public static Affine read(Path file) {
    return read(file, 0);
  }

  private static Affine read(Path file, int depth) {
    if (depth > MAX_CHAIN) {
      throw new TransformFileException(file + ": initial-transform chain longer than " + MAX_CHAIN
          + " files (a cycle?)");
    }
    Map<String, List<String>> p = ElastixParameterFile.parse(readText(file), file.toString());
    Affine current = currentTransform(p, file.toString());
    String initialName = string(p, "InitialTransformParametersFileName", NO_INITIAL_TRANSFORM);
    if (initialName.equals(NO_INITIAL_TRANSFORM)) {
      return current;
    }
    Affine initial = read(resolve(file, initialName), depth + 1);
    return combine(current, initial, string(p, "HowToCombineTransforms", "Compose"), file.toString());
  }

  /**
   * The {@code fixedToMoving} map of one parsed parameter file that has no initial transform;
   * {@code source} names it in errors.
   */
  public static Affine toFixedToMoving(Map<String, List<String>> parameters, String source) {
    String initialName = string(parameters, "InitialTransformParametersFileName", NO_INITIAL_TRANSFORM);
    if (!initialName.equals(NO_INITIAL_TRANSFORM)) {
      throw new TransformFileException(source + ": has initial transform '" + initialName
          + "'; read the file with read(Path) to follow the chain");
    }
    return currentTransform(parameters, source);
  }

  /**
   * The file's own transform as one step of a chain, its initial transform (if any) left to the caller:
   * an affine, or a {@code BSplineTransform} whose control grid holds at most {@code maxPoints} points.
   */
  public static FixedToMoving ownTransform(Map<String, List<String>> parameters, String source, long maxPoints) {
    if (!"BSplineTransform".equals(string(parameters, "Transform", null))) {
      return new FixedToMoving.Linear(currentTransform(parameters, source));
    }
    int d = dimension(parameters, source);
    return new FixedToMoving.Spline(BSplineTransform.ofElastix(parameters, d, maxPoints, source));
  }

  /** The file's {@code InitialTransformParametersFileName}, or null when it has none. */
  public static String initialTransform(Map<String, List<String>> parameters) {
    String name = string(parameters, "InitialTransformParametersFileName", NO_INITIAL_TRANSFORM);
    return name.equals(NO_INITIAL_TRANSFORM) ? null : name;
  }

  /** Whether the file composes with its initial transform ({@code current(initial(x))}) rather than adding to it. */
  public static boolean composesWithInitial(Map<String, List<String>> parameters) {
    return string(parameters, "HowToCombineTransforms", "Compose").equals("Compose");
  }

  /** The output grid of a parameter file ({@code Size}, {@code Index}, {@code Spacing}, {@code Origin}, {@code Direction}). */
  public static Grid fixedGrid(Map<String, List<String>> parameters, String source) {
    int d = dimension(parameters, source);
    double[] sizes = numbers(parameters, "Size", d, null, source);
    double[] index = numbers(parameters, "Index", d, new double[d], source);
    double[] spacing = numbers(parameters, "Spacing", d, filled(d, 1), source);
    double[] origin = numbers(parameters, "Origin", d, new double[d], source);
    double[] direction = rowMajorFromColumnMajor(
        numbers(parameters, "Direction", d * d, columnMajor(Affine.identity(d).linear(), d), source), d);
    int[] size = new int[d];
    for (int i = 0; i < d; i++) {
      if (sizes[i] != Math.rint(sizes[i]) || sizes[i] < 1 || sizes[i] > Integer.MAX_VALUE) {
        throw new TransformFileException(source + ": (Size ...) must hold positive integers, got "
            + Arrays.toString(sizes));
      }
      size[i] = (int) sizes[i];
    }
    Grid start = new Grid(size, spacing, origin, direction);
    // Our grids start at index 0: move the origin to the voxel elastix numbers Index.
    return new Grid(size, spacing, start.indexToPhysical().apply(index), direction);
  }

  private static Affine currentTransform(Map<String, List<String>> p, String source) {
    int d = dimension(p, source);
    if (string(p, "UseDirectionCosines", "true").equals("false")) {
      throw new TransformFileException(source + ": UseDirectionCosines \"false\" puts the transform in a frame"
          + " that ignores the images' direction cosines; only physical-space transforms are supported");
    }
    String transform = string(p, "Transform", null);
    if (transform == null) {
      throw new TransformFileException(source + ": no (Transform ...) parameter");
    }
    double[] params = numbers(p, "TransformParameters", -1, null, source);
    double[] declared = numbers(p, "NumberOfParameters", 1, new double[] {params.length}, source);
    if (declared[0] != params.length) {
      throw new TransformFileException(source + ": NumberOfParameters " + (long) declared[0] + " but "
          + params.length + " TransformParameters");
    }
    String what = source + " (" + transform + ", " + d + "D)";
    return switch (transform) {
      case "AffineTransform" -> ItkLayouts.matrixOffset(params, center(p, d, source), d, what);
      case "EulerTransform" -> d == 3
          ? ItkLayouts.euler3D(params, center(p, d, source), string(p, "ComputeZYX", "false").equals("true"), what)
          : ItkLayouts.rigid2D(params, center(p, d, source), what);
      case "SimilarityTransform" -> d == 3
          ? ItkLayouts.similarity3D(params, center(p, d, source), what)
          : ItkLayouts.similarity2D(params, center(p, d, source), what);
      case "TranslationTransform" -> ItkLayouts.translation(params, d, what);
      default -> throw new TransformFileException(what + ": unsupported transform; supported are "
          + "BSplineTransform (as a chain step), "
          + "AffineTransform, EulerTransform, SimilarityTransform and TranslationTransform");
    };
  }

  private static Affine combine(Affine current, Affine initial, String how, String source) {
    if (current.dim() != initial.dim()) {
      throw new TransformFileException(source + ": a " + current.dim() + "D transform cannot combine with a "
          + initial.dim() + "D initial transform");
    }
    if (how.equals("Compose")) {
      return current.after(initial);
    }
    if (how.equals("Add")) {
      int d = current.dim();
      double[] a = current.linear();
      double[] b = initial.linear();
      double[] o = current.translation();
      double[] q = initial.translation();
      for (int i = 0; i < d * d; i++) {
        a[i] += b[i] - (i % (d + 1) == 0 ? 1 : 0);
      }
      for (int i = 0; i < d; i++) {
        o[i] += q[i];
      }
      return Affine.of(a, o);
    }
    throw new TransformFileException(source + ": HowToCombineTransforms must be \"Compose\" or \"Add\", got \""
        + how + "\"");
  }

  private static int dimension(Map<String, List<String>> p, String source) {
    double fixed = numbers(p, "FixedImageDimension", 1, null, source)[0];
    double moving = numbers(p, "MovingImageDimension", 1, new double[] {fixed}, source)[0];
    if (fixed != moving || (fixed != 2 && fixed != 3)) {
      throw new TransformFileException(source + ": FixedImageDimension " + fixed + " and MovingImageDimension "
          + moving + " must both be 2 or both be 3");
    }
    return (int) fixed;
  }

  private static double[] center(Map<String, List<String>> p, int d, String source) {
    if (!p.containsKey("CenterOfRotationPoint")) {
      throw new TransformFileException(source + ": no CenterOfRotationPoint (elastix refuses such files too)");
    }
    return numbers(p, "CenterOfRotationPoint", d, null, source);
  }

  static String string(Map<String, List<String>> p, String name, String fallback) {
    List<String> v = p.get(name);
    return v == null || v.isEmpty() ? fallback : v.get(0);
  }

  /** {@code count} numbers of {@code name} ({@code -1}: any count); {@code fallback} when absent, or an error if null. */
  static double[] numbers(Map<String, List<String>> p, String name, int count, double[] fallback, String source) {
    List<String> v = p.get(name);
    if (v == null) {
      if (fallback == null) {
        throw new TransformFileException(source + ": missing parameter (" + name + " ...)");
      }
      return fallback;
    }
    if (count >= 0 && v.size() != count) {
      throw new TransformFileException(source + ": (" + name + " ...) must hold " + count + " values, got " + v);
    }
    double[] x = new double[v.size()];
    for (int i = 0; i < x.length; i++) {
      try {
        x[i] = Double.parseDouble(v.get(i));
      } catch (NumberFormatException e) {
        throw new TransformFileException(source + ": (" + name + " ...) value '" + v.get(i) + "' is not a number", e);
      }
      if (!Double.isFinite(x[i])) {
        throw new TransformFileException(source + ": (" + name + " ...) value '" + v.get(i) + "' is not finite");
      }
    }
    return x;
  }

  private static Path resolve(Path file, String name) {
    Path given = Path.of(name);
    if (given.isAbsolute() || Files.exists(given)) {
      return given;
    }
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? given : parent.resolve(given);
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TransformFileException("cannot read elastix parameter file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Entry {@code i d + j} = {@code m[j][i]}: the columns one after the other. */
  static double[] columnMajor(double[] rowMajor, int d) {
    double[] c = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        c[i * d + j] = rowMajor[j * d + i];
      }
    }
    return c;
  }

  static double[] rowMajorFromColumnMajor(double[] columnMajor, int d) {
    return columnMajor(columnMajor, d);
  }

  private static double[] filled(int d, double v) {
    double[] x = new double[d];
    Arrays.fill(x, v);
    return x;
  }
}
