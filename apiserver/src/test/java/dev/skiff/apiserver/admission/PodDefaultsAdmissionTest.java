package dev.skiff.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DefaultTolerationSeconds, Priority and DefaultStorageClass, as a user sees their effect. */
class PodDefaultsAdmissionTest extends AdmissionTestBase {

  @Test
  void newPodsTolerateNotReadyAndUnreachableForFiveMinutes() {
    Pod p = create(pod("t", Map.of(), Map.of()));
    List<String> tolerations =
        p.getSpec().getTolerations().stream()
            .map(
                t ->
                    t.getKey()
                        + ":"
                        + t.getOperator()
                        + ":"
                        + t.getEffect()
                        + ":"
                        + t.getTolerationSeconds())
            .toList();
    assertEquals(
        List.of(
            "node.kubernetes.io/not-ready:Exists:NoExecute:300",
            "node.kubernetes.io/unreachable:Exists:NoExecute:300"),
        tolerations);
    Pod own = pod("own", Map.of(), Map.of());
    Toleration forever =
        new TolerationBuilder()
            .withKey("node.kubernetes.io/unreachable")
            .withOperator("Exists")
            .withEffect("NoExecute")
            .build();
    own.getSpec().setTolerations(List.of(forever));
    Pod created = create(own);
    assertEquals(2, created.getSpec().getTolerations().size());
    assertNull(created.getSpec().getTolerations().get(0).getTolerationSeconds());
  }

  @Test
  void priorityClassNamesResolveToPriorities() {
    assertEquals(0, create(pod("plain", Map.of(), Map.of())).getSpec().getPriority());
    Pod critical = pod("critical", Map.of(), Map.of());
    critical.getSpec().setPriorityClassName("system-node-critical");
    assertEquals(2000001000, create(critical).getSpec().getPriority());
    Pod unknown = pod("unknown", Map.of(), Map.of());
    unknown.getSpec().setPriorityClassName("gold");
    var e = assertThrows(KubernetesClientException.class, () -> create(unknown));
    assertEquals(403, e.getCode());
    assertEquals(
        "pods \"unknown\" is forbidden: no PriorityClass with name gold was found",
        e.getStatus().getMessage());
  }

  @Test
  void globalDefaultPriorityClassAppliesAndStaysUnique() {
    String name = ns + "-default";
    client
        .resource(
            new PriorityClassBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withValue(1000)
                .withGlobalDefault(true)
                .build())
        .create();
    try {
      Pod p = create(pod("p", Map.of(), Map.of()));
      assertEquals(name, p.getSpec().getPriorityClassName());
      assertEquals(1000, p.getSpec().getPriority());
      var e =
          assertThrows(
              KubernetesClientException.class,
              () ->
                  client
                      .resource(
                          new PriorityClassBuilder()
                              .withNewMetadata()
                              .withName(name + "-2")
                              .endMetadata()
                              .withValue(5)
                              .withGlobalDefault(true)
                              .build())
                      .create());
      assertEquals(
          "priorityclasses.scheduling.k8s.io \""
              + name
              + "-2\" is forbidden: PriorityClass "
              + name
              + " is already marked as default. Only one default can exist",
          e.getStatus().getMessage());
    } finally {
      client.scheduling().v1().priorityClasses().withName(name).delete();
    }
  }

  @Test
  void claimsWithoutAClassGetTheDefaultOne() {
    String name = ns + "-fast";
    client
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName(name)
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
                .endMetadata()
                .withProvisioner("skiff.dev/local")
                .build())
        .create();
    try {
      var claims = client.persistentVolumeClaims().inNamespace(ns);
      assertEquals(
          name,
          claims
              .resource(LimitRangerTest.claim("c", "1Gi"))
              .create()
              .getSpec()
              .getStorageClassName());
      var none = LimitRangerTest.claim("none", "1Gi");
      none.getSpec().setStorageClassName("");
      assertEquals("", claims.resource(none).create().getSpec().getStorageClassName());
    } finally {
      client.storage().v1().storageClasses().withName(name).delete();
    }
  }
}
