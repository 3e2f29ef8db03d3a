package dev.skiff.runtime.runc;

import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeContract;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuncRuntimeContractTest extends ContainerRuntimeContract {
  RuncFixture f;

  @BeforeAll
  void setUp() throws Exception {
    f = new RuncFixture();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (f != null) f.close();
  }

  @Override
  protected ContainerRuntime runtime() {
    return f.runtime;
  }

  @Override
  protected PodSandboxConfig pod(String name) {
    return f.pod(name, NamespaceOptions.DEFAULT, null);
  }
}
