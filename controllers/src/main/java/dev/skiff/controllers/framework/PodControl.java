package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Creates and deletes the pods of a controller, recording upstream's events on the owner ({@code
 * SuccessfulCreate} "Created pod: web-abc12", {@code FailedCreate} "Error creating: …").
 */
public final class PodControl {
  private final KubernetesClient client;
  private final EventRecorder events;

  public PodControl(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** The pod a template describes, named by the API server from {@code generateName}. */
  public static Pod fromTemplate(
      PodTemplateSpec template, String generateName, OwnerReference ref) {
    PodBuilder pod = new PodBuilder().withNewMetadata().endMetadata();
    var metadata = template.getMetadata();
    if (metadata != null) {
      pod.editMetadata()
          .withLabels(metadata.getLabels())
          .withAnnotations(metadata.getAnnotations())
          .withFinalizers(metadata.getFinalizers())
          .endMetadata();
    }
    return pod.editMetadata()
        .withGenerateName(generateName)
        .withOwnerReferences(List.of(ref))
        .endMetadata()
        .withSpec(new PodBuilder().withSpec(template.getSpec()).build().getSpec())
        .build();
  }

  /** Creates a pod from {@code template} for {@code owner}, adjusted by {@code customize}. */
  public Pod create(
      HasMetadata owner,
      PodTemplateSpec template,
      OwnerReference ref,
      UnaryOperator<Pod> customize) {
    Pod pod =
        customize.apply(
            fromTemplate(
                new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(template).build(),
                owner.getMetadata().getName() + "-",
                ref));
    if (pod.getMetadata().getLabels().isEmpty()) {
      throw new IllegalArgumentException("unable to create pods, no labels");
    }
    try {
      Pod created =
          client.pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod).create();
      events.normal(owner, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
      return created;
    } catch (KubernetesClientException e) {
      events.warning(owner, "FailedCreate", "Error creating: " + message(e));
      throw e;
    }
  }

  /** Deletes {@code pod} of {@code owner}; a pod already gone counts as deleted. */
  public void delete(HasMetadata owner, Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
      events.normal(owner, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return;
      }
      events.warning(owner, "FailedDelete", "Error deleting: " + message(e));
      throw e;
    }
  }

  /** The API server's own message for a failed request, as upstream's events quote it. */
  public static String message(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage();
  }
}
