package dev.skiff.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.testing.MemoryStore;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ServiceAccount plugin on the server's write path; it is enabled with access control, so here
 * the store is driven directly with the chain that such a server uses.
 */
class ServiceAccountAdmissionTest {
  private MemoryStore store;
  private ResourceStore resources;
  private ResourceType pods;
  private ResourceType accounts;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    ResourceRegistry registry = new BuiltinRegistry();
    pods = registry.find("", "v1", "pods").orElseThrow();
    accounts = registry.find("", "v1", "serviceaccounts").orElseThrow();
    resources =
        new ResourceStore(
            store,
            registry,
            name -> Optional.of(Json.object().put("kind", "Namespace")),
            Clock.systemUTC());
    resources.setAdmission(AdmissionChain.standard(resources, registry, true));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private ObjectNode pod(String name) throws Exception {
    return (ObjectNode)
        Json.MAPPER.readTree(
            "{\"metadata\":{\"name\":\""
                + name
                + "\"},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"busybox\"}],"
                + "\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox\"}]}}");
  }

  private void account(String name, Boolean automount) {
    ObjectNode sa = Json.object();
    Json.metadata(sa).put("name", name);
    if (automount != null) {
      sa.put("automountServiceAccountToken", automount);
    }
    resources.create(accounts, "team", sa, false);
  }

  @Test
  void podsRunAsTheDefaultAccountWithProjectedCredentials() throws Exception {
    account("default", null);
    JsonNode created = resources.create(pods, "team", pod("p"), false);
    JsonNode spec = created.path("spec");
    assertEquals("default", spec.path("serviceAccountName").asText());
    JsonNode volume = spec.path("volumes").get(0);
    String name = volume.path("name").asText();
    assertTrue(name.matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    JsonNode sources = volume.path("projected").path("sources");
    assertEquals(
        3607, sources.get(0).path("serviceAccountToken").path("expirationSeconds").asInt());
    assertEquals("token", sources.get(0).path("serviceAccountToken").path("path").asText());
    assertEquals("kube-root-ca.crt", sources.get(1).path("configMap").path("name").asText());
    assertEquals(
        "ca.crt", sources.get(1).path("configMap").path("items").get(0).path("key").asText());
    assertEquals(
        "metadata.namespace",
        sources
            .get(2)
            .path("downwardAPI")
            .path("items")
            .get(0)
            .path("fieldRef")
            .path("fieldPath")
            .asText());
    for (String list : new String[] {"containers", "initContainers"}) {
      JsonNode mount = spec.path(list).get(0).path("volumeMounts").get(0);
      assertEquals(name, mount.path("name").asText());
      assertEquals(
          "/var/run/secrets/kubernetes.io/serviceaccount", mount.path("mountPath").asText());
      assertTrue(mount.path("readOnly").asBoolean());
    }
  }

  @Test
  void automountCanBeTurnedOffByTheAccountOrThePod() throws Exception {
    account("quiet", false);
    ObjectNode p = pod("quiet");
    ((ObjectNode) p.get("spec")).put("serviceAccountName", "quiet");
    assertFalse(resources.create(pods, "team", p, false).path("spec").has("volumes"));
    account("default", null);
    ObjectNode off = pod("off");
    ((ObjectNode) off.get("spec")).put("automountServiceAccountToken", false);
    assertFalse(resources.create(pods, "team", off, false).path("spec").has("volumes"));
  }

  @Test
  void aMissingAccountIsForbidden() throws Exception {
    ObjectNode p = pod("lost");
    ((ObjectNode) p.get("spec")).put("serviceAccountName", "ghost");
    ApiException e =
        assertThrows(ApiException.class, () -> resources.create(pods, "team", p, false));
    assertEquals(403, e.code());
    assertEquals(
        "pods \"lost\" is forbidden: error looking up service account team/ghost:"
            + " serviceaccount \"ghost\" not found",
        e.getMessage());
    assertTrue(resources.read(pods, "team", "lost").isEmpty());
  }
}
