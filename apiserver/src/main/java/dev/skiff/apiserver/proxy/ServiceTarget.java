package dev.skiff.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where {@code services/proxy} sends a request: a ready endpoint of the Service, chosen at random
 * among addresses that belong to a pod holding that IP, as upstream chooses. The service is named
 * {@code [scheme:]name[:port]}, the port by name or number.
 */
record ServiceTarget(String scheme, String host, int port) {
  /** The parts of {@code [scheme:]name[:port]}. */
  record Id(String scheme, String name, String port) {
    static Id parse(String id) {
      String[] parts = id.split(":", -1);
      return switch (parts.length) {
        case 1 -> new Id("", parts[0], "");
        case 2 -> new Id("", parts[0], parts[1]);
        case 3 -> {
          if (!parts[0].equals("http") && !parts[0].equals("https")) {
            throw ApiException.badRequest("invalid service request \"" + id + "\"");
          }
          yield new Id(parts[0], parts[1], parts[2]);
        }
        default -> throw ApiException.badRequest("invalid service request \"" + id + "\"");
      };
    }
  }

  static ServiceTarget choose(
      Id id, JsonNode service, JsonNode endpoints, KubeletProxyHandler.ObjectReader objects) {
    String portName = id.port();
    if (!portName.isEmpty() && portName.chars().allMatch(Character::isDigit)) {
      int number = Integer.parseInt(portName);
      portName = null;
      for (JsonNode p : service.path("spec").path("ports")) {
        if (p.path("port").asInt() == number) {
          portName = p.path("name").asText("");
        }
      }
      if (portName == null) {
        throw unavailable("no service port " + number + " found for service \"" + id.name() + "\"");
      }
    }
    JsonNode subsets = endpoints == null ? null : endpoints.path("subsets");
    if (subsets == null || subsets.isEmpty()) {
      throw unavailable("no endpoints available for service \"" + id.name() + "\"");
    }
    String ns = service.path("metadata").path("namespace").asText();
    List<ServiceTarget> candidates = new ArrayList<>();
    for (JsonNode subset : subsets) {
      for (JsonNode port : subset.path("ports")) {
        if (!port.path("name").asText("").equals(portName)) {
          continue;
        }
        for (JsonNode address : subset.path("addresses")) {
          if (heldByItsPod(address, ns, objects)) {
            candidates.add(
                new ServiceTarget(
                    id.scheme().isEmpty() ? "http" : id.scheme(),
                    address.path("ip").asText(),
                    port.path("port").asInt()));
          }
        }
      }
    }
    if (candidates.isEmpty()) {
      throw unavailable("no endpoints available for service \"" + rawId(id) + "\"");
    }
    return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
  }

  /** Only addresses of a pod that has that IP now; a stale endpoint must not be reached. */
  private static boolean heldByItsPod(
      JsonNode address, String ns, KubeletProxyHandler.ObjectReader objects) {
    JsonNode ref = address.path("targetRef");
    if (!ref.path("kind").asText().equals("Pod")) {
      return false;
    }
    String podNs = ref.path("namespace").asText(ns);
    return objects
        .read("pods", podNs, ref.path("name").asText())
        .map(
            pod -> {
              String ip = address.path("ip").asText();
              for (JsonNode p : pod.path("status").path("podIPs")) {
                if (p.path("ip").asText().equals(ip)) {
                  return true;
                }
              }
              return pod.path("status").path("podIP").asText().equals(ip);
            })
        .orElse(false);
  }

  private static String rawId(Id id) {
    String s = id.scheme().isEmpty() ? id.name() : id.scheme() + ":" + id.name();
    return id.port().isEmpty() ? s : s + ":" + id.port();
  }

  static ApiException unavailable(String message) {
    return new ApiException(503, "ServiceUnavailable", message, null, null, null, List.of(), 0);
  }

  String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return scheme + "://" + h + ":" + port;
  }
}
