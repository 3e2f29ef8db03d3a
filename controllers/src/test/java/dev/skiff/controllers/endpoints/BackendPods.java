package dev.skiff.controllers.endpoints;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Services and running pods with IPs, as a kubelet would report them, for endpoint tests. */
public final class BackendPods {
  private final KubernetesClient client;

  public BackendPods(KubernetesClient client) {
    this.client = client;
  }

  /** A Service selecting {@code app=name} on port 80 to the pods' port named "http". */
  public Service service(String name, boolean headless, boolean publishNotReady) {
    return client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .withLabels(Map.of("tier", "web"))
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app", name))
                .withClusterIP(headless ? "None" : null)
                .withPublishNotReadyAddresses(publishNotReady)
                .addNewPort()
                .withName("web")
                .withPort(80)
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  /** A running pod labelled {@code app=app} whose "http" port is {@code port}. */
  public Pod pod(String name, String app, String ip, int port, boolean ready) {
    Pod pod =
        client
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace("default")
                    .withLabels(Map.of("app", app))
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName("node-1")
                    .addNewContainer()
                    .withName("c")
                    .withImage("nginx")
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(port)
                    .endPort()
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    return setReady(pod, ip, ready);
  }

  public Pod setReady(Pod pod, String ip, boolean ready) {
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .addToConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .build())
            .build());
    return client.pods().inNamespace("default").resource(pod).updateStatus();
  }
}
