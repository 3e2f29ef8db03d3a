package dev.skiff.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.ResourceType;
import dev.skiff.api.registry.BuiltinRegistry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenApiTest {
  private static final BuiltinRegistry REGISTRY = new BuiltinRegistry();

  @Test
  void v2DefinesKindsUnderUpstreamNamesWithTheirGroupVersionKind() {
    ObjectNode doc = OpenApiV2.document(REGISTRY);
    JsonNode defs = doc.path("definitions");

    assertEquals("2.0", doc.path("swagger").asText());
    JsonNode deployment = defs.path("io.k8s.api.apps.v1.Deployment");
    assertEquals(
        "{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}",
        deployment.path("x-kubernetes-group-version-kind").get(0).toString());
    assertEquals(
        "#/definitions/io.k8s.api.apps.v1.DeploymentSpec",
        deployment.at("/properties/spec/$ref").asText());
    assertEquals(
        "integer", defs.at("/io.k8s.api.apps.v1.DeploymentSpec/properties/replicas/type").asText());
    assertEquals(
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        defs.at("/io.k8s.api.core.v1.Pod/properties/metadata/$ref").asText());
    assertEquals(
        "PodList",
        defs.at("/io.k8s.api.core.v1.PodList/x-kubernetes-group-version-kind/0/kind").asText());
    assertEquals(
        "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity",
        defs.at(
                "/io.k8s.api.core.v1.ResourceRequirements/properties/limits/additionalProperties/$ref")
            .asText());
  }

  @Test
  void requiredFieldsAreListed() {
    JsonNode defs = OpenApiV2.document(REGISTRY).path("definitions");

    assertEquals(
        "[\"selector\",\"template\"]",
        defs.at("/io.k8s.api.apps.v1.DeploymentSpec/required").toString());
    assertEquals("[\"name\"]", defs.at("/io.k8s.api.core.v1.Container/required").toString());
    assertTrue(defs.at("/io.k8s.api.apps.v1.Deployment/required").isMissingNode());
  }

  @Test
  void v2CarriesPatchStrategiesOfBuiltinTypes() {
    JsonNode containers =
        OpenApiV2.document(REGISTRY)
            .at("/definitions/io.k8s.api.core.v1.PodSpec/properties/containers");

    assertEquals("merge", containers.path("x-kubernetes-patch-strategy").asText());
    assertEquals("name", containers.path("x-kubernetes-patch-merge-key").asText());
  }

  @Test
  void v2PathsHaveOperationsWithFieldValidationAndDryRun() {
    JsonNode paths = OpenApiV2.document(REGISTRY).path("paths");
    JsonNode patch =
        paths.at("/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");

    assertEquals("patchAppsV1NamespacedDeployment", patch.path("operationId").asText());
    assertEquals("patch", patch.path("x-kubernetes-action").asText());
    assertTrue(parameterNames(patch).containsAll(List.of("body", "dryRun", "fieldValidation")));
    assertEquals(
        "listCoreV1PodForAllNamespaces", paths.at("/~1api~1v1~1pods/get/operationId").asText());
    assertEquals("readCoreV1Node", paths.at("/~1api~1v1~1nodes~1{name}/get/operationId").asText());
    assertEquals(
        "Scale",
        paths
            .at(
                "/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}~1scale/put/x-kubernetes-group-version-kind/kind")
            .asText());
  }

  @Test
  void v3HasOneSelfContainedDocumentPerGroupVersion() {
    Map<String, ObjectNode> docs = OpenApiV3.documents(REGISTRY);

    assertTrue(docs.containsKey("api/v1"));
    assertTrue(docs.containsKey("apis/apps/v1"));
    assertTrue(docs.containsKey("apis/rbac.authorization.k8s.io/v1"));
    for (Map.Entry<String, ObjectNode> e : docs.entrySet()) {
      JsonNode schemas = e.getValue().at("/components/schemas");
      for (String ref : refs(e.getValue(), new ArrayList<>())) {
        assertTrue(ref.startsWith("#/components/schemas/"), ref);
        assertTrue(
            schemas.has(ref.substring("#/components/schemas/".length())),
            e.getKey() + " lacks " + ref);
      }
    }
  }

  @Test
  void v3PatchOperationDeclaresFieldValidationAsKubectlChecks() {
    ObjectNode apps = OpenApiV3.documents(REGISTRY).get("apis/apps/v1");
    JsonNode patch =
        apps.path("paths")
            .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
            .path("patch");

    assertEquals("Deployment", patch.at("/x-kubernetes-group-version-kind/kind").asText());
    assertTrue(parameterNames(patch).contains("fieldValidation"));
    assertTrue(patch.at("/requestBody/content").has("application/strategic-merge-patch+json"));
    assertFalse(apps.path("paths").has("/api/v1/pods"));
  }

  @Test
  void customResourcesGetAnOpenSchemaUnderTheirGroupVersion() {
    ResourceType crontab =
        new ResourceType(
            "stable.example.com",
            "v1",
            "CronTab",
            "crontabs",
            "crontab",
            true,
            List.of("ct"),
            List.of(),
            Set.of("get", "list", "create", "update", "patch", "delete"),
            List.of(),
            GenericKubernetesResource.class,
            "v1");
    ResourceRegistry withCrd =
        new ResourceRegistry() {
          @Override
          public Collection<ResourceType> all() {
            List<ResourceType> all = new ArrayList<>(REGISTRY.all());
            all.add(crontab);
            return all;
          }

          @Override
          public Optional<ResourceType> find(String group, String version, String plural) {
            return all().stream()
                .filter(
                    t ->
                        t.group().equals(group)
                            && t.version().equals(version)
                            && t.plural().equals(plural))
                .findFirst();
          }

          @Override
          public Optional<ResourceType> findByKind(String group, String version, String kind) {
            return REGISTRY.findByKind(group, version, kind);
          }

          @Override
          public List<ApiGroupVersions> groups() {
            return REGISTRY.groups();
          }

          @Override
          public ResourceStrategy strategy(ResourceType type) {
            return REGISTRY.strategy(type);
          }

          @Override
          public ObjectNode convert(ObjectNode obj, ResourceType from, ResourceType to) {
            return obj;
          }
        };

    ObjectNode doc = OpenApiV3.documents(withCrd).get("apis/stable.example.com/v1");
    JsonNode schema = doc.at("/components/schemas/com.example.stable.v1.CronTab");

    assertEquals("CronTab", schema.at("/x-kubernetes-group-version-kind/0/kind").asText());
    assertTrue(schema.path("x-kubernetes-preserve-unknown-fields").asBoolean());
    assertTrue(
        parameterNames(
                doc.at(
                    "/paths/~1apis~1stable.example.com~1v1~1namespaces~1{namespace}~1crontabs~1{name}/patch"))
            .contains("fieldValidation"));
    assertTrue(OpenApiV2.document(withCrd).path("definitions").has("io.k8s.api.core.v1.Pod"));
  }

  private static List<String> parameterNames(JsonNode op) {
    List<String> names = new ArrayList<>();
    op.path("parameters").forEach(p -> names.add(p.path("name").asText()));
    return names;
  }

  private static List<String> refs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals("$ref")) {
                  out.add(e.getValue().asText());
                } else {
                  refs(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> refs(n, out));
    }
    return out;
  }
}
