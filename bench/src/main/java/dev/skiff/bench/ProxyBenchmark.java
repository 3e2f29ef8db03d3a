package dev.skiff.bench;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.network.proxy.IptablesCommand;
import dev.skiff.network.proxy.IptablesRestoreWriter;
import dev.skiff.network.proxy.IptablesSyncer;
import dev.skiff.network.proxy.ProxyConfig;
import dev.skiff.network.proxy.ProxyInputs;
import dev.skiff.network.proxy.Ruleset;
import dev.skiff.network.proxy.RulesetBuilder;
import dev.skiff.network.proxy.ServicePortInfo;
import dev.skiff.network.proxy.ServiceProxy;
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kube-proxy's full-sync cost: {@code ./skiff bench proxy [--services N] [--endpoints N] [--rounds
 * N]}. Builds the ruleset for N Services with M endpoints each, renders it, and applies it with the
 * real {@code iptables-restore} inside a network namespace the benchmark makes and deletes ({@code
 * skiff-bench-proxy}); then measures one endpoint change (partial sync). Needs root.
 */
public final class ProxyBenchmark {
  private static final String NETNS = "skiff-bench-proxy";

  public static void main(String[] args) throws Exception {
    IntOptions options =
        new IntOptions("ProxyBenchmark")
            .with("--services", 1000)
            .with("--endpoints", 5)
            .with("--rounds", 5)
            .parse(args);
    int services = options.get("--services");
    int endpoints = options.get("--endpoints");
    int rounds = options.get("--rounds");
    run("ip", "netns", "add", NETNS);
    try {
      measure(services, endpoints, rounds);
      endToEnd(services, endpoints, rounds);
    } finally {
      run("ip", "netns", "delete", NETNS);
    }
  }

