package org.warpspark.job;

import picocli.CommandLine;

/**
 * The {@code bench} command alone, for a machine with DJL and Hadoop's client jars but no Spark (the
 * full command line loads Spark's classes for its other commands). Used to take the GPU figures
 * (docs/GPU.md, "Checking DJL on a CUDA device").
 */
public final class BenchWithoutSpark {
  private BenchWithoutSpark() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
