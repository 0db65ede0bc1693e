/**
 * The spatial conventions of warpspark, stated once. Everything else refers here (and to
 * {@code docs/CONVENTIONS.md}, which gives worked examples) instead of restating them.
 *
 * <h2>Frames and units</h2>
 * <ul>
 *   <li>Physical space is ITK's: millimetres in <b>LPS</b> (x grows to the patient's Left, y to
 *       Posterior, z to Superior). NIfTI's RAS is converted on read: {@code lps = diag(-1,-1,1) ras}.
 *   <li>An image is a {@link org.warpspark.udfs.spatial.Grid}: {@code size[d]}, {@code spacing[d]} (mm),
 *       {@code origin[d]} (mm, the centre of voxel 0) and a row-major {@code d x d} direction matrix
 *       whose columns are the physical directions of the index axes. A voxel index {@code i} maps to
 *       {@code p = origin + direction * diag(spacing) * i} ({@link org.warpspark.udfs.spatial.Grid#indexToPhysical()}).
 *   <li>Index axis 0 (x, i) varies fastest in memory: voxel {@code (i, j, k)} is at
 *       {@code i + size[0] * (j + size[1] * k)}. A tensor of the image therefore has shape
 *       {@code (size[2], size[1], size[0])}: tensor dimensions are the index axes reversed.
 * </ul>
 *
 * <h2>Direction of a transform</h2>
 * A registration result is the map {@code fixedToMoving}: it takes a physical point of the fixed
 * image to the physical point of the moving image that should appear there. The warped moving image
 * is {@code warped(x) = moving(fixedToMoving(x))} sampled on the fixed grid. This is the ITK and
 * elastix convention. Names say the direction: {@code fixedToMoving}, {@code indexToPhysical}.
 *
 * <h2>Affine matrices</h2>
 * An {@link org.warpspark.udfs.spatial.Affine} is a homogeneous {@code (d+1) x (d+1)} matrix stored
 * row-major; it acts on column vectors: {@code y = M [x; 1]}.
 *
 * <h2>Parametrisation of motion</h2>
 * {@link org.warpspark.udfs.spatial.MotionParameters} maps a parameter vector to a matrix about a
 * centre {@code c}: {@code T(x) = A (x - c) + c + t} with {@code A = R S K}: {@code R} a rotation
 * ({@code Rz(rz) Ry(ry) Rx(rx)} in 3D, one angle in 2D, radians, right-handed in LPS), {@code S}
 * the diagonal of {@code exp(logScale)}, {@code K} unit upper-triangular shear. The matrix is an
 * output; the optimiser moves the parameters.
 */
package org.warpspark.udfs.spatial;
