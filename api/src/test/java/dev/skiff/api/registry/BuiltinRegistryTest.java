package dev.skiff.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.api.ResourceRegistry.ApiGroupVersions;
import dev.skiff.api.ResourceType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BuiltinRegistryTest {

  private final BuiltinRegistry registry = new BuiltinRegistry();

  private ResourceType type(String group, String version, String plural) {
    return registry.find(group, version, plural).orElseThrow();
  }

  @Test
  void podsHaveUpstreamDiscoveryFacts() {
    ResourceType pods = type("", "v1", "pods");
    assertEquals("Pod", pods.kind());
    assertEquals("pod", pods.singular());
    assertTrue(pods.namespaced());
    assertEquals(List.of("po"), pods.shortNames());
    assertEquals(List.of("all"), pods.categories());
    assertEquals(
        List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
        List.copyOf(pods.verbs()));
    assertTrue(pods.hasSubresource("exec"));
    assertEquals(List.of("create", "get"), pods.subresourceVerbs("exec"));
    assertEquals(List.of("create"), pods.subresourceVerbs("eviction"));
    assertEquals("Eviction", pods.subresourceKind("eviction").kind());
    assertEquals("/registry/pods/ns1/p", pods.storageKey("ns1", "p"));
  }

  @Test
  void shortNamesMatchKubectlApiResources() {
    Set<String> expected =
        Set.of(
            "po", "svc", "deploy", "rs", "sts", "ds", "cj", "ns", "no", "cm", "sa", "ep", "ev",
            "limits", "quota", "pv", "pvc", "rc", "hpa", "pdb", "netpol", "ing", "sc", "pc", "csr",
            "cs");
    Set<String> served =
        registry.all().stream().flatMap(t -> t.shortNames().stream()).collect(Collectors.toSet());
    assertEquals(expected, served);
  }

  @Test
  void reviewsAreCreateOnlyAndComponentStatusesReadOnly() {
    for (String plural :
        List.of(
            "subjectaccessreviews",
            "selfsubjectaccessreviews",
            "selfsubjectrulesreviews",
            "localsubjectaccessreviews")) {
      assertEquals(Set.of("create"), type("authorization.k8s.io", "v1", plural).verbs(), plural);
    }
    assertEquals(Set.of("create"), type("authentication.k8s.io", "v1", "tokenreviews").verbs());
    assertEquals(Set.of("create"), type("", "v1", "bindings").verbs());
    assertEquals(Set.of("get", "list"), type("", "v1", "componentstatuses").verbs());
    assertFalse(type("", "v1", "namespaces").verbs().contains("deletecollection"));
  }

  @Test
  void allCategoryHoldsWhatKubectlGetAllShows() {
    Set<String> inAll =
        registry.all().stream()
            .filter(t -> t.categories().contains("all"))
            .map(ResourceType::plural)
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "pods",
            "services",
            "replicationcontrollers",
            "daemonsets",
            "deployments",
            "replicasets",
            "statefulsets",
            "horizontalpodautoscalers",
            "cronjobs",
            "jobs"),
        inAll);
  }

  @Test
  void groupsFollowUpstreamOrderWithAutoscalingV2Preferred() {
    List<String> names = registry.groups().stream().map(ApiGroupVersions::group).toList();
    assertEquals("", names.getFirst());
    assertEquals("apps", names.get(1));
    assertTrue(names.indexOf("batch") < names.indexOf("rbac.authorization.k8s.io"));
    ApiGroupVersions autoscaling =
        registry.groups().stream().filter(g -> g.group().equals("autoscaling")).findFirst().get();
    assertEquals(List.of("v2", "v1"), autoscaling.versions());
    assertEquals("v2", autoscaling.preferredVersion());
    assertEquals("v2", type("autoscaling", "v1", "horizontalpodautoscalers").storageVersion());
  }

  @Test
  void everyServedResourceIsFoundByPluralAndKindOnce() {
    Set<String> seen = new HashSet<>();
    for (ResourceType t : registry.all()) {
      assertTrue(seen.add(t.groupVersion() + "/" + t.plural()), t.plural());
      assertEquals(t, registry.findByKind(t.group(), t.version(), t.kind()).orElseThrow());
    }
    assertEquals(52, registry.all().size());
  }

  @Test
  void eventsOfBothGroupsShareCoreStorage() {
    ResourceType events = type("events.k8s.io", "v1", "events");
    ResourceType stored = registry.storageType(events);
    assertEquals(type("", "v1", "events"), stored);
    assertTrue(registry.strategy(events) == registry.strategy(stored));
  }
}
