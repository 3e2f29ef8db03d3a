package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.api.validation.NameValidation;
import dev.skiff.api.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Services: DNS-1035 names, upstream's defaults (type ClusterIP, sessionAffinity None, ports TCP
 * with targetPort = port), port rules, an immutable cluster IP, and kubectl's columns. Cluster IPs
 * and node ports are allocated by the API server, not here.
 */
public final class ServiceStrategy extends DefaultStrategy {

  private static final List<String> TYPES =
      List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> AFFINITIES = List.of("ClientIP", "None");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Type", "string", "The type of the service."),
          TableColumn.of(
              "Cluster-IP", "string", "The IP address of the service inside the cluster."),
          TableColumn.of("External-IP", "string", "The external IPs of the service."),
          TableColumn.of("Port(s)", "string", "The ports the service exposes."),
          TableColumn.AGE,
          TableColumn.wide(
              "Selector",
              "string",
              "Route service traffic to pods with label keys and values matching this selector."));

  public ServiceStrategy() {
    super(true, NameValidation.DNS1035_LABEL_NAME, false);
  }

  @Override
  public void applyDefaults(ObjectNode svc) {
    ObjectNode spec = svc.withObject("spec");
    PodSpecDefaults.putIfAbsent(spec, "type", "ClusterIP");
    PodSpecDefaults.putIfAbsent(spec, "sessionAffinity", "None");
    String type = spec.path("type").asText();
    if (spec.path("sessionAffinity").asText().equals("ClientIP")
        && !spec.path("sessionAffinityConfig").path("clientIP").hasNonNull("timeoutSeconds")) {
      spec.withObject("sessionAffinityConfig").withObject("clientIP").put("timeoutSeconds", 10800);
    }
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        PodSpecDefaults.putIfAbsent(port, "protocol", "TCP");
        JsonNode target = port.get("targetPort");
        if (target == null
            || target.isNull()
            || (target.isNumber() && target.asInt() == 0)
            || (target.isTextual() && target.asText().isEmpty())) {
          port.set("targetPort", port.get("port"));
        }
      }
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      PodSpecDefaults.putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
    }
    if (!type.equals("ExternalName")) {
      PodSpecDefaults.putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer") && !spec.hasNonNull("allocateLoadBalancerNodePorts")) {
      spec.put("allocateLoadBalancerNodePorts", true);
    }
  }

  @Override
  public void prepareForCreate(ObjectNode svc) {
    ObjectNode spec = svc.withObject("spec");
    if (!spec.path("type").asText().equals("ExternalName")) {
      PodSpecDefaults.putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
      if (spec.path("ipFamilies").isEmpty()) {
        spec.putArray("ipFamilies").add("IPv4");
      }
    }
    svc.putObject("status").putObject("loadBalancer");
  }

  /**
   * A replace that omits allocated values keeps them, as upstream does, so {@code kubectl replace}
   * of a manifest without clusterIP or nodePort works.
   */
  @Override
  public void prepareForUpdate(ObjectNode svc, ObjectNode old) {
    ObjectNode spec = svc.withObject("spec");
    JsonNode oldSpec = old.path("spec");
    boolean externalName = spec.path("type").asText().equals("ExternalName");
    if (!externalName) {
      if (spec.path("clusterIP").asText("").isEmpty() && spec.path("clusterIPs").isEmpty()) {
        for (String f : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
          if (oldSpec.has(f) && !spec.hasNonNull(f)) {
            spec.set(f, oldSpec.get(f).deepCopy());
          }
        }
      }
      // clusterIP and clusterIPs[0] name one address; a request may give either.
      String ip = spec.path("clusterIP").asText("");
      if (!ip.isEmpty() && spec.path("clusterIPs").isEmpty()) {
        spec.putArray("clusterIPs").add(ip);
      } else if (ip.isEmpty() && !spec.path("clusterIPs").isEmpty()) {
        spec.put("clusterIP", spec.path("clusterIPs").path(0).asText());
      }
    }
    if (!spec.path("type").asText().equals(oldSpec.path("type").asText())) {
      dropTypeDependentFields(spec, oldSpec);
    }
    keepOrDropHealthCheckNodePort(spec, oldSpec);
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port && port.path("nodePort").asInt(0) == 0) {
        for (JsonNode o : oldSpec.path("ports")) {
          if (o.path("port").asInt() == port.path("port").asInt()
              && o.path("protocol").asText().equals(port.path("protocol").asText())
              && o.path("nodePort").asInt(0) != 0
              && !spec.path("type").asText().equals("ClusterIP")) {
            port.put("nodePort", o.path("nodePort").asInt());
          }
        }
      }
    }
    keepStatus(svc, old);
  }

  /**
   * On a change of type, fields the new type cannot have are cleared when the request left them as
   * they were (a patch of just {@code type} carries the old values along), as upstream does; values
   * the user changed in the same request stay, so validation names them.
   */
  private static void dropTypeDependentFields(ObjectNode spec, JsonNode oldSpec) {
    String type = spec.path("type").asText("ClusterIP");
    boolean loadBalancer = type.equals("LoadBalancer");
    boolean nodePorts =
        type.equals("NodePort")
            || (loadBalancer && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
    if (!nodePorts && sameNodePorts(spec.path("ports"), oldSpec.path("ports"))) {
      for (JsonNode port : spec.path("ports")) {
        if (port instanceof ObjectNode p) {
          p.remove("nodePort");
        }
      }
    }
    boolean external = type.equals("NodePort") || loadBalancer;
    if (!external) {
      removeIfUnchanged(spec, oldSpec, "externalTrafficPolicy");
    }
    if (!loadBalancer) {
      for (String f :
          List.of("allocateLoadBalancerNodePorts", "loadBalancerClass", "loadBalancerIP")) {
        removeIfUnchanged(spec, oldSpec, f);
      }
    }
    if (type.equals("ExternalName")) {
      for (String f : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
        removeIfUnchanged(spec, oldSpec, f);
      }
    }
  }

  /**
   * The health check port follows {@code type: LoadBalancer} with {@code externalTrafficPolicy:
   * Local}: a request that omits it keeps the allocated one, and one that leaves that pairing drops
   * it (so it is released) unless the request changed it, as upstream.
   */
  private static void keepOrDropHealthCheckNodePort(ObjectNode spec, JsonNode oldSpec) {
    boolean needed = needsHealthCheck(oldSpec);
    if (needed && needsHealthCheck(spec) && spec.path("healthCheckNodePort").asInt(0) == 0) {
      spec.set("healthCheckNodePort", oldSpec.get("healthCheckNodePort"));
    } else if (needed && !needsHealthCheck(spec)) {
      removeIfUnchanged(spec, oldSpec, "healthCheckNodePort");
    }
  }

  /** Upstream's NeedsHealthCheck: the Services kube-proxy serves a health check port for. */
  public static boolean needsHealthCheck(JsonNode spec) {
    return spec.path("type").asText().equals("LoadBalancer")
        && spec.path("externalTrafficPolicy").asText().equals("Local");
  }

  private static boolean sameNodePorts(JsonNode ports, JsonNode oldPorts) {
    for (JsonNode port : ports) {
      int nodePort = port.path("nodePort").asInt(0);
      if (nodePort == 0) {
        continue;
      }
      boolean held = false;
      for (JsonNode o : oldPorts) {
        held |= o.path("nodePort").asInt(0) == nodePort;
      }
      if (!held) {
        return false;
      }
    }
    return true;
  }

  private static void removeIfUnchanged(ObjectNode spec, JsonNode oldSpec, String field) {
    if (spec.has(field) && spec.get(field).equals(oldSpec.get(field))) {
      spec.remove(field);
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode svc) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = svc.path("spec");
    String type = spec.path("type").asText("");
    if (!TYPES.contains(type)) {
      errs.add(FieldError.notSupported("spec.type", type, TYPES));
    }
    String affinity = spec.path("sessionAffinity").asText("");
    if (!AFFINITIES.contains(affinity)) {
      errs.add(FieldError.notSupported("spec.sessionAffinity", affinity, AFFINITIES));
    }
    boolean headless = spec.path("clusterIP").asText("").equals("None");
    JsonNode ports = spec.path("ports");
    if (type.equals("ExternalName")) {
      String name = spec.path("externalName").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required("spec.externalName", ""));
      } else {
        NameValidation.dns1123Subdomain(
                name.endsWith(".") ? name.substring(0, name.length() - 1) : name)
            .forEach(m -> errs.add(FieldError.invalid("spec.externalName", name, m)));
      }
    } else if (ports.isEmpty() && !headless) {
      errs.add(FieldError.required("spec.ports", ""));
    }
    Set<String> names = new HashSet<>();
    Set<String> portKeys = new HashSet<>();
    Set<String> nodePortKeys = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String p = "spec.ports[" + i + "]";
      errs.addAll(port(port, p, ports.size() > 1, names, type));
      String protocol = port.path("protocol").asText("");
      int number = port.path("port").asInt(0);
      if (!portKeys.add(protocol + "/" + number)) {
        errs.add(FieldError.duplicate(p, servicePortKey(protocol, number, 0)));
      }
      int nodePort = port.path("nodePort").asInt(0);
      if (nodePort != 0 && !nodePortKeys.add(protocol + "/" + nodePort)) {
        errs.add(FieldError.duplicate(p + ".nodePort", (long) nodePort));
      }
    }
    errs.addAll(ObjectMetaValidation.labels(spec.path("selector"), "spec.selector"));
    for (String f : List.of("externalTrafficPolicy", "internalTrafficPolicy")) {
      String v = spec.path(f).asText("");
      if (!v.isEmpty() && !TRAFFIC_POLICIES.contains(v)) {
        errs.add(FieldError.notSupported("spec." + f, v, TRAFFIC_POLICIES));
      }
    }
    if (spec.has("externalTrafficPolicy")
        && (type.equals("ClusterIP") || type.equals("ExternalName"))) {
      errs.add(
          FieldError.invalid(
              "spec.externalTrafficPolicy",
              spec.path("externalTrafficPolicy").asText(),
              "may only be set for externally-accessible services"));
    }
    int healthCheckNodePort = spec.path("healthCheckNodePort").asInt(0);
    if (healthCheckNodePort != 0 && !needsHealthCheck(spec)) {
      errs.add(
          FieldError.invalid(
              "spec.healthCheckNodePort",
              healthCheckNodePort,
              "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is"
                  + " 'Local'"));
    } else if (healthCheckNodePort != 0) {
      NameValidation.portNumber(healthCheckNodePort)
          .forEach(
              m ->
                  errs.add(FieldError.invalid("spec.healthCheckNodePort", healthCheckNodePort, m)));
    }
    return errs;
  }

  private static List<FieldError> port(
      JsonNode port, String p, boolean many, Set<String> names, String type) {
    List<FieldError> errs = new ArrayList<>();
    String name = port.path("name").asText("");
    if (many && name.isEmpty()) {
      errs.add(FieldError.required(p + ".name", ""));
    } else if (!name.isEmpty()) {
      NameValidation.dns1123Label(name)
          .forEach(m -> errs.add(FieldError.invalid(p + ".name", name, m)));
      if (!names.add(name)) {
        errs.add(FieldError.duplicate(p + ".name", name));
      }
    }
    long number = port.path("port").asLong(0);
    NameValidation.portNumber(number)
        .forEach(m -> errs.add(FieldError.invalid(p + ".port", number, m)));
    String protocol = port.path("protocol").asText("");
    if (!PROTOCOLS.contains(protocol)) {
      errs.add(FieldError.notSupported(p + ".protocol", protocol, PROTOCOLS));
    }
    JsonNode target = port.path("targetPort");
    if (target.isNumber()) {
      NameValidation.portNumber(target.asLong())
          .forEach(m -> errs.add(FieldError.invalid(p + ".targetPort", target.asLong(), m)));
    } else if (target.isTextual()) {
      NameValidation.portName(target.asText())
          .forEach(m -> errs.add(FieldError.invalid(p + ".targetPort", target.asText(), m)));
    }
    if (port.path("nodePort").asInt(0) != 0 && type.equals("ClusterIP")) {
      errs.add(FieldError.forbidden(p + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
    }
    return errs;
  }

  @Override
  protected List<FieldError> validateSpecUpdate(ObjectNode svc, ObjectNode old) {
    JsonNode spec = svc.path("spec");
    JsonNode oldSpec = old.path("spec");
    boolean externalName =
        spec.path("type").asText().equals("ExternalName")
            || oldSpec.path("type").asText().equals("ExternalName");
    JsonNode ips = spec.path("clusterIPs");
    String oldIp = oldSpec.path("clusterIPs").path(0).asText(oldSpec.path("clusterIP").asText(""));
    List<FieldError> errs = new ArrayList<>();
    if (!externalName && !oldIp.isEmpty() && !ips.path(0).asText("").equals(oldIp)) {
      errs.add(
          FieldError.invalid(
              "spec.clusterIPs[0]", new GoSyntax(goStrings(ips)), "may not change once set"));
    }
    if (needsHealthCheck(oldSpec)
        && needsHealthCheck(spec)
        && spec.path("healthCheckNodePort").asInt(0)
            != oldSpec.path("healthCheckNodePort").asInt(0)) {
      errs.add(FieldError.forbidden("spec.healthCheckNodePort", "field is immutable"));
    }
    return errs;
  }

  /** The core.ServicePort key upstream prints for a repeated port. */
  private static GoSyntax servicePortKey(String protocol, int port, int nodePort) {
    return new GoSyntax(
        "core.ServicePort{Name:\"\", Protocol:"
            + GoSyntax.quote(protocol)
            + ", AppProtocol:(*string)(nil), Port:"
            + port
            + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:"
            + nodePort
            + "}");
  }

  private static String goStrings(JsonNode values) {
    StringBuilder b = new StringBuilder("[]string{");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(GoSyntax.quote(values.get(i).asText()));
    }
    return b.append('}').toString();
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode svc) {
    JsonNode spec = svc.path("spec");
    String clusterIp = spec.path("clusterIPs").path(0).asText("");
    if (clusterIp.isEmpty()) {
      clusterIp = spec.path("clusterIP").asText("");
    }
    List<String> ports =
        Printing.each(
            spec.path("ports"),
            p -> {
              String protocol = p.path("protocol").asText("TCP");
              int nodePort = p.path("nodePort").asInt(0);
              return nodePort > 0
                  ? p.path("port").asInt() + ":" + nodePort + "/" + protocol
                  : p.path("port").asInt() + "/" + protocol;
            });
    return List.of(
        Printing.name(svc),
        spec.path("type").asText(""),
        clusterIp.isEmpty() ? Printing.NONE : clusterIp,
        externalIp(svc),
        Printing.joined(ports),
        Printing.age(svc),
        Printing.selector(spec.path("selector")));
  }

  private static String externalIp(JsonNode svc) {
    JsonNode spec = svc.path("spec");
    List<String> external = Printing.each(spec.path("externalIPs"), JsonNode::asText);
    switch (spec.path("type").asText("")) {
      case "ClusterIP", "NodePort" -> {
        return Printing.joined(external);
      }
      case "LoadBalancer" -> {
        List<String> all = new ArrayList<>();
        for (JsonNode ingress : svc.path("status").path("loadBalancer").path("ingress")) {
          String ip = ingress.path("ip").asText("");
          all.add(ip.isEmpty() ? ingress.path("hostname").asText("") : ip);
        }
        all.addAll(external);
        return all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName" -> {
        return spec.path("externalName").asText("");
      }
      default -> {
        return "<unknown>";
      }
    }
  }
}
