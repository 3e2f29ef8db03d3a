package dev.skiff.controllers.disruption;

import dev.skiff.controllers.testing.AppWorkload;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** The disruption budgets of these tests: in {@code default}, one per app, named after it. */
final class DisruptionBudgets {
  private DisruptionBudgets() {}

  /** Keeps at least {@code min} of the pods labelled {@code app=<app>} available. */
  static PodDisruptionBudget minAvailable(String app, int min) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(app)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withMinAvailable(new IntOrString(min))
        .withSelector(AppWorkload.selector(app))
        .endSpec()
        .build();
  }
}
