package dev.skiff.api.kinds.networking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/** Ingresses: path types and absolute paths, a backend per path, and kubectl's columns. */
public final class IngressStrategy extends DefaultStrategy {

  private static final List<String> PATH_TYPES =
      List.of("Exact", "ImplementationSpecific", "Prefix");
  private static final int SHOWN_HOSTS = 3;

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of("Class", "string", "The name of the IngressClass resource."),
          TableColumn.of(
              "Hosts",
              "string",
              "Hosts that incoming requests are matched against before the ingress rule"),
          TableColumn.of(
              "Address",
              "string",
              "Address is a list containing ingress points for the load-balancer"),
          TableColumn.of("Ports", "string", "Ports of TLS configurations that open"),
          TableColumn.AGE);

  public IngressStrategy() {
    super(true, NameValidation.DNS1123_SUBDOMAIN_NAME, true);
  }

  @Override
  public void prepareForCreate(ObjectNode ing) {
    ing.putObject("status").putObject("loadBalancer");
  }

  @Override
  public void prepareForUpdate(ObjectNode ing, ObjectNode old) {
    keepStatus(ing, old);
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode ing) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = ing.path("spec");
    JsonNode rules = spec.path("rules");
    if (rules.isEmpty() && !spec.has("defaultBackend")) {
      errs.add(
          FieldError.invalid(
              "spec.rules",
              new dev.skiff.api.validation.GoSyntax("[]networking.IngressRule(nil)"),
              "either `defaultBackend` or `rules` must be specified"));
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String host = rule.path("host").asText("");
      String rp = "spec.rules[" + i + "]";
      if (!host.isEmpty()) {
        String checked = host.startsWith("*.") ? host.substring(2) : host;
        NameValidation.dns1123Subdomain(checked)
            .forEach(m -> errs.add(FieldError.invalid(rp + ".host", host, m)));
      }
      JsonNode paths = rule.path("http").path("paths");
      for (int j = 0; j < paths.size(); j++) {
        JsonNode path = paths.get(j);
        String pp = rp + ".http.paths[" + j + "]";
        String type = path.path("pathType").asText("");
        if (type.isEmpty()) {
          errs.add(FieldError.required(pp + ".pathType", "pathType must be specified"));
        } else if (!PATH_TYPES.contains(type)) {
          errs.add(FieldError.notSupported(pp + ".pathType", type, PATH_TYPES));
        }
        String p = path.path("path").asText("");
        if (!type.equals("ImplementationSpecific") && !p.startsWith("/")) {
          errs.add(FieldError.invalid(pp + ".path", p, "must be an absolute path"));
        }
        JsonNode backend = path.path("backend");
        if (backend.has("service") && backend.has("resource")) {
          errs.add(
              FieldError.invalid(
                  pp + ".backend",
                  new dev.skiff.api.validation.GoSyntax(backend.toString()),
                  "cannot set both resource and service backends"));
        } else if (!backend.has("service") && !backend.has("resource")) {
          errs.add(
              FieldError.invalid(
                  pp + ".backend",
                  new dev.skiff.api.validation.GoSyntax(backend.toString()),
                  "resource or service backend is required"));
        }
      }
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode ing) {
    JsonNode spec = ing.path("spec");
    // As kubectl: up to three hosts, then a count of the remaining rules.
    List<String> hosts = new ArrayList<>();
    boolean more = false;
    JsonNode rules = spec.path("rules");
    for (JsonNode rule : rules) {
      more |= hosts.size() == SHOWN_HOSTS;
      String host = rule.path("host").asText("");
      if (!more && !host.isEmpty()) {
        hosts.add(host);
      }
    }
    String hostCell = hosts.isEmpty() ? "*" : String.join(",", hosts);
    if (more) {
      hostCell += " + " + (rules.size() - SHOWN_HOSTS) + " more...";
    }
    List<String> addresses = new ArrayList<>();
    for (JsonNode lb : ing.path("status").path("loadBalancer").path("ingress")) {
      String ip = lb.path("ip").asText("");
      addresses.add(ip.isEmpty() ? lb.path("hostname").asText("") : ip);
    }
    return List.of(
        Printing.name(ing),
        Printing.orNone(spec.path("ingressClassName")),
        hostCell,
        String.join(",", addresses),
        spec.path("tls").isEmpty() ? "80" : "80, 443",
        Printing.age(ing));
  }
}
