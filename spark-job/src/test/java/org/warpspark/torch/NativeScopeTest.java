package org.warpspark.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class NativeScopeTest {
  @Test
  void aTaskWithoutAnAddressRunsOnTheCpu() {
    assertEquals(Device.cpu(), NativeScope.deviceFor(null));
  }

  /** Both branches assert: the CI machines have no CUDA device, a GPU machine has at least one. */
  @Test
  void anAddressIsThatCudaDeviceWhenThereIsOneAndTheCpuOtherwise() {
    int gpus = NativeScope.engine().getGpuCount();
    if (gpus == 0) {
      assertEquals(Device.cpu(), NativeScope.deviceFor("0"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeScope.requireGpu("0"));
      assertEquals("GPU 0 was asked for, but libtorch sees no CUDA device", e.getMessage());
    } else {
      assertEquals(Device.gpu(gpus - 1), NativeScope.deviceFor(" " + (gpus - 1) + " "));
      assertEquals(Device.gpu(0), NativeScope.requireGpu("0"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> NativeScope.deviceFor(String.valueOf(gpus)));
      assertTrue(e.getMessage().startsWith("GPU address " + gpus + " is not one of the " + gpus), e.getMessage());
    }
  }
}
