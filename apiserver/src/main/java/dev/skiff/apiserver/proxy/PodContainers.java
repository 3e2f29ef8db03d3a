package dev.skiff.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.List;

/** Which container of a pod a log, exec or attach request means, with upstream's refusals. */
final class PodContainers {
  private PodContainers() {}

  /**
   * The named container, or the only one when none is named; a bad request when the name is missing
   * and there is a choice, or names no container of the pod.
   */
  static String choose(JsonNode pod, String requested) {
    String podName = pod.path("metadata").path("name").asText();
    List<String> containers = names(pod.path("spec").path("containers"));
    List<String> init = names(pod.path("spec").path("initContainers"));
    List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
    if (requested.isEmpty()) {
      if (containers.size() == 1) {
        return containers.get(0);
      }
      StringBuilder msg =
          new StringBuilder("a container name must be specified for pod ")
              .append(podName)
              .append(", choose one of: ")
              .append(bracketed(containers));
      if (!init.isEmpty()) {
        msg.append(" or one of the init containers: ").append(bracketed(init));
      }
      if (!ephemeral.isEmpty()) {
        msg.append(" or one of the ephemeral containers: ").append(bracketed(ephemeral));
      }
      throw ApiException.badRequest(msg.toString());
    }
    if (containers.contains(requested)
        || init.contains(requested)
        || ephemeral.contains(requested)) {
      return requested;
    }
    throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
  }

  /**
   * Refuses logs of a container that has never run, as the kubelet words it; a container with a
   * previous run keeps its logs readable while it waits to restart.
   */
  static void requireStarted(JsonNode pod, String container, boolean previous) {
    if (previous) {
      return;
    }
    JsonNode status = status(pod, container);
    String podName = pod.path("metadata").path("name").asText();
    String prefix = "container \"" + container + "\" in pod \"" + podName + "\" is ";
    if (status == null) {
      throw ApiException.badRequest(prefix + "waiting to start: ContainerCreating");
    }
    JsonNode waiting = status.path("state").path("waiting");
    boolean ranBefore =
        !status.path("lastState").path("terminated").path("containerID").asText().isEmpty();
    if (waiting.isObject() && !ranBefore) {
      String reason = waiting.path("reason").asText("");
      throw ApiException.badRequest(prefix + "waiting to start: " + reason);
    }
  }

  private static JsonNode status(JsonNode pod, String container) {
    for (String field :
        new String[] {"containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"}) {
      for (JsonNode s : pod.path("status").path(field)) {
        if (s.path("name").asText().equals(container)) {
          return s;
        }
      }
    }
    return null;
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : list) {
      out.add(c.path("name").asText());
    }
    return out;
  }

  private static String bracketed(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }
}
