package org.warpspark.engine.affine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.image.Image;

/**
 * One registration's state while it is optimised with others: its inputs, motion parameters (scaled,
 * {@code q}), its own random generator (so its samples are those it would draw alone), its levels so
 * far, and the failure that took it out of the batch, if any.
 */
final class AffineMember {
  final AffinePair pair;
  final MotionJacobian motion;
  final SimilarityLoss similarity;
  final SplittableRandom random;
  final double[] q;
  final double[] start;
  final List<LevelTrace> levels = new ArrayList<>();
  double initialLoss;
  private RuntimeException failure;

  AffineMember(AffinePair pair, MotionJacobian motion, SimilarityLoss similarity, long seed, double[] q) {
    this.pair = pair;
    this.motion = motion;
    this.similarity = similarity;
    this.random = new SplittableRandom(seed);
    this.q = q;
    this.start = q.clone();
  }

  Image fixed() {
    return pair.fixed();
  }

  Image moving() {
    return pair.moving();
  }

  boolean failed() {
    return failure != null;
  }

  RuntimeException failure() {
    return failure;
  }

  void fail(RuntimeException cause) {
    failure = cause;
  }
}
