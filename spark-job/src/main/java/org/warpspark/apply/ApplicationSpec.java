package org.warpspark.apply;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.warpspark.image.PixelType;
import org.warpspark.image.PointList;

/**
 * One row of an {@code apply} manifest as text, what the driver ships to a task: the task parses it
 * ({@link #request}), so a row that cannot be parsed fails alone. Paths are already resolved.
 *
 * @param transforms the chain in antsApplyTransforms' order, each {@code FILE} or {@code [FILE,1]}
 * @param interpolation an {@link Interpolator} name, or null for Linear
 * @param defaultValue a number, or null for 0
 * @param outputType a {@link PixelType} name, or null (float32 for Linear and BSpline, else the input's type)
 * @param pointSpace {@code LPS} or {@code RAS} for point lists, or null for LPS
 * @param targetPoints for point lists, where the points should land (row for row), or null
 * @param plannedFailure null, or why the driver already knows the row cannot run (a location it cannot
 *     resolve), which its task records
 */
public record ApplicationSpec(String id, String input, String reference, List<String> transforms,
    String interpolation, String defaultValue, String outputType, String pointSpace, String targetPoints,
    String output, String plannedFailure)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public ApplicationSpec {
    transforms = List.copyOf(transforms);
  }

  /** A point list (CSV or Parquet) rather than an image. */
  public boolean points() {
    return PointList.isPointList(input);
  }

  public List<ChainArgument> chain() {
    if (transforms.isEmpty()) {
      throw new IllegalArgumentException("no transforms: the 'transforms' column lists the chain, ';' between files");
    }
    return transforms.stream().map(ChainArgument::parse).toList();
  }

  /** Whether a point list's coordinates are RAS. */
  public boolean ras() {
    String space = pointSpace == null ? "LPS" : pointSpace.trim().toUpperCase(Locale.ROOT);
    if (!space.equals("LPS") && !space.equals("RAS")) {
      throw new IllegalArgumentException("point_space must be LPS or RAS, got '" + pointSpace + "'");
    }
    return space.equals("RAS");
  }

  /** The image request this row makes. */
  public ApplyTransforms.Request request() {
    if (targetPoints != null || pointSpace != null) {
      throw new IllegalArgumentException("target_points and point_space go with point lists, not images");
    }
    if (reference == null) {
      throw new IllegalArgumentException("an image needs a 'reference' whose grid the output takes");
    }
    float value;
    try {
      value = defaultValue == null ? 0 : Float.parseFloat(defaultValue.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("default_value '" + defaultValue + "' is not a number", e);
    }
    PixelType type = null;
    if (outputType != null) {
      try {
        type = PixelType.valueOf(outputType.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("output_type '" + outputType + "' is not one of "
            + List.of(PixelType.values()), e);
      }
    }
    return new ApplyTransforms.Request(input, reference, chain(), output,
        Interpolator.parse(interpolation == null ? Interpolator.LINEAR.antsName() : interpolation), value, type);
  }
}
