package org.warpspark.torch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Opens the native memory scope of one unit of work (a pair). Every array made for the pair belongs
 * to the returned manager, which the caller closes in {@code finally}, on the device the Spark task
 * was given (or the CPU).
 */
public final class NativeScope {
  private static final String OFFLINE = "ai.djl.offline";
  private static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
  private static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
  private NativeScope() {}

  /**
   * Settles how the engine will load, unless the JVM was started with its own {@code -D} settings:
   * offline (the natives are in the jar; nothing is downloaded), {@code threads} libtorch intra-op
   * threads and one inter-op thread. libtorch reads these once, when the engine loads: a Spark
   * executor's first task decides, and every task asks for the same.
   */
  public static void prepareEngine(int threads) {
    System.getProperties().putIfAbsent(OFFLINE, "true");
    System.getProperties().putIfAbsent(NUM_THREADS, String.valueOf(Math.max(1, threads)));
    System.getProperties().putIfAbsent(NUM_INTEROP_THREADS, "1");
  }

  /** The PyTorch engine, loaded once per JVM. */
  public static Engine engine() {
    return Engine.getEngine("PyTorch");
  }

  /**
   * The device for a task given GPU address {@code gpuAddress} (null: none): that GPU when libtorch
   * sees CUDA devices, else the CPU. Spark does not set {@code CUDA_VISIBLE_DEVICES}, so the address
   * is the CUDA device index.
   */
  public static Device deviceFor(String gpuAddress) {
    if (gpuAddress == null || engine().getGpuCount() == 0) {
      return Device.cpu();
    }
    int index = Integer.parseInt(gpuAddress.trim());
    if (index < 0 || index >= engine().getGpuCount()) {
      throw new IllegalArgumentException("GPU address " + gpuAddress + " is not one of the " + engine().getGpuCount()
          + " CUDA devices this process sees");
    }
    return Device.gpu(index);
  }

  /** GPU {@code gpuAddress}, for a command the user asked to run there: no CUDA device is an error, not the CPU. */
  public static Device requireGpu(String gpuAddress) {
    Device device = deviceFor(gpuAddress);
    if (!device.isGpu()) {
      throw new IllegalArgumentException("GPU " + gpuAddress + " was asked for, but libtorch sees no CUDA device");
    }
    return device;
  }

  public static NDManager open(Device device) {
    return engine().newBaseManager(device);
  }

  public static NDManager openCpu() {
    return open(Device.cpu());
  }
}
