package dev.skiff.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a pod fits nowhere: each node's rejection, the plugins that rejected it, and the messages of
 * PreFilter and PostFilter. Renders upstream's "0/3 nodes are available: ..." text.
 */
public final class Diagnosis {
  private final Map<String, Status> nodeToStatus = new HashMap<>();
  private final Set<String> unschedulablePlugins = new LinkedHashSet<>();
  private Status absentNodesStatus;
  private String preFilterMessage = "";
  private String postFilterMessage = "";

  public void setNodeStatus(String node, Status status) {
    nodeToStatus.put(node, status);
    if (status.isRejected() && !status.plugin().isEmpty()) {
      unschedulablePlugins.add(status.plugin());
    }
  }

  public Map<String, Status> nodeToStatus() {
    return nodeToStatus;
  }

  /** The status of every node not in {@link #nodeToStatus}, e.g. after a PreFilter rejection. */
  public void setAbsentNodesStatus(Status status) {
    absentNodesStatus = status;
    if (status.isRejected() && !status.plugin().isEmpty()) {
      unschedulablePlugins.add(status.plugin());
    }
  }

  public Status absentNodesStatus() {
    return absentNodesStatus;
  }

  public Set<String> unschedulablePlugins() {
    return unschedulablePlugins;
  }

  public void addUnschedulablePlugin(String plugin) {
    unschedulablePlugins.add(plugin);
  }

  public void setPreFilterMessage(String message) {
    preFilterMessage = message == null ? "" : message;
  }

  public void setPostFilterMessage(String message) {
    postFilterMessage = message == null ? "" : message;
  }

  /**
   * Upstream's FitError text: reasons counted over nodes, sorted as strings, then the PostFilter
   * (preemption) message.
   */
  public String message(int numAllNodes) {
    StringBuilder sb = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
    if (!preFilterMessage.isEmpty()) {
      sb.append(' ').append(preFilterMessage).append('.');
    } else {
      Map<String, Integer> reasons = new HashMap<>();
      for (Status s : nodeToStatus.values()) {
        s.reasons().forEach(r -> reasons.merge(r, 1, Integer::sum));
      }
      int absent = numAllNodes - nodeToStatus.size();
      if (absent > 0 && absentNodesStatus != null) {
        absentNodesStatus.reasons().forEach(r -> reasons.merge(r, absent, Integer::sum));
      }
      List<String> histogram = new ArrayList<>();
      reasons.forEach((r, n) -> histogram.add(n + " " + r));
      histogram.sort(null);
      if (!histogram.isEmpty()) {
        sb.append(' ').append(String.join(", ", histogram)).append('.');
      }
    }
    if (!postFilterMessage.isEmpty()) {
      sb.append(' ').append(postFilterMessage).append('.');
    }
    return sb.toString();
  }
}
