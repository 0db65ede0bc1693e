package org.warpspark.engine.deformable;

import java.util.List;
import org.warpspark.engine.affine.LevelTrace;
import org.warpspark.udfs.spatial.DisplacementField;

/**
 * The outcome of a deformable registration.
 *
 * @param fixedToMoving the whole map, affine included, as a displacement field on the fixed grid
 */
public record DeformableResult(DisplacementField fixedToMoving, List<LevelTrace> levels, double seconds) {}
