package dev.skiff.api.kinds.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.quantity.Quantity;
import dev.skiff.api.validation.NameValidation;
import dev.skiff.api.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's ValidatePodSpec for the fields people hit: containers (names, images, ports, env,
 * mounts, resources), volumes, restart and DNS policies. {@code path} is where the spec sits, e.g.
 * {@code spec} or {@code spec.template.spec}.
 */
public final class PodSpecValidation {

  private PodSpecValidation() {}

  public static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> DNS_POLICIES =
      List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");

  public static List<FieldError> validate(JsonNode spec, String path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> volumes = new HashSet<>();
    JsonNode vols = spec.path("volumes");
    for (int i = 0; i < vols.size(); i++) {
      String p = path + ".volumes[" + i + "].name";
      String name = vols.get(i).path("name").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p, ""));
      } else {
        NameValidation.dns1123Label(name).forEach(m -> errs.add(FieldError.invalid(p, name, m)));
        if (!volumes.add(name)) {
          errs.add(FieldError.duplicate(p, name));
        }
      }
    }
    // Upstream checks containers first, so a name clash is reported on the init container.
    Set<String> names = new HashSet<>();
    if (spec.path("containers").isEmpty()) {
      errs.add(FieldError.required(path + ".containers", ""));
    } else {
      errs.addAll(containers(spec.path("containers"), path + ".containers", names, volumes));
    }
    errs.addAll(containers(spec.path("initContainers"), path + ".initContainers", names, volumes));
    String restart = spec.path("restartPolicy").asText("");
    if (restart.isEmpty()) {
      errs.add(FieldError.required(path + ".restartPolicy", ""));
    } else if (!RESTART_POLICIES.contains(restart)) {
      errs.add(FieldError.notSupported(path + ".restartPolicy", restart, RESTART_POLICIES));
    }
    String dns = spec.path("dnsPolicy").asText("");
    if (!dns.isEmpty() && !DNS_POLICIES.contains(dns)) {
      errs.add(FieldError.notSupported(path + ".dnsPolicy", dns, DNS_POLICIES));
    }
    JsonNode deadline = spec.path("activeDeadlineSeconds");
    if (deadline.isNumber() && (deadline.asLong() < 1 || deadline.asLong() > Integer.MAX_VALUE)) {
      errs.add(
          FieldError.invalid(
              path + ".activeDeadlineSeconds",
              deadline.asLong(),
              "must be between 1 and 2147483647, inclusive"));
    }
    errs.addAll(ObjectMetaValidation.labels(spec.path("nodeSelector"), path + ".nodeSelector"));
    errs.addAll(tolerations(spec.path("tolerations"), path + ".tolerations"));
    String sa = spec.path("serviceAccountName").asText("");
    if (!sa.isEmpty()) {
      NameValidation.dns1123Subdomain(sa)
          .forEach(m -> errs.add(FieldError.invalid(path + ".serviceAccountName", sa, m)));
    }
    return errs;
  }

  private static List<FieldError> containers(
      JsonNode list, String path, Set<String> names, Set<String> volumes) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      String p = path + "[" + i + "]";
      String name = c.path("name").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p + ".name", ""));
      } else {
        NameValidation.dns1123Label(name)
            .forEach(m -> errs.add(FieldError.invalid(p + ".name", name, m)));
        if (!names.add(name)) {
          errs.add(FieldError.duplicate(p + ".name", name));
        }
      }
      if (c.path("image").asText("").isBlank()) {
        errs.add(FieldError.required(p + ".image", ""));
      }
      String pull = c.path("imagePullPolicy").asText("");
      if (!pull.isEmpty() && !PULL_POLICIES.contains(pull)) {
        errs.add(FieldError.notSupported(p + ".imagePullPolicy", pull, PULL_POLICIES));
      }
      errs.addAll(ports(c.path("ports"), p + ".ports"));
      errs.addAll(env(c.path("env"), p + ".env"));
      JsonNode mounts = c.path("volumeMounts");
      for (int j = 0; j < mounts.size(); j++) {
        String mp = p + ".volumeMounts[" + j + "]";
        String vol = mounts.get(j).path("name").asText("");
        if (vol.isEmpty()) {
          errs.add(FieldError.required(mp + ".name", ""));
        } else if (!volumes.contains(vol)) {
          errs.add(new FieldError(FieldError.Type.NOT_FOUND, mp + ".name", vol, ""));
        }
        if (mounts.get(j).path("mountPath").asText("").isEmpty()) {
          errs.add(FieldError.required(mp + ".mountPath", ""));
        }
      }
      errs.addAll(resources(c.path("resources"), p + ".resources"));
    }
    return errs;
  }

  /** Taint effects in upstream's order, as its "supported values" lists them. */
  public static final List<String> TAINT_EFFECTS =
      List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private static List<FieldError> tolerations(JsonNode tolerations, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < tolerations.size(); i++) {
      JsonNode t = tolerations.get(i);
      String p = path + "[" + i + "]";
      String key = t.path("key").asText("");
      String operator = t.path("operator").asText("");
      String value = t.path("value").asText("");
      String effect = t.path("effect").asText("");
      if (!key.isEmpty()) {
        NameValidation.qualifiedName(key)
            .forEach(m -> errs.add(FieldError.invalid(p + ".key", key, m)));
      } else if (!operator.equals("Exists")) {
        errs.add(
            FieldError.invalid(
                p + ".operator",
                operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all"
                    + " keys\""));
      }
      if (t.hasNonNull("tolerationSeconds") && !effect.equals("NoExecute")) {
        errs.add(
            FieldError.invalid(
                p + ".effect",
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
      switch (operator) {
        case "", "Equal" -> {
          List<String> problems = NameValidation.labelValue(value);
          if (!problems.isEmpty()) {
            errs.add(FieldError.invalid(p + ".operator", value, String.join(";", problems)));
          }
        }
        case "Exists" -> {
          if (!value.isEmpty()) {
            errs.add(
                FieldError.invalid(
                    p + ".operator",
                    new dev.skiff.api.validation.GoSyntax(t.toString()),
                    "value must be empty when `operator` is 'Exists'"));
          }
        }
        default ->
            errs.add(
                FieldError.notSupported(p + ".operator", operator, List.of("Equal", "Exists")));
      }
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(p + ".effect", effect, TAINT_EFFECTS));
      }
    }
    return errs;
  }

  private static List<FieldError> ports(JsonNode ports, String path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      String p = path + "[" + i + "]";
      String name = port.path("name").asText("");
      if (!name.isEmpty()) {
        List<String> problems = NameValidation.portName(name);
        problems.forEach(m -> errs.add(FieldError.invalid(p + ".name", name, m)));
        if (problems.isEmpty() && !names.add(name)) {
          errs.add(FieldError.duplicate(p + ".name", name));
        }
      }
      long containerPort = port.path("containerPort").asLong(0);
      if (containerPort == 0) {
        errs.add(FieldError.required(p + ".containerPort", ""));
      } else {
        NameValidation.portNumber(containerPort)
            .forEach(m -> errs.add(FieldError.invalid(p + ".containerPort", containerPort, m)));
      }
      long hostPort = port.path("hostPort").asLong(0);
      if (hostPort != 0) {
        NameValidation.portNumber(hostPort)
            .forEach(m -> errs.add(FieldError.invalid(p + ".hostPort", hostPort, m)));
      }
      String protocol = port.path("protocol").asText("");
      if (protocol.isEmpty()) {
        errs.add(FieldError.required(p + ".protocol", ""));
      } else if (!PROTOCOLS.contains(protocol)) {
        errs.add(FieldError.notSupported(p + ".protocol", protocol, PROTOCOLS));
      }
    }
    return errs;
  }

  private static List<FieldError> env(JsonNode env, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < env.size(); i++) {
      String p = path + "[" + i + "].name";
      String name = env.get(i).path("name").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p, ""));
      } else if (!name.chars().allMatch(ch -> ch >= 32 && ch <= 126 && ch != '=')) {
        errs.add(
            FieldError.invalid(
                p,
                name,
                "a valid environment variable name must consist only of printable ASCII"
                    + " characters other than '='"));
      }
    }
    return errs;
  }

  /** Every quantity parses and no request exceeds the limit of the same resource. */
  static List<FieldError> resources(JsonNode resources, String path) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, Quantity> limits = new java.util.HashMap<>();
    for (var e : resources.path("limits").properties()) {
      try {
        Quantity limit = Quantity.parse(e.getValue().asText());
        limits.put(e.getKey(), limit);
        errs.addAll(nonNegative(limit, path + ".limits[" + e.getKey() + "]"));
      } catch (IllegalArgumentException bad) {
        errs.add(
            FieldError.invalid(
                path + ".limits[" + e.getKey() + "]", e.getValue().asText(), bad.getMessage()));
      }
    }
    for (var e : resources.path("requests").properties()) {
      String p = path + ".requests[" + e.getKey() + "]";
      try {
        Quantity request = Quantity.parse(e.getValue().asText());
        errs.addAll(nonNegative(request, p));
        Quantity limit = limits.get(e.getKey());
        if (limit != null && request.compareTo(limit) > 0) {
          errs.add(
              FieldError.invalid(
                  p,
                  request.toString(),
                  "must be less than or equal to " + e.getKey() + " limit of " + limit));
        }
      } catch (IllegalArgumentException bad) {
        errs.add(FieldError.invalid(p, e.getValue().asText(), bad.getMessage()));
      }
    }
    return errs;
  }

  private static List<FieldError> nonNegative(Quantity q, String path) {
    return q.signum() < 0
        ? List.of(FieldError.invalid(path, q.toString(), "must be greater than or equal to 0"))
        : List.of();
  }
}
