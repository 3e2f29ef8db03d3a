package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.quantity.Quantity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's quality of service class from its containers' cpu and memory requests and limits, as
 * upstream's GetPodQOS: BestEffort with none, Guaranteed when every container limits both and the
 * requests equal the limits, Burstable otherwise.
 */
public final class QosClass {

  private QosClass() {}

  private static final List<String> COMPUTE = List.of("cpu", "memory");

  public static String of(JsonNode podSpec) {
    Map<String, Quantity> requests = new HashMap<>();
    Map<String, Quantity> limits = new HashMap<>();
    boolean guaranteed = true;
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : podSpec.path(list)) {
        sum(c.path("resources").path("requests"), requests);
        int limited = sum(c.path("resources").path("limits"), limits);
        if (limited < COMPUTE.size()) {
          guaranteed = false;
        }
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) {
      return "BestEffort";
    }
    if (guaranteed && requests.keySet().equals(limits.keySet())) {
      for (String r : requests.keySet()) {
        if (requests.get(r).compareTo(limits.get(r)) != 0) {
          return "Burstable";
        }
      }
      return "Guaranteed";
    }
    return "Burstable";
  }

  /** Adds the non-zero cpu and memory amounts into {@code totals}; returns how many were set. */
  private static int sum(JsonNode amounts, Map<String, Quantity> totals) {
    int set = 0;
    for (String r : COMPUTE) {
      String text = amounts.path(r).asText("");
      if (!Quantity.isValid(text)) {
        continue;
      }
      Quantity q = Quantity.parse(text);
      if (q.isZero()) {
        continue;
      }
      set++;
      totals.merge(r, q, Quantity::add);
    }
    return set;
  }
}
