package org.warpspark.udfs.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The allocation-free evaluator gives what the chain itself gives, with affines before and after. */
class TransformChainTest {
  @Test
  void theEvaluatorMapsAsTheChainDoes() {
    Random random = new Random(8);
    Grid grid = Fixtures.fixed3D();
    DisplacementField field = DisplacementField.of(grid, x -> new double[] {x[0] + Math.sin(x[1] / 3),
        x[1] + Math.cos(x[2] / 4), x[2] + 0.5 * Math.sin(x[0] / 5)});
    double[][] c = new double[3][6 * 6 * 6];
    for (double[] axis : c) {
      for (int i = 0; i < axis.length; i++) {
        axis[i] = random.nextGaussian();
      }
    }
    BSplineTransform spline = new BSplineTransform(Grid.of(new int[] {6, 6, 6}, new double[] {4, 4, 4},
        new double[] {grid.centre()[0] - 10, grid.centre()[1] - 10, grid.centre()[2] - 10}), c);
    TransformChain chain = new TransformChain(List.of(new FixedToMoving.Linear(Fixtures.randomAffine(random, 3)),
        new FixedToMoving.Linear(Fixtures.randomAffine(random, 3)), new FixedToMoving.Dense(field),
        new FixedToMoving.Spline(spline), new FixedToMoving.Linear(Fixtures.randomAffine(random, 3))));
    Affine before = grid.indexToPhysical();
    Affine after = Fixtures.randomAffine(random, 3);
    TransformChain.Evaluator evaluator = chain.evaluator(before, after);
    double[] out = new double[3];
    for (int n = 0; n < 500; n++) {
      double[] index = {random.nextDouble() * 8 - 1, random.nextDouble() * 7 - 1, random.nextDouble() * 6 - 1};
      evaluator.apply(index, out);
      assertArrayEquals(after.apply(chain.apply(before.apply(index))), out, 1e-9, "point " + n);
    }
  }
}
