package dev.skiff.runtime.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PortMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Pod networking through a CNI network configuration list: the loopback plugin for {@code lo}, then
 * each plugin of the list in order for {@code eth0}, chaining prevResult and passing portMappings
 * to plugins with that capability; DEL runs the list in reverse with the cached result, as the spec
 * requires. CHECK and DEL run the list that ADD ran, recorded in the sandbox's directory.
 */
public final class CniPodNetwork implements PodNetwork {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String INTERFACE = "eth0";
  static final String RESULT_FILE = "cni-result.json";
  static final String NETWORK_FILE = "cni-network.json";
  private static final Executor LOOPBACK = Executors.newVirtualThreadPerTaskExecutor();

  private final CniPlugins plugins;
  private final JsonNode networkList;
  private final boolean portMappingOnlyForHostPorts;

  /** Runs the list as written, every plugin for every pod. */
  public CniPodNetwork(CniPlugins plugins, JsonNode networkList) {
    this(plugins, networkList, false);
  }

  private CniPodNetwork(
      CniPlugins plugins, JsonNode networkList, boolean portMappingOnlyForHostPorts) {
    this.plugins = plugins;
    this.networkList = networkList;
    this.portMappingOnlyForHostPorts = portMappingOnlyForHostPorts;
  }

  /**
   * For the node's own list ({@link CniNetworkConfig#bridge}): a plugin with the portMappings
   * capability has nothing to do for a pod without hostPorts, so such pods skip it, which saves a
   * plugin process per pod start.
   */
  public static CniPodNetwork portMappingOnlyForHostPorts(
      CniPlugins plugins, JsonNode networkList) {
    return new CniPodNetwork(plugins, networkList, true);
  }

  @Override
  public NetworkStatus setUp(
      String sandboxId, String netns, PodSandboxConfig config, Path stateDir) {
    String args = args(sandboxId, config);
    JsonNode chain = chainFor(config);
    // Recorded before the first plugin runs, so a DEL after a failed ADD undoes the same chain.
    write(stateDir.resolve(NETWORK_FILE), chain);
    // lo and eth0 are independent, so loopback runs beside the list's chain.
    CompletableFuture<JsonNode> lo =
        CompletableFuture.supplyAsync(
            () -> plugins.invoke("ADD", loopback(), sandboxId, netns, "lo", args), LOOPBACK);
    JsonNode prev = null;
    try {
      for (JsonNode plugin : chain.path("plugins")) {
        JsonNode result =
            plugins.invoke(
                "ADD",
                pluginConfig(chain, plugin, prev, config),
                sandboxId,
                netns,
                INTERFACE,
                args);
        if (result != null) prev = result;
      }
    } catch (RuntimeException e) {
      lo.exceptionally(failed -> null).join();
      throw e;
    }
    awaitLoopback(lo);
    if (prev == null)
      throw new CniException(-1, "network " + chain.path("name").asText() + " returned no result");
    write(stateDir.resolve(RESULT_FILE), prev);
    return new NetworkStatus(new CniResult(prev).sandboxIps());
  }

  private JsonNode chainFor(PodSandboxConfig config) {
    if (!portMappingOnlyForHostPorts || !config.portMappings().isEmpty()) return networkList;
    ObjectNode list = networkList.deepCopy();
    ArrayNode kept = list.putArray("plugins");
    for (JsonNode plugin : networkList.path("plugins")) {
      if (!plugin.path("capabilities").path("portMappings").asBoolean()) kept.add(plugin);
    }
    return list;
  }

  /** The list ADD ran for this sandbox; this network's own for sandboxes set up before records. */
  private JsonNode chainOf(Path stateDir) {
    Path f = stateDir.resolve(NETWORK_FILE);
    try {
      return Files.exists(f) ? JSON.readTree(f.toFile()) : networkList;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  private static void write(Path file, JsonNode json) {
    try {
      Files.write(file, JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitLoopback(CompletableFuture<JsonNode> lo) {
    try {
      lo.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  /** Runs CHECK for each plugin against the cached result; throws if the network is broken. */
  public void check(String sandboxId, String netns, PodSandboxConfig config, Path stateDir) {
    JsonNode cached = cached(stateDir);
    JsonNode chain = chainOf(stateDir);
    for (JsonNode plugin : chain.path("plugins")) {
      plugins.invoke(
          "CHECK",
          pluginConfig(chain, plugin, cached, config),
          sandboxId,
          netns,
          INTERFACE,
          args(sandboxId, config));
    }
  }

  @Override
  public void tearDown(String sandboxId, String netns, PodSandboxConfig config, Path stateDir) {
    JsonNode cached = cached(stateDir);
    JsonNode chain = chainOf(stateDir);
    String args = args(sandboxId, config);
    RuntimeException first = null;
    List<JsonNode> list =
        JSON.convertValue(
            chain.path("plugins"),
            JSON.getTypeFactory().constructCollectionType(List.class, JsonNode.class));
    for (JsonNode plugin : list.reversed()) {
      try {
        plugins.invoke(
            "DEL", pluginConfig(chain, plugin, cached, config), sandboxId, netns, INTERFACE, args);
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    try {
      plugins.invoke("DEL", loopback(), sandboxId, netns, "lo", args);
    } catch (RuntimeException e) {
      // The namespace may already be gone; lo goes with it.
    }
    if (first != null) throw first;
    try {
      Files.deleteIfExists(stateDir.resolve(RESULT_FILE));
      Files.deleteIfExists(stateDir.resolve(NETWORK_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode cached(Path stateDir) {
    Path f = stateDir.resolve(RESULT_FILE);
    try {
      return Files.exists(f) ? JSON.readTree(f.toFile()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  static ObjectNode pluginConfig(
      JsonNode list, JsonNode plugin, JsonNode prevResult, PodSandboxConfig config) {
    ObjectNode conf = plugin.deepCopy();
    conf.put("cniVersion", list.path("cniVersion").asText(CniNetworkConfig.VERSION));
    conf.put("name", list.path("name").asText());
    conf.remove("capabilities");
    if (prevResult != null) conf.set("prevResult", prevResult);
    if (plugin.path("capabilities").path("portMappings").asBoolean()
        && !config.portMappings().isEmpty()) {
      ArrayNode mappings = conf.putObject("runtimeConfig").putArray("portMappings");
      for (PortMapping m : config.portMappings()) {
        ObjectNode o = mappings.addObject();
        o.put("hostPort", m.hostPort())
            .put("containerPort", m.containerPort())
            .put("protocol", m.protocol().name().toLowerCase(Locale.ROOT));
        if (m.hostIp() != null && !m.hostIp().isEmpty()) o.put("hostIP", m.hostIp());
      }
    }
    return conf;
  }

  private ObjectNode loopback() {
    ObjectNode lo = JSON.createObjectNode();
    lo.put("cniVersion", networkList.path("cniVersion").asText(CniNetworkConfig.VERSION));
    lo.put("name", "cni-loopback").put("type", "loopback");
    return lo;
  }

  static String args(String sandboxId, PodSandboxConfig config) {
    return "IgnoreUnknown=1;K8S_POD_NAMESPACE="
        + config.metadata().namespace()
        + ";K8S_POD_NAME="
        + config.metadata().name()
        + ";K8S_POD_INFRA_CONTAINER_ID="
        + sandboxId
        + ";K8S_POD_UID="
        + config.metadata().uid();
  }
}
