package org.warpspark.torch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Opens the native memory scope of one unit of work (a pair). Every array made for the pair belongs
 * to the returned manager, which the caller closes in {@code finally}. CPU only for now; the device
 * a Spark task was given will be chosen here.
 */
public final class NativeScope {
  private NativeScope() {}

  /** The PyTorch engine, loaded once per JVM. */
  public static Engine engine() {
    return Engine.getEngine("PyTorch");
  }

  public static NDManager open(Device device) {
    return engine().newBaseManager(device);
  }

  public static NDManager openCpu() {
    return open(Device.cpu());
  }
}
