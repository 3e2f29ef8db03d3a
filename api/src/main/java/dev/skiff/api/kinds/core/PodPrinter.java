package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.Printing;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The row {@code kubectl get pods} prints: READY as ready/total containers, STATUS as the reason
 * kubectl derives from the container states (Running, Completed, ContainerCreating,
 * CrashLoopBackOff, Init:0/1, Terminating ...), RESTARTS with the time of the last one.
 */
final class PodPrinter {

  private PodPrinter() {}

  static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Ready",
              "string",
              "The aggregate readiness state of this pod for accepting traffic."),
          TableColumn.of("Status", "string", "The aggregate status of the containers in this pod."),
          TableColumn.of(
              "Restarts",
              "string",
              "The number of times the containers in this pod have been restarted and when the last"
                  + " container in this pod has restarted."),
          TableColumn.AGE,
          TableColumn.wide("IP", "string", "IP address allocated to the pod."),
          TableColumn.wide("Node", "string", "The node the pod is bound to."),
          TableColumn.wide(
              "Nominated Node", "string", "The node the scheduler nominated for preemption."),
          TableColumn.wide("Readiness Gates", "string", "Pod readiness gates that are true."));

  static List<Object> cells(JsonNode pod) {
    JsonNode spec = pod.path("spec");
    JsonNode status = pod.path("status");
    String phase = status.path("phase").asText("");
    String reason =
        status.path("reason").asText("").isEmpty() ? phase : status.path("reason").asText();
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("PodScheduled")
          && c.path("reason").asText().equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }
    Map<String, Boolean> restartable = new HashMap<>();
    int total = spec.path("containers").size();
    for (JsonNode c : spec.path("initContainers")) {
      boolean sidecar = c.path("restartPolicy").asText().equals("Always");
      restartable.put(c.path("name").asText(), sidecar);
      if (sidecar) {
        total++;
      }
    }
    int ready = 0;
    int restarts = 0;
    int sidecarRestarts = 0;
    String lastRestart = "";
    String lastSidecarRestart = "";
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode cs = initStatuses.get(i);
      boolean sidecar = restartable.getOrDefault(cs.path("name").asText(), false);
      restarts += cs.path("restartCount").asInt();
      lastRestart = later(lastRestart, cs.at("/lastState/terminated/finishedAt").asText(""));
      if (sidecar) {
        sidecarRestarts += cs.path("restartCount").asInt();
        lastSidecarRestart =
            later(lastSidecarRestart, cs.at("/lastState/terminated/finishedAt").asText(""));
      }
      JsonNode terminated = cs.path("state").path("terminated");
      JsonNode waiting = cs.path("state").path("waiting");
      if (terminated.isObject() && terminated.path("exitCode").asInt() == 0) {
        continue;
      }
      if (sidecar && cs.path("started").asBoolean(false)) {
        if (cs.path("ready").asBoolean(false)) {
          ready++;
        }
        continue;
      }
      if (terminated.isObject()) {
        reason = "Init:" + terminatedReason(terminated);
      } else if (!waiting.path("reason").asText("").isEmpty()
          && !waiting.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + spec.path("initContainers").size();
      }
      initializing = true;
      break;
    }
    if (!initializing || conditionTrue(status, "Initialized")) {
      restarts = sidecarRestarts;
      lastRestart = lastSidecarRestart;
      boolean hasRunning = false;
      JsonNode statuses = status.path("containerStatuses");
      for (int i = statuses.size() - 1; i >= 0; i--) {
        JsonNode cs = statuses.get(i);
        restarts += cs.path("restartCount").asInt();
        lastRestart = later(lastRestart, cs.at("/lastState/terminated/finishedAt").asText(""));
        JsonNode waiting = cs.path("state").path("waiting");
        JsonNode terminated = cs.path("state").path("terminated");
        if (!waiting.path("reason").asText("").isEmpty()) {
          reason = waiting.path("reason").asText();
        } else if (terminated.isObject()) {
          reason = terminatedReason(terminated);
        } else if (cs.path("ready").asBoolean(false)
            && cs.path("state").path("running").isObject()) {
          hasRunning = true;
          ready++;
        }
      }
      if (reason.equals("Completed") && hasRunning) {
        reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
      }
    }
    boolean deleting = pod.path("metadata").hasNonNull("deletionTimestamp");
    if (deleting && status.path("reason").asText().equals("NodeLost")) {
      reason = "Unknown";
    } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
      reason = "Terminating";
    }
    String restartCell = String.valueOf(restarts);
    if (restarts != 0 && !lastRestart.isEmpty()) {
      restartCell = restarts + " (" + Printing.since(lastRestart) + " ago)";
    }
    String ip = status.path("podIPs").path(0).path("ip").asText("");
    return List.of(
        Printing.name(pod),
        ready + "/" + total,
        reason,
        restartCell,
        Printing.age(pod),
        ip.isEmpty() ? Printing.NONE : ip,
        Printing.orNone(spec.path("nodeName")),
        Printing.orNone(status.path("nominatedNodeName")),
        readinessGates(spec, status));
  }

  private static String terminatedReason(JsonNode terminated) {
    String reason = terminated.path("reason").asText("");
    if (!reason.isEmpty()) {
      return reason;
    }
    int signal = terminated.path("signal").asInt(0);
    return signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asInt();
  }

  private static String readinessGates(JsonNode spec, JsonNode status) {
    JsonNode gates = spec.path("readinessGates");
    if (gates.isEmpty()) {
      return Printing.NONE;
    }
    int satisfied = 0;
    for (JsonNode gate : gates) {
      if (conditionTrue(status, gate.path("conditionType").asText())) {
        satisfied++;
      }
    }
    return satisfied + "/" + gates.size();
  }

  private static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  /** The later of two RFC 3339 timestamps; same-format UTC strings order lexically. */
  private static String later(String a, String b) {
    return b.compareTo(a) > 0 ? b : a;
  }
}
