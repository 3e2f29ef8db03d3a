package dev.skiff.apiserver.admission;

import dev.skiff.apiserver.testing.TestServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A real API server and fabric8 client; each test gets a fresh namespace with a default SA. */
abstract class AdmissionTestBase {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  static TestServer server;
  static KubernetesClient client;
  String ns;

  @BeforeAll
  static void startServer() {
    server = new TestServer();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder().withMasterUrl(server.url()).withOnlyHttpWatches(true).build())
            .build();
  }

  @AfterAll
  static void stopServer() {
    client.close();
    server.close();
  }

  @BeforeEach
  void createNamespace() {
    ns = "adm-" + NAMESPACES.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    // The service account controller's job; the API server alone does not create it.
    client
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .create();
  }

  @AfterEach
  void deleteNamespace() {
    client.namespaces().withName(ns).delete();
  }

  /** Creates a quota and publishes its status as the quota controller would, with nothing used. */
  ResourceQuota quota(String name, Map<String, String> hard) {
    Map<String, Quantity> limits = new java.util.TreeMap<>();
    hard.forEach((k, v) -> limits.put(k, new Quantity(v)));
    ResourceQuota q =
        client
            .resourceQuotas()
            .inNamespace(ns)
            .resource(
                new ResourceQuotaBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .withHard(limits)
                    .endSpec()
                    .build())
            .create();
    Map<String, Quantity> zero = new java.util.TreeMap<>();
    hard.keySet().forEach(k -> zero.put(k, new Quantity("0")));
    q.setStatus(
        new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
            .withHard(limits)
            .withUsed(zero)
            .build());
    return client.resourceQuotas().inNamespace(ns).resource(q).updateStatus();
  }

  static Pod pod(String name, Map<String, String> requests, Map<String, String> limits) {
    var c = new ContainerBuilder().withName("app").withImage("busybox");
    var r = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder();
    requests.forEach((k, v) -> r.addToRequests(k, new Quantity(v)));
    limits.forEach((k, v) -> r.addToLimits(k, new Quantity(v)));
    c.withResources(r.build());
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withContainers(c.build())
        .endSpec()
        .build();
  }

  Pod create(Pod p) {
    return client.pods().inNamespace(ns).resource(p).create();
  }
}
