package dev.skiff.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The namespace check comes before every plugin (it lives in the generic create path), so a pod in
 * a missing namespace is refused as such, not by a plugin that looks up its objects.
 */
class NamespaceLifecycleTest extends AdmissionTestBase {

  @Test
  void createsInAMissingNamespaceAreNotFound() {
    var e =
        assertThrows(
            KubernetesClientException.class,
            () ->
                client
                    .pods()
                    .inNamespace("nowhere")
                    .resource(pod("p", Map.of(), Map.of()))
                    .create());
    assertEquals(404, e.getCode());
    assertEquals("namespaces \"nowhere\" not found", e.getStatus().getMessage());
  }
}
