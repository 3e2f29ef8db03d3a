package dev.skiff.controllers.resourcequota;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceQuotaControllerTest {
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    cluster.start(ResourceQuotaController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void quota(String name, Map<String, String> hard, List<String> scopes) {
    Map<String, Quantity> quantities = new TreeMap<>();
    hard.forEach((k, v) -> quantities.put(k, new Quantity(v)));
    client
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withHard(quantities)
                .withScopes(scopes)
                .endSpec()
                .build())
        .create();
    // Admission refuses charged objects until the controller has published status.hard, as
    // upstream does ("status unknown for quota").
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              ResourceQuota rq =
                  client.resourceQuotas().inNamespace("default").withName(name).get();
              return rq.getStatus() != null
                  && rq.getStatus().getHard() != null
                  && rq.getStatus().getHard().keySet().equals(quantities.keySet());
            });
  }

  private void pod(String name, String cpu, String memory, String phase) {
    var builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec();
    if (cpu != null) {
      builder
          .editSpec()
          .editFirstContainer()
          .withNewResources()
          .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
          .withLimits(Map.of("memory", new Quantity(memory)))
          .endResources()
          .endContainer()
          .endSpec();
    }
    var pod = client.resource(builder.build()).create();
    if (phase != null) {
      pod.setStatus(new PodStatusBuilder().withPhase(phase).build());
      client.pods().inNamespace("default").resource(pod).updateStatus();
    }
  }

  private Map<String, String> used(String quota) {
    ResourceQuota rq = client.resourceQuotas().inNamespace("default").withName(quota).get();
    Map<String, String> used = new TreeMap<>();
    if (rq.getStatus() != null && rq.getStatus().getUsed() != null) {
      rq.getStatus().getUsed().forEach((k, v) -> used.put(k, v.toString()));
    }
    return used;
  }

  @Test
  void countsPodsRequestsLimitsAndObjects() {
    quota(
        "compute",
        Map.of(
            "pods", "10",
            "requests.cpu", "4",
            "requests.memory", "4Gi",
            "limits.memory", "8Gi",
            "configmaps", "5",
            "count/configmaps", "5",
            "persistentvolumeclaims", "3",
            "requests.storage", "10Gi"),
        List.of());
    pod("a", "500m", "128Mi", null);
    pod("b", "250m", "128Mi", null);
    pod("done", "1", "1Gi", "Succeeded");
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("default")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("2Gi")))
                .endResources()
                .endSpec()
                .build())
        .create();
    Map<String, String> expected =
        new TreeMap<>(
            Map.of(
                "pods", "2",
                "requests.cpu", "750m",
                "requests.memory", "256Mi",
                "limits.memory", "256Mi",
                "configmaps", "1",
                "count/configmaps", "1",
                "persistentvolumeclaims", "1",
                "requests.storage", "2Gi"));
    await().atMost(Duration.ofSeconds(30)).until(() -> used("compute").equals(expected));
    assertEquals(
        "4Gi",
        client
            .resourceQuotas()
            .inNamespace("default")
            .withName("compute")
            .get()
            .getStatus()
            .getHard()
            .get("requests.memory")
            .toString());
  }

  @Test
  void scopedQuotasCountOnlyTheirPods() {
    quota("best-effort", Map.of("pods", "5"), List.of("BestEffort"));
    quota("burstable", Map.of("pods", "5", "requests.cpu", "2"), List.of("NotBestEffort"));
    pod("plain", null, null, null);
    pod("sized", "100m", "64Mi", null);
    pod("sized-2", "100m", "64Mi", null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Map.of("pods", "1").equals(used("best-effort")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Map.of("pods", "2", "requests.cpu", "200m").equals(used("burstable")));
    client.pods().inNamespace("default").withName("sized").withGracePeriod(0).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Map.of("pods", "1", "requests.cpu", "100m").equals(used("burstable")));
  }
}
