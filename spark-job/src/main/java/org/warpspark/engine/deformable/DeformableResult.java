package org.warpspark.engine.deformable;

import java.util.List;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.udfs.spatial.DisplacementField;

/**
 * The outcome of a deformable registration.
 *
 * @param fixedToMoving the whole map, affine included, as a displacement field on the fixed grid
 * @param movingToFixed its inverse on the moving grid (the dense models), or null (the B-spline model)
 * @param levels the objective (similarity plus weighted penalty) at every iteration, per level
 * @param initialLoss the similarity under the affine map alone, at full resolution
 * @param finalLoss the similarity under the whole map, on the same voxels
 * @param keptStart the optimisation ended worse than it started, so the map is the affine one alone
 */
public record DeformableResult(DisplacementField fixedToMoving, DisplacementField movingToFixed,
    List<LevelTrace> levels, double initialLoss, double finalLoss, boolean keptStart, double seconds) {}