  private static void measure(int serviceCount, int endpointCount, int rounds) throws Exception {
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    for (int s = 0; s < serviceCount; s++) {
      services.add(service(s));
      slices.add(slice(s, endpointCount, 0));
    }
    ProxyConfig config = ProxyConfig.of("node-0", "10.42.0.0/16");
    RulesetBuilder builder = new RulesetBuilder(config);
    IptablesSyncer syncer = new IptablesSyncer(config, IptablesCommand.inNetns(NETNS));
    System.out.printf(
        "proxy: %d services x %d endpoints, %d rounds%n", serviceCount, endpointCount, rounds);
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      List<ServicePortInfo> ports = new ArrayList<>();
      services.forEach(s -> ports.addAll(ProxyInputs.servicePorts(s)));
      Ruleset ruleset = builder.build(ports, ProxyInputs.endpoints(slices));
      long t1 = System.nanoTime();
      String text = IptablesRestoreWriter.render(ruleset, Map.of());
      long t2 = System.nanoTime();
      syncer.cleanup();
      long t3 = System.nanoTime();
      syncer.apply(ruleset);
      long t4 = System.nanoTime();
      System.out.printf(
          "full sync: build %d ms, render %d ms (%d rules, %d KiB), apply (chain listing,"
              + " iptables-restore, jumps) %d ms, total %d ms%n",
          ms(t1 - t0),
          ms(t2 - t1),
          ruleset.ruleCount(),
          text.length() / 1024,
          ms(t4 - t3),
          ms(t1 - t0) + ms(t2 - t1) + ms(t4 - t3));
    }
    for (int round = 0; round < rounds; round++) {
      slices.set(round, slice(round, endpointCount, round + 1));
      long t0 = System.nanoTime();
      List<ServicePortInfo> ports = new ArrayList<>();
      services.forEach(s -> ports.addAll(ProxyInputs.servicePorts(s)));
      Ruleset ruleset = builder.build(ports, ProxyInputs.endpoints(slices));
      long t1 = System.nanoTime();
      var result = syncer.apply(ruleset);
      long t2 = System.nanoTime();
      System.out.printf(
          "one endpoint changed: build %d ms, render+restore %d ms, total %d ms (%d bytes"
              + " written)%n",
          ms(t1 - t0), ms(t2 - t1), ms(t2 - t0), result.bytesWritten());
    }
    for (int round = 0; round < rounds; round++) {
      // A restarted proxy knows nothing it wrote: it lists the chains and rewrites all of them.
      IptablesSyncer restarted = new IptablesSyncer(config, IptablesCommand.inNetns(NETNS));
      long t0 = System.nanoTime();
      var result = restarted.sync(services, slices);
      System.out.printf(
          "full sync over the existing rules (restarted proxy): %d ms (%d KiB written)%n",
          ms(System.nanoTime() - t0), result.bytesWritten() / 1024);
    }
    syncer.cleanup();
  }

  /**
   * The path a user waits on: EndpointSlice update through the real API server, informer event,
   * rate-limited sync, iptables-restore done.
   */
  private static void endToEnd(int serviceCount, int endpointCount, int rounds) throws Exception {
    Path dir = Files.createTempDirectory("skiff-bench-proxy");
    SqliteStore store = SqliteStore.open(dir.resolve("state.db"));
    ApiServer server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + server.port())
                    .withHttp2Disable(true)
                    .withOnlyHttpWatches(true)
                    .build())
            .build();
    ServiceProxy proxy = null;
    try {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("bench").endMetadata().build())
          .create();
      for (int s = 0; s < serviceCount; s++) {
        client.services().resource(service(s)).create();
        client.discovery().v1().endpointSlices().resource(slice(s, endpointCount, 0)).create();
      }
      proxy =
          new ServiceProxy(
              client,
              ProxyConfig.of("node-0", "10.42.0.0/16"),
              IptablesCommand.inNetns(NETNS),
              Duration.ofMillis(100));
      long t0 = System.nanoTime();
      proxy.start();
      awaitSync(proxy, 0);
      System.out.printf(
          "end to end: proxy start to first full sync %d ms%n", ms(System.nanoTime() - t0));
      for (int round = 0; round < rounds; round++) {
        long before = awaitIdle(proxy);
        long t1 = System.nanoTime();
        client
            .discovery()
            .v1()
            .endpointSlices()
            .resource(slice(round, endpointCount, round + 100))
            .update();
        awaitSync(proxy, before);
        System.out.printf(
            "end to end: EndpointSlice update to rules applied %d ms%n",
            ms(System.nanoTime() - t1));
      }
    } finally {
      if (proxy != null) {
        proxy.close();
      }
      client.close();
      server.close();
      store.close();
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * Waits until no sync has run for half a second, so the next one counted is the one the update
   * caused; returns the sync count then.
   */
  private static long awaitIdle(ServiceProxy proxy) throws InterruptedException {
    long count = proxy.syncCount();
    while (true) {
      Thread.sleep(500);
      long now = proxy.syncCount();
      if (now == count) {
        return now;
      }
      count = now;
    }
  }

  private static void awaitSync(ServiceProxy proxy, long before) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (proxy.syncCount() <= before) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the proxy did not sync within 60s");
      }
      Thread.sleep(2);
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Service {@code i}; ClusterIPs start at 10.43.1.1, past the API server's own Service. */
  private static Service service(int i) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("bench")
        .withName("svc-" + i)
        .endMetadata()
        .withNewSpec()
        .withClusterIP("10.43." + (i / 250 + 1) + "." + (i % 250 + 1))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  /** Endpoints of service {@code i}; {@code generation} shifts the last address to change it. */
  private static EndpointSlice slice(int i, int count, int generation) {
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("bench")
            .withName("svc-" + i + "-x")
            .withLabels(Map.of(ProxyInputs.SERVICE_NAME_LABEL, "svc-" + i))
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .withPort(8080)
            .endPort();
    for (int e = 0; e < count; e++) {
      int n = i * count + e + (e == count - 1 ? generation * 7 : 0);
      b.addToEndpoints(
          new EndpointBuilder()
              .withAddresses("10.42." + (n / 250 % 250) + "." + (n % 250 + 1))
              .withNodeName("node-" + (e % 3))
              .build());
    }
    return b.build();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }
}
