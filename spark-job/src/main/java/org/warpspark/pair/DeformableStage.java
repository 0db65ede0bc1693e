package org.warpspark.pair;

import java.util.Map;
import org.warpspark.engine.deformable.DeformableResult;
import org.warpspark.udfs.metric.InverseConsistency;
import org.warpspark.udfs.metric.JacobianStatistics;
import org.warpspark.udfs.spatial.FixedToMoving;

/**
 * The deformable stage of a pair; it starts where the affine stage ended (that stage's {@code after}).
 *
 * @param inverseConsistency null unless the reverse registration was asked for
 * @param inverseMap the written inverse map against the forward one (the dense models), or null
 * @param seconds wall time of the stage (registration, metrics and the reverse registration if any)
 * @param timings where those seconds went ({@link StageClock})
 */
public record DeformableStage(DeformableResult result, Warped after, JacobianStatistics jacobian,
    InverseConsistency inverseConsistency, InverseConsistency inverseMap, double seconds,
    Map<String, Double> timings) {
  public FixedToMoving map() {
    return new FixedToMoving.Dense(result.fixedToMoving());
  }
}
