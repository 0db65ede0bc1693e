/**
 * The one place that touches libtorch directly: native scopes per pair, device choice, and the
 * gradient rules. DJL's {@code GradientCollector} is a JVM-wide singleton, so concurrent Spark tasks
 * cannot use it; libtorch's grad mode is thread-local, so each task records its own graph with
 * {@link org.warpspark.torch.Autograd} instead. Everything else works on the arrays it is given.
 */
package org.warpspark.torch;
