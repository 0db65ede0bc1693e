package org.warpspark.testing;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.warpspark.torch.NativeScope;

/** A test whose every method works in a fresh CPU native scope, closed after it. */
public abstract class CpuScopeTest {
  protected NDManager manager;

  @BeforeEach
  void openScope() {
    manager = NativeScope.openCpu();
  }

  @AfterEach
  void closeScope() {
    manager.close();
  }
}
