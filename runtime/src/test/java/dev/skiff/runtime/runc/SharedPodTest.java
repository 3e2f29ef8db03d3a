package dev.skiff.runtime.runc;

import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Tests that share one real pod sandbox: it starts before the first test, and the fixture's
 * teardown removes it and everything else after the last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedPodTest {
  private final String podName;
  RuncFixture f;
  PodSandboxConfig pod;
  String sandbox;

  SharedPodTest(String podName) {
    this.podName = podName;
  }

  @BeforeAll
  void startPod() throws Exception {
    f = new RuncFixture();
    pod = f.pod(podName, NamespaceOptions.DEFAULT, null);
    sandbox = f.runtime.runPodSandbox(pod, null);
  }

  @AfterAll
  void removeAll() throws Exception {
    if (f != null) f.close();
  }
}
