package dev.skiff.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ResourceQuotaAdmissionTest extends AdmissionTestBase {

  @Test
  void thirdPodOverCountQuotaIsForbiddenWithUpstreamMessage() {
    quota("q", Map.of("pods", "2"));
    create(pod("q1", Map.of(), Map.of()));
    create(pod("q2", Map.of(), Map.of()));
    var e =
        assertThrows(KubernetesClientException.class, () -> create(pod("q3", Map.of(), Map.of())));
    assertEquals(403, e.getCode());
    assertEquals(
        "pods \"q3\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2,"
            + " limited: pods=2",
        e.getStatus().getMessage());
    assertEquals(
        "2",
        client
            .resourceQuotas()
            .inNamespace(ns)
            .withName("q")
            .get()
            .getStatus()
            .getUsed()
            .get("pods")
            .toString());
    assertEquals(2, client.pods().inNamespace(ns).list().getItems().size());
  }

  @Test
  void thirtyTwoParallelCreatesNeverExceedTenPods() throws Exception {
    quota("q", Map.of("pods", "10"));
    List<Callable<Integer>> creates = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String name = "p" + i;
      creates.add(
          () -> {
            try {
              create(pod(name, Map.of(), Map.of()));
              return 201;
            } catch (KubernetesClientException e) {
              return e.getCode();
            }
          });
    }
    List<Integer> codes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
      for (Future<Integer> f : pool.invokeAll(creates)) {
        codes.add(f.get());
      }
    }
    assertEquals(10, codes.stream().filter(c -> c == 201).count(), codes.toString());
    assertEquals(22, codes.stream().filter(c -> c == 403).count(), codes.toString());
    assertEquals(10, client.pods().inNamespace(ns).list().getItems().size());
  }

  @Test
  void memoryRequestsAreSummedAgainstTheQuota() {
    quota("mem", Map.of("requests.memory", "100Mi", "limits.memory", "200Mi"));
    create(pod("a", Map.of("memory", "60Mi"), Map.of("memory", "100Mi")));
    var e =
        assertThrows(
            KubernetesClientException.class,
            () -> create(pod("b", Map.of("memory", "60Mi"), Map.of("memory", "100Mi"))));
    assertEquals(
        "pods \"b\" is forbidden: exceeded quota: mem, requested: requests.memory=60Mi,"
            + " used: requests.memory=60Mi, limited: requests.memory=100Mi",
        e.getStatus().getMessage());
  }

  @Test
  void computeQuotaRequiresEveryContainerToStateTheResource() {
    quota("mem", Map.of("limits.memory", "1Gi"));
    var e =
        assertThrows(
            KubernetesClientException.class,
            () -> create(pod("nolimit", Map.of("memory", "10Mi"), Map.of())));
    assertEquals(403, e.getCode());
    assertEquals(
        "pods \"nolimit\" is forbidden: failed quota: mem: must specify limits.memory for: app",
        e.getStatus().getMessage());
    create(pod("limited", Map.of(), Map.of("memory", "10Mi")));
  }

  @Test
  void bestEffortScopeOnlyCountsBestEffortPods() {
    var q = quota("be", Map.of("pods", "1"));
    q.getSpec().setScopes(List.of("BestEffort"));
    client.resourceQuotas().inNamespace(ns).resource(q).update();
    create(pod("be1", Map.of(), Map.of()));
    create(pod("burstable", Map.of("cpu", "10m"), Map.of()));
    var e =
        assertThrows(KubernetesClientException.class, () -> create(pod("be2", Map.of(), Map.of())));
    assertEquals(403, e.getCode());
  }

  @Test
  void objectCountQuotaCoversConfigMapsAndDryRunChargesNothing() {
    quota("cm", Map.of("count/configmaps", "1"));
    var cm = new ConfigMapBuilder().withNewMetadata().withName("one").endMetadata().build();
    client.configMaps().inNamespace(ns).resource(cm).dryRun().create();
    client.configMaps().inNamespace(ns).resource(cm).create();
    var two = new ConfigMapBuilder().withNewMetadata().withName("two").endMetadata().build();
    var e =
        assertThrows(
            KubernetesClientException.class,
            () -> client.configMaps().inNamespace(ns).resource(two).create());
    assertEquals(
        "configmaps \"two\" is forbidden: exceeded quota: cm, requested: count/configmaps=1,"
            + " used: count/configmaps=1, limited: count/configmaps=1",
        e.getStatus().getMessage());
  }

  @Test
  void quotaWithoutStatusRefusesUntilTheControllerHasSeenIt() {
    client
        .resourceQuotas()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("fresh")
                .endMetadata()
                .withNewSpec()
                .addToHard("pods", new io.fabric8.kubernetes.api.model.Quantity("5"))
                .endSpec()
                .build())
        .create();
    var e =
        assertThrows(KubernetesClientException.class, () -> create(pod("x", Map.of(), Map.of())));
    assertEquals(
        "pods \"x\" is forbidden: status unknown for quota: fresh, resources: pods",
        e.getStatus().getMessage());
  }
}
