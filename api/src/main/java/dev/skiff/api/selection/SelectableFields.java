package dev.skiff.api.selection;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields a field selector may name for each kind, as upstream's per-kind GetAttrs: {@code
 * metadata.name} and {@code metadata.namespace} everywhere, plus a few per kind.
 */
public final class SelectableFields {
  private static final List<String> COMMON = List.of("metadata.name", "metadata.namespace");

  private static final Map<String, List<String>> EXTRA =
      Map.ofEntries(
          Map.entry(
              "/Pod",
              List.of(
                  "spec.nodeName",
                  "spec.restartPolicy",
                  "spec.schedulerName",
                  "spec.serviceAccountName",
                  "spec.hostNetwork",
                  "status.phase",
                  "status.podIP",
                  "status.nominatedNodeName")),
          Map.entry(
              "/Event",
              List.of(
                  "involvedObject.kind",
                  "involvedObject.namespace",
                  "involvedObject.name",
                  "involvedObject.uid",
                  "involvedObject.apiVersion",
                  "involvedObject.resourceVersion",
                  "involvedObject.fieldPath",
                  "reason",
                  "reportingComponent",
                  "source",
                  "type")),
          Map.entry("/Secret", List.of("type")),
          Map.entry("/Namespace", List.of("status.phase")),
          Map.entry("/Node", List.of("spec.unschedulable")),
          Map.entry("/ReplicationController", List.of("status.replicas")),
          Map.entry("apps/ReplicaSet", List.of("status.replicas")),
          Map.entry("batch/Job", List.of("status.successful")),
          Map.entry("certificates.k8s.io/CertificateSigningRequest", List.of("spec.signerName")));

  private SelectableFields() {}

  /** Names a field selector may use for {@code group}/{@code kind}. */
  public static List<String> supported(String group, String kind) {
    List<String> extra = EXTRA.get(group + "/" + kind);
    if (extra == null) {
      return COMMON;
    }
    List<String> all = new java.util.ArrayList<>(COMMON);
    all.addAll(extra);
    return all;
  }

  /**
   * Checks every term of {@code selector} names a supported field.
   *
   * @throws SelectorParseException naming the first unsupported field, as upstream's message
   */
  public static void check(FieldSelector selector, String group, String kind) {
    List<String> ok = supported(group, kind);
    for (FieldSelector.Term t : selector.terms()) {
      if (!ok.contains(t.field())) {
        throw new SelectorParseException("field label not supported: " + t.field());
      }
    }
  }

  /** Values of the selectable fields of {@code obj}; absent fields are the empty string. */
  public static Map<String, String> of(JsonNode obj, String group, String kind) {
    Map<String, String> out = new HashMap<>();
    for (String f : supported(group, kind)) {
      JsonNode n = obj;
      if (f.equals("source") && "Event".equals(kind)) {
        n = obj.path("source").path("component");
      } else {
        for (String part : f.split("\\.")) {
          n = n.path(part);
        }
      }
      out.put(f, n.isMissingNode() || n.isNull() ? "" : n.asText());
    }
    return out;
  }
}
