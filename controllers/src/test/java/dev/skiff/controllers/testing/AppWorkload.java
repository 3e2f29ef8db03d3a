package dev.skiff.controllers.testing;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The workloads of the controller tests live in {@code default} and are labelled {@code app=NAME}:
 * their selector, their one-container pod template, ReplicaSets of it, and the revisions kept for
 * them.
 */
public final class AppWorkload {
  private AppWorkload() {}

  /** Selects the pods labelled {@code app=<app>}. */
  public static LabelSelector selector(String app) {
    return new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build();
  }

  /** Pods labelled {@code app=<app>} with one container running {@code image}. */
  public static PodTemplateSpec template(String app, String container, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(Map.of("app", app))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(container)
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  /** A ReplicaSet {@code app} of {@code replicas} pods labelled {@code app=<app>} running nginx. */
  public static ReplicaSet replicaSet(String app, int replicas) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(app)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withSelector(selector(app))
        .withTemplate(template(app, "c", "nginx"))
        .endSpec()
        .build();
  }

  /** The ControllerRevisions labelled {@code app=<app>} in {@code default}, oldest first. */
  public static List<ControllerRevision> revisions(KubernetesClient client, String app) {
    return client
        .apps()
        .controllerRevisions()
        .inNamespace("default")
        .withLabel("app", app)
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparing(ControllerRevision::getRevision))
        .toList();
  }
}
