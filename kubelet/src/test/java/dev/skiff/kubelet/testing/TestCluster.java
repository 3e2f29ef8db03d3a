package dev.skiff.kubelet.testing;

import static org.awaitility.Awaitility.await;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.kubelet.Kubelet;
import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ImageService;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Skiff's API server on a loopback port over SQLite in a temporary directory, and one kubelet on
 * the fake runtime talking to it over HTTP.
 */
public final class TestCluster implements AutoCloseable {
  public final Path dir;

  /** The in-memory runtime, or null when the cluster runs on a real one. */
  public final FakeRuntime runtime;

  private final ContainerRuntime containerRuntime;
  private final ImageService imageService;
  public final KubeletConfig config;
  private final Store store;
  private final ApiServer server;
  private final KubernetesClient client;
  private Kubelet kubelet;

  public TestCluster(String nodeName) {
    this(nodeName, new FakeRuntime());
  }

  private TestCluster(String nodeName, FakeRuntime fake) {
    this(nodeName, fake, fake, fake, null);
  }

  /** A cluster whose kubelet runs on {@code runtime}, logging under {@code podLogDir}. */
  public TestCluster(
      String nodeName, ContainerRuntime containerRuntime, ImageService images, Path podLogDir) {
    this(nodeName, null, containerRuntime, images, podLogDir);
  }

  private TestCluster(
      String nodeName,
      FakeRuntime fake,
      ContainerRuntime containerRuntime,
      ImageService images,
      Path podLogDir) {
    this.runtime = fake;
    this.containerRuntime = containerRuntime;
    this.imageService = images;
    try {
      dir = Files.createTempDirectory("skiff-kubelet-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = Stores.open(null, dir.resolve("state"));
    server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + server.port())
                    .withNamespace("default")
                    .withHttp2Disable(true)
                    // The API server does not answer WebSocket watch upgrades yet.
                    .withOnlyHttpWatches(true)
                    .build())
            .build();
    KubeletConfig base =
        KubeletConfig.of(
            nodeName,
            "127.0.0.1",
            dir.resolve("kubelet"),
            podLogDir == null ? dir.resolve("logs") : podLogDir);
    config =
        new KubeletConfig(
            base.nodeName(),
            base.nodeIp(),
            null,
            base.rootDir(),
            base.podLogDir(),
            null,
            null,
            null,
            null,
            0,
            null,
            null);
  }

  public KubernetesClient client() {
    return client;
  }

  /** Creates the pod in {@code default}. */
  public Pod create(Pod pod) {
    return client.pods().inNamespace("default").resource(pod).create();
  }

  /** The pod of that name in {@code default}, or null. */
  public Pod pod(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  /** Waits until the pod exists and has a status that matches, and returns it. */
  public Pod awaitPod(String name, Predicate<Pod> condition) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              Pod p = pod(name);
              return p != null && p.getStatus() != null && condition.test(p);
            });
    return pod(name);
  }

  /** The events whose involved object is the pod of that name in {@code default}. */
  public List<Event> events(String pod) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(pod))
        .toList();
  }

  /** Waits until an event about the pod has this reason and a message that matches. */
  public void awaitEvent(String pod, String reason, Predicate<String> message) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                events(pod).stream()
                    .anyMatch(e -> reason.equals(e.getReason()) && message.test(e.getMessage())));
  }

  /** Where the runtime writes the first log of the pod's container, as the kubelet reads it. */
  public Path containerLog(Pod pod, String container) {
    return config
        .podLogDir()
        .resolve("default_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid())
        .resolve(container + "/0.log");
  }

  public Kubelet startKubelet(KubeletConfig c) {
    kubelet = new Kubelet(client, containerRuntime, imageService, c);
    kubelet.start();
    return kubelet;
  }

  public Kubelet startKubelet() {
    return startKubelet(config);
  }

  public void stopKubelet() {
    if (kubelet != null) {
      kubelet.close();
      kubelet = null;
    }
  }

  @Override
  public void close() {
    stopKubelet();
    client.close();
    server.close();
    store.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
