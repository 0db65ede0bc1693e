package org.warpspark.udfs.spatial;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ITK's HDF5 transform file ({@code .h5}), what {@code antsRegistration} writes as {@code Composite.h5}:
 * groups {@code /TransformGroup/0, 1, ...}, each with a {@code TransformType} string and 1-D
 * {@code TransformParameters} and {@code TransformFixedParameters} (float64 or float32; ITK up to 4.13
 * spelt them {@code Tranform...}, which ITK still reads, and so do we). A {@code CompositeTransform}
 * first means the groups after it are its queue, applied from the last to the first. Besides the
 * affine family of {@link ItkTransformFile}, {@code DisplacementFieldTransform} is read: its fixed
 * parameters are the field's grid (size, origin, spacing, direction row by row) and its parameters the
 * LPS displacement of each voxel, components interleaved, index x fastest; and the cubic
 * {@code BSplineTransform} ({@link BSplineTransform}), its control grid in the same fixed parameters and
 * one block of coefficients per axis.
 *
 * <p>Read with jHDF: pure Java, on Maven Central, and the only HDF5 reader there that needs no native
 * library (the HDF Group's Java bindings need libhdf5 on every executor). Written by {@link Hdf5Writer},
 * as ITK reads a transform's type only as a variable-length string, which jHDF does not write.
 */
public final class ItkHdf5File {
  private static final String GROUP = "TransformGroup";

  private ItkHdf5File() {}

  /**
   * The file's transforms in queue order (a {@link TransformChain}'s: the last acts first on a point).
   * {@code maxVoxels} bounds a displacement field's grid before its values are converted.
   */
  public static List<FixedToMoving> read(byte[] bytes, String source, long maxVoxels) {
    List<ItkTransformFile.Entry> entries;
    try (HdfFile hdf = HdfFile.fromBytes(bytes)) {
      entries = entries(hdf, source);
    } catch (TransformFileException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TransformFileException(source + ": not a readable HDF5 transform file: " + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw new TransformFileException(source + ": no transform in /" + GROUP);
    }
    List<ItkTransformFile.Entry> queue = entries;
    if (entries.get(0).className().equals("CompositeTransform")) {
      ItkTransformFile.Entry composite = entries.get(0);
      if (composite.parameters().length > 0) {
        throw new TransformFileException(source + ": a CompositeTransform with parameters of its own");
      }
      queue = entries.subList(1, entries.size());
    } else if (entries.size() > 1) {
      throw new TransformFileException(source + ": " + entries.size()
          + " transforms without a CompositeTransform; which one is meant is ambiguous");
    }
    List<FixedToMoving> steps = new ArrayList<>();
    for (int i = 0; i < queue.size(); i++) {
      ItkTransformFile.Entry e = queue.get(i);
      String what = source + " transform " + (entries.size() - queue.size() + i);
      steps.add(switch (e.className()) {
        case "DisplacementFieldTransform" -> new FixedToMoving.Dense(field(e, what, maxVoxels));
        case "BSplineTransform" -> new FixedToMoving.Spline(spline(e, what, maxVoxels));
        default -> new FixedToMoving.Linear(ItkTransformFile.toAffine(e, what));
      });
    }
    if (steps.isEmpty()) {
      throw new TransformFileException(source + ": an empty CompositeTransform");
    }
    return steps;
  }

  /**
   * Writes {@code queue} (a {@link TransformChain}'s order) as ITK writes a {@code CompositeTransform}
   * ({@code antsRegistration}'s {@code Composite.h5}): the composite in group 0, then each step. An
   * affine is an {@code AffineTransform_double} about the origin; a field a
   * {@code DisplacementFieldTransform_float}, as our fields hold floats; a B-spline a
   * {@code BSplineTransform_double}. The stream is not closed.
   */
  public static void write(List<FixedToMoving> queue, OutputStream out) throws IOException {
    int d = new TransformChain(queue).dim();
    String suffix = "_" + d + "_" + d;
    Hdf5Writer file = new Hdf5Writer();
    Hdf5Writer.Group groups = file.root().group(GROUP);
    Hdf5Writer.Group composite = groups.group("0");
    composite.string("TransformType", "CompositeTransform_double" + suffix);
    composite.numbers("TransformFixedParameters", Hdf5Writer.doubles(new double[0]));
    composite.numbers("TransformParameters", Hdf5Writer.doubles(new double[0]));
    for (int i = 0; i < queue.size(); i++) {
      Hdf5Writer.Group g = groups.group(Integer.toString(i + 1));
      FixedToMoving step = queue.get(i);
      if (step instanceof FixedToMoving.Linear l) {
        g.string("TransformType", "AffineTransform_double" + suffix);
        g.numbers("TransformFixedParameters", Hdf5Writer.doubles(new double[d]));
        g.numbers("TransformParameters", Hdf5Writer.doubles(ItkTransformFile.affineParameters(l.matrix(), new double[d])));
      } else if (step instanceof FixedToMoving.Dense f) {
        g.string("TransformType", "DisplacementFieldTransform_float" + suffix);
        g.numbers("TransformFixedParameters", Hdf5Writer.doubles(gridParameters(f.field().grid())));
        g.numbers("TransformParameters", interleaved(f.field()));
      } else {
        BSplineTransform b = ((FixedToMoving.Spline) step).transform();
        int points = Math.toIntExact(b.controlGrid().voxelCount());
        double[] coefficients = new double[d * points];
        for (int a = 0; a < d; a++) {
          System.arraycopy(b.coefficients(a), 0, coefficients, a * points, points);
        }
        g.string("TransformType", "BSplineTransform_double" + suffix);
        g.numbers("TransformFixedParameters", Hdf5Writer.doubles(gridParameters(b.controlGrid())));
        g.numbers("TransformParameters", Hdf5Writer.doubles(coefficients));
      }
    }
    file.write(out);
  }

  /** A grid as ITK's field and B-spline fixed parameters hold it: size, origin, spacing, direction row by row. */
  private static double[] gridParameters(Grid grid) {
    int d = grid.dim();
    double[] fixed = new double[3 * d + d * d];
    for (int a = 0; a < d; a++) {
      fixed[a] = grid.size()[a];
    }
    System.arraycopy(grid.origin(), 0, fixed, d, d);
    System.arraycopy(grid.spacing(), 0, fixed, 2 * d, d);
    System.arraycopy(grid.direction(), 0, fixed, 3 * d, d * d);
    return fixed;
  }

  /** A field's displacements as ITK stores them: each voxel's components together, index x fastest. */
  private static Hdf5Writer.Values interleaved(DisplacementField field) {
    float[][] u = field.components();
    int d = u.length;
    return new Hdf5Writer.Values() {
      public long count() {
        return (long) u[0].length * d;
      }

      public int bytes() {
        return 4;
      }

      public void write(ByteBuffer out, long from, int n) {
        for (long i = from; i < from + n; i++) {
          out.putFloat(u[(int) (i % d)][(int) (i / d)]);
        }
      }
    };
  }

  private static List<ItkTransformFile.Entry> entries(HdfFile hdf, String source) {
    Node group = hdf.getChild(GROUP);
    if (!(group instanceof Group transforms)) {
      throw new TransformFileException(source + ": no /" + GROUP + " group; not an ITK transform file");
    }
    Map<String, Node> children = transforms.getChildren();
    List<ItkTransformFile.Entry> entries = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      if (!(children.get(Integer.toString(i)) instanceof Group g)) {
        throw new TransformFileException(source + ": /" + GROUP + " holds " + children.keySet()
            + ", not groups numbered from 0");
      }
      String where = source + " /" + GROUP + "/" + i;
      String type = string(g, "TransformType", where);
      double[] parameters = numbers(g, "TransformParameters", "TranformParameters", where);
      double[] fixed = numbers(g, "TransformFixedParameters", "TranformFixedParameters", where);
      entries.add(new ItkTransformFile.Entry(type, parameters, fixed));
    }
    return entries;
  }

  private static String string(Group g, String name, String where) {
    if (!(g.getChild(name) instanceof Dataset d)) {
      throw new TransformFileException(where + ": no " + name);
    }
    Object data = d.getData();
    if (data instanceof String s) {
      return s.trim();
    }
    if (data instanceof String[] a && a.length == 1) {
      return a[0].trim();
    }
    throw new TransformFileException(where + ": " + name + " is not one string");
  }

  /** A 1-D number dataset under either spelling, or none (a composite has no parameters). */
  private static double[] numbers(Group g, String name, String oldName, String where) {
    Node node = g.getChild(name) != null ? g.getChild(name) : g.getChild(oldName);
    if (node == null) {
      return new double[0];
    }
    if (node instanceof Dataset d && (d.isEmpty() || d.getSize() == 0)) {
      return new double[0]; // ITK writes an empty dataset for a transform without fixed parameters
    }
    Object data = node instanceof Dataset d ? d.getData() : null;
    double[] values;
    if (data instanceof double[] a) {
      values = a;
    } else if (data instanceof float[] a) {
      values = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        values[i] = a[i];
      }
    } else {
      throw new TransformFileException(where + ": " + name + " is not a 1-D array of float64 or float32");
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new TransformFileException(where + ": " + name + " holds a non-finite value");
      }
    }
    return values;
  }

  private static DisplacementField field(ItkTransformFile.Entry e, String what, long maxVoxels) {
    int d = ItkTransformFile.dimension(e, what);
    Grid grid = grid(e, d, what, maxVoxels);
    double[] p = e.parameters();
    long voxels = grid.voxelCount();
    if (p.length != voxels * d) {
      throw new TransformFileException(what + ": " + p.length + " parameters for a field of " + voxels + " voxels of "
          + d + " components");
    }
    float[][] u = new float[d][(int) voxels];
    for (int v = 0; v < voxels; v++) {
      for (int c = 0; c < d; c++) {
        u[c][v] = (float) p[v * d + c];
      }
    }
    return new DisplacementField(grid, u);
  }

  /** ITK's cubic {@code BSplineTransform}: the control grid in the fixed parameters, then one block of coefficients per axis. */
  private static BSplineTransform spline(ItkTransformFile.Entry e, String what, long maxPoints) {
    int d = ItkTransformFile.dimension(e, what);
    Grid grid = grid(e, d, what, maxPoints);
    int points = (int) grid.voxelCount();
    if (e.parameters().length != (long) points * d) {
      throw new TransformFileException(what + ": " + e.parameters().length + " parameters for a B-spline of " + points
          + " control points in " + d + "D");
    }
    double[][] c = new double[d][];
    for (int a = 0; a < d; a++) {
      c[a] = Arrays.copyOfRange(e.parameters(), a * points, (a + 1) * points);
    }
    try {
      return new BSplineTransform(grid, c);
    } catch (IllegalArgumentException bad) {
      throw new TransformFileException(what + ": " + bad.getMessage(), bad);
    }
  }

  /** The grid a field or B-spline keeps in its fixed parameters: size, origin, spacing, direction row by row. */
  private static Grid grid(ItkTransformFile.Entry e, int d, String what, long maxPoints) {
    double[] f = e.fixedParameters();
    if (f.length != 3 * d + d * d) {
      throw new TransformFileException(what + ": a " + d + "D " + e.className() + " takes " + (3 * d + d * d)
          + " fixed parameters (size, origin, spacing, direction), got " + f.length);
    }
    int[] size = new int[d];
    long points = 1;
    for (int a = 0; a < d; a++) {
      if (f[a] < 1 || f[a] != Math.rint(f[a]) || f[a] > Integer.MAX_VALUE) {
        throw new TransformFileException(what + ": grid size " + Arrays.toString(Arrays.copyOf(f, d))
            + " is not positive whole numbers");
      }
      size[a] = (int) f[a];
      points = Math.multiplyExact(points, size[a]);
    }
    if (points > maxPoints) {
      throw new TransformFileException(what + ": a grid of " + points + " points is over the limit of " + maxPoints);
    }
    try {
      return new Grid(size, Arrays.copyOfRange(f, 2 * d, 3 * d), Arrays.copyOfRange(f, d, 2 * d),
          Arrays.copyOfRange(f, 3 * d, 3 * d + d * d));
    } catch (IllegalArgumentException bad) {
      throw new TransformFileException(what + ": the grid is not valid: " + bad.getMessage(), bad);
    }
  }
}
