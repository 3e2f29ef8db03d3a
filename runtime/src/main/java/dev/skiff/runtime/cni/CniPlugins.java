package dev.skiff.runtime.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs CNI plugin executables as the CNI spec says: the command, container id, netns, interface
 * name, args and plugin path in the environment, the network config on stdin, the result (or error)
 * on stdout.
 */
public class CniPlugins {
  private static final Logger LOG = LoggerFactory.getLogger(CniPlugins.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final List<Path> pluginDirs;

  public CniPlugins(List<Path> pluginDirs) {
    this.pluginDirs = List.copyOf(pluginDirs);
  }

  /** Runs {@code ADD}, {@code DEL} or {@code CHECK}; returns the parsed result (ADD only). */
  public JsonNode invoke(
      String command,
      JsonNode config,
      String containerId,
      String netns,
      String ifName,
      String args) {
    String type = config.path("type").asText();
    Path plugin = find(type);
    Map<String, String> env =
        Map.of(
            "CNI_COMMAND", command,
            "CNI_CONTAINERID", containerId,
            "CNI_NETNS", netns,
            "CNI_IFNAME", ifName,
            "CNI_ARGS", args,
            "CNI_PATH", pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
    Command.Result r;
    long t0 = System.nanoTime();
    try {
      r = Command.run(List.of(plugin.toString()), TIMEOUT, JSON.writeValueAsBytes(config), env);
      LOG.debug(
          "CNI {} {} {} for {}: {} ms",
          type,
          command,
          ifName,
          containerId.length() > 12 ? containerId.substring(0, 12) : containerId,
          (System.nanoTime() - t0) / 1_000_000);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (Command.CommandException e) {
      throw new CniException(-1, "CNI plugin " + type + ": " + e.getMessage());
    }
    JsonNode out = null;
    if (r.stdout().length > 0) {
      try {
        out = JSON.readTree(r.stdout());
      } catch (IOException e) {
        throw new CniException(
            -1, "CNI plugin " + type + " " + command + " wrote invalid JSON: " + r.out());
      }
    }
    if (r.exitCode() != 0) {
      String msg = out != null ? out.path("msg").asText(r.err()) : r.err();
      String details = out != null ? out.path("details").asText("") : "";
      throw new CniException(
          out != null ? out.path("code").asInt(-1) : -1,
          "CNI plugin "
              + type
              + " "
              + command
              + " failed: "
              + msg
              + (details.isEmpty() ? "" : " (" + details + ")"));
    }
    return out;
  }

  private Path find(String type) {
    if (type.isEmpty() || type.contains("/"))
      throw new CniException(7, "invalid plugin type \"" + type + "\"");
    for (Path dir : pluginDirs) {
      Path p = dir.resolve(type);
      if (Files.isExecutable(p)) return p;
    }
    throw new CniException(-1, "failed to find plugin \"" + type + "\" in path " + pluginDirs);
  }
}
