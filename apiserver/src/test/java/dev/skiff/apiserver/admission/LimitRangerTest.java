package dev.skiff.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitRangerTest extends AdmissionTestBase {

  private void limitRange(LimitRangeItem... items) {
    client
        .limitRanges()
        .inNamespace(ns)
        .resource(
            new LimitRangeBuilder()
                .withNewMetadata()
                .withName("lr")
                .endMetadata()
                .withNewSpec()
                .withLimits(items)
                .endSpec()
                .build())
        .create();
  }

  private static Map<String, Quantity> q(String resource, String value) {
    return Map.of(resource, new Quantity(value));
  }

  @Test
  void containerDefaultsAreAppliedAndRecorded() {
    limitRange(
        new LimitRangeItemBuilder()
            .withType("Container")
            .withDefault(q("memory", "64Mi"))
            .withDefaultRequest(q("memory", "32Mi"))
            .build());
    Pod p = create(pod("d", Map.of(), Map.of()));
    var r = p.getSpec().getContainers().get(0).getResources();
    assertEquals("64Mi", r.getLimits().get("memory").toString());
    assertEquals("32Mi", r.getRequests().get("memory").toString());
    assertEquals(
        "LimitRanger plugin set: memory request for container app; memory limit for container app",
        p.getMetadata().getAnnotations().get("kubernetes.io/limit-ranger"));
    Pod stated = create(pod("s", Map.of(), Map.of("memory", "100Mi")));
    var sr = stated.getSpec().getContainers().get(0).getResources();
    assertEquals("100Mi", sr.getRequests().get("memory").toString());
  }

  @Test
  void aLimitRangeAppliesToThePodCreatedRightAfterIt() {
    // The first pod finds no limit range: that answer is kept for a while, as upstream keeps its
    // live lookups, and must not hide the one created next.
    Pod before = create(pod("before", Map.of(), Map.of()));
    var limits = before.getSpec().getContainers().get(0).getResources().getLimits();
    assertTrue(limits == null || limits.isEmpty(), "no limit range yet: " + limits);
    limitRange(
        new LimitRangeItemBuilder().withType("Container").withDefault(q("cpu", "200m")).build());
    Pod after = create(pod("after", Map.of(), Map.of()));
    assertEquals(
        "200m",
        after.getSpec().getContainers().get(0).getResources().getLimits().get("cpu").toString());
  }

  @Test
  void containerMaxAndMinRefuseWithUpstreamWording() {
    limitRange(
        new LimitRangeItemBuilder()
            .withType("Container")
            .withMax(q("memory", "1Gi"))
            .withMin(q("memory", "10Mi"))
            .build());
    var tooBig =
        assertThrows(
            KubernetesClientException.class,
            () -> create(pod("big", Map.of("memory", "100Mi"), Map.of("memory", "2Gi"))));
    assertEquals(403, tooBig.getCode());
    assertEquals(
        "pods \"big\" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi",
        tooBig.getStatus().getMessage());
    var tooSmall =
        assertThrows(
            KubernetesClientException.class,
            () -> create(pod("small", Map.of("memory", "1Mi"), Map.of("memory", "20Mi"))));
    assertEquals(
        "pods \"small\" is forbidden: minimum memory usage per Container is 10Mi, but request is 1Mi",
        tooSmall.getStatus().getMessage());
    // Defaults come from max and min when nothing else is given.
    Pod defaulted = create(pod("ok", Map.of(), Map.of()));
    var r = defaulted.getSpec().getContainers().get(0).getResources();
    assertEquals("1Gi", r.getLimits().get("memory").toString());
    assertEquals("1Gi", r.getRequests().get("memory").toString());
  }

  @Test
  void limitToRequestRatioAndPodMax() {
    limitRange(
        new LimitRangeItemBuilder()
            .withType("Container")
            .withMaxLimitRequestRatio(q("cpu", "2"))
            .build(),
        new LimitRangeItemBuilder().withType("Pod").withMax(q("cpu", "1")).build());
    var ratio =
        assertThrows(
            KubernetesClientException.class,
            () -> create(pod("r", Map.of("cpu", "100m"), Map.of("cpu", "400m"))));
    assertEquals(
        "pods \"r\" is forbidden: cpu max limit to request ratio per Container is 2,"
            + " but provided ratio is 4.000000",
        ratio.getStatus().getMessage());
    var pod =
        assertThrows(
            KubernetesClientException.class,
            () -> create(pod("p", Map.of("cpu", "1"), Map.of("cpu", "2"))));
    assertEquals(
        "pods \"p\" is forbidden: maximum cpu usage per Pod is 1, but limit is 2",
        pod.getStatus().getMessage());
    create(pod("fits", Map.of("cpu", "300m"), Map.of("cpu", "500m")));
  }

  @Test
  void claimStorageMinAndMax() {
    limitRange(
        new LimitRangeItemBuilder()
            .withType("PersistentVolumeClaim")
            .withMin(q("storage", "1Gi"))
            .withMax(q("storage", "5Gi"))
            .build());
    var e =
        assertThrows(
            KubernetesClientException.class,
            () ->
                client
                    .persistentVolumeClaims()
                    .inNamespace(ns)
                    .resource(claim("big", "10Gi"))
                    .create());
    assertEquals(
        "persistentvolumeclaims \"big\" is forbidden: maximum storage usage per"
            + " PersistentVolumeClaim is 5Gi, but request is 10Gi",
        e.getStatus().getMessage());
    client.persistentVolumeClaims().inNamespace(ns).resource(claim("ok", "2Gi")).create();
  }

  static io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim(String name, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }
}
