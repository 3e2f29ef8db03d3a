package dev.skiff.controllers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which controllers run, as kube-controller-manager's {@code --controllers} chooses them. */
class ControllerManagerOptionsTest {
  @Test
  void starRunsAllAndMinusLeavesOneOut() {
    ControllerManagerOptions all = ControllerManagerOptions.defaults("a");
    assertTrue(all.enabled("service-lb-controller"));
    ControllerManagerOptions noLb = all.withControllers(Set.of("*", "-service-lb-controller"));
    assertFalse(noLb.enabled("service-lb-controller"));
    assertTrue(noLb.enabled("deployment"));
    ControllerManagerOptions some = all.withControllers(Set.of("deployment"));
    assertTrue(some.enabled("deployment"));
    assertFalse(some.enabled("job"));
  }
}
