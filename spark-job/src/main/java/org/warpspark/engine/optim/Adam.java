package org.warpspark.engine.optim;

/**
 * Adam on a small parameter vector held in Java (transform parameters are a dozen numbers; only the
 * image work belongs on the device). Bias-corrected first and second moments, as in Kingma and Ba.
 */
public final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-12;
  private final double[] firstMoment;
  private final double[] secondMoment;
  private int steps;

  public Adam(int parameterCount) {
    firstMoment = new double[parameterCount];
    secondMoment = new double[parameterCount];
  }

  /** Moves {@code parameters} in place against {@code gradient} with step size {@code learningRate}. */
  public void step(double[] parameters, double[] gradient, double learningRate) {
    steps++;
    double correction1 = 1 - Math.pow(BETA1, steps);
    double correction2 = 1 - Math.pow(BETA2, steps);
    for (int i = 0; i < parameters.length; i++) {
      firstMoment[i] = BETA1 * firstMoment[i] + (1 - BETA1) * gradient[i];
      secondMoment[i] = BETA2 * secondMoment[i] + (1 - BETA2) * gradient[i] * gradient[i];
      double m = firstMoment[i] / correction1;
      double v = secondMoment[i] / correction2;
      parameters[i] -= learningRate * m / (Math.sqrt(v) + EPSILON);
    }
  }
}
