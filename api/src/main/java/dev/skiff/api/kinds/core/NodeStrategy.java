package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Nodes: status kept on spec updates, taint rules, and {@code kubectl get nodes} columns. */
public final class NodeStrategy extends DefaultStrategy {

  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Status", "string", "The status of the node"),
          TableColumn.of("Roles", "string", "The roles of the node"),
          TableColumn.AGE,
          TableColumn.of("Version", "string", "Kubelet Version reported by the node."),
          TableColumn.wide(
              "Internal-IP",
              "string",
              "List of addresses reachable to the node. Queried from cloud provider, if available."),
          TableColumn.wide(
              "External-IP",
              "string",
              "List of addresses reachable to the node. Queried from cloud provider, if available."),
          TableColumn.wide(
              "OS-Image",
              "string",
              "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
          TableColumn.wide(
              "Kernel-Version",
              "string",
              "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
          TableColumn.wide(
              "Container-Runtime",
              "string",
              "Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2)."));

  public NodeStrategy() {
    super(false);
  }

  @Override
  public void applyDefaults(ObjectNode node) {
    // podCIDR is the first of podCIDRs; a writer may give either.
    ObjectNode spec = node.withObject("spec");
    String cidr = spec.path("podCIDR").asText("");
    if (!cidr.isEmpty() && spec.path("podCIDRs").isEmpty()) {
      spec.putArray("podCIDRs").add(cidr);
    } else if (cidr.isEmpty() && !spec.path("podCIDRs").isEmpty()) {
      spec.put("podCIDR", spec.path("podCIDRs").path(0).asText());
    }
    // A node that reports capacity but no allocatable can allocate all of it.
    if (node.path("status").get("capacity") instanceof ObjectNode capacity
        && !node.path("status").has("allocatable")) {
      ((ObjectNode) node.get("status")).set("allocatable", capacity.deepCopy());
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode node, ObjectNode old) {
    keepStatus(node, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode node) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode taints = node.path("spec").path("taints");
    TreeSet<String> seen = new TreeSet<>();
    for (int i = 0; i < taints.size(); i++) {
      JsonNode t = taints.get(i);
      String p = "spec.taints[" + i + "]";
      String key = t.path("key").asText("");
      dev.skiff.api.validation.NameValidation.qualifiedName(key)
          .forEach(m -> errs.add(FieldError.invalid(p + ".key", key, m)));
      String effect = t.path("effect").asText("");
      if (effect.isEmpty()) {
        errs.add(FieldError.required(p + ".effect", ""));
      } else if (!PodSpecValidation.TAINT_EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(p + ".effect", effect, PodSpecValidation.TAINT_EFFECTS));
      }
      if (!seen.add(key + ":" + effect)) {
        errs.add(
            FieldError.duplicate(p, new dev.skiff.api.validation.GoSyntax(key + ":" + effect)));
      }
    }
    return errs;
  }

  /** The pod CIDRs and provider ID, once set, are fixed: IPAM and routes depend on them. */
  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode node, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>();
    String message = "node updates may not change podCIDR except from \"\" to valid";
    JsonNode before = old.path("spec").path("podCIDRs");
    JsonNode after = node.path("spec").path("podCIDRs");
    if (!before.isEmpty()) {
      if (before.size() != after.size()) {
        errs.add(FieldError.forbidden("spec.podCIDRs", message));
      } else {
        for (int i = 0; i < before.size(); i++) {
          if (!before.get(i).equals(after.get(i))) {
            errs.add(FieldError.forbidden("spec.podCIDRs[" + i + "]", message));
          }
        }
      }
    }
    String provider = old.path("spec").path("providerID").asText("");
    if (!provider.isEmpty() && !provider.equals(node.path("spec").path("providerID").asText(""))) {
      errs.add(
          FieldError.forbidden(
              "spec.providerID",
              "node updates may not change providerID except from \"\" to valid"));
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode node) {
    JsonNode status = node.path("status");
    List<String> state = new ArrayList<>();
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        state.add(c.path("status").asText().equals("True") ? "Ready" : "NotReady");
      }
    }
    if (state.isEmpty()) {
      state.add("Unknown");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      state.add("SchedulingDisabled");
    }
    JsonNode info = status.path("nodeInfo");
    return List.of(
        Printing.name(node),
        String.join(",", state),
        roles(node),
        Printing.age(node),
        info.path("kubeletVersion").asText(""),
        address(status, "InternalIP"),
        address(status, "ExternalIP"),
        unknownIfEmpty(info.path("osImage")),
        unknownIfEmpty(info.path("kernelVersion")),
        unknownIfEmpty(info.path("containerRuntimeVersion")));
  }

  private static String roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    for (var e : node.path("metadata").path("labels").properties()) {
      if (e.getKey().startsWith(ROLE_PREFIX) && e.getKey().length() > ROLE_PREFIX.length()) {
        roles.add(e.getKey().substring(ROLE_PREFIX.length()));
      } else if (e.getKey().equals("kubernetes.io/role") && !e.getValue().asText("").isEmpty()) {
        roles.add(e.getValue().asText());
      }
    }
    return roles.isEmpty() ? Printing.NONE : String.join(",", roles);
  }

  private static String address(JsonNode status, String type) {
    for (JsonNode a : status.path("addresses")) {
      if (a.path("type").asText().equals(type)) {
        return a.path("address").asText();
      }
    }
    return Printing.NONE;
  }

  private static String unknownIfEmpty(JsonNode v) {
    String s = v.asText("");
    return s.isEmpty() ? "<unknown>" : s;
  }
}
