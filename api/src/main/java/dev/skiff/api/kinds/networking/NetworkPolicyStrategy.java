package dev.skiff.api.kinds.networking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import dev.skiff.api.validation.LabelSelectorValidation;
import dev.skiff.api.validation.NameValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * NetworkPolicies: policyTypes default to Ingress (plus Egress when egress rules exist), ports to
 * TCP; the POD-SELECTOR column.
 */
public final class NetworkPolicyStrategy extends DefaultStrategy {

  private static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "Pod-Selector",
              "string",
              "Selects the pods to which this NetworkPolicy object applies."),
          TableColumn.AGE);

  public NetworkPolicyStrategy() {
    super(true, NameValidation.DNS1123_SUBDOMAIN_NAME, true);
  }

  @Override
  public void applyDefaults(ObjectNode np) {
    ObjectNode spec = np.withObject("spec");
    if (spec.path("policyTypes").isEmpty()) {
      ArrayNode types = spec.putArray("policyTypes").add("Ingress");
      if (!spec.path("egress").isEmpty()) {
        types.add("Egress");
      }
    }
    spec.withObject("podSelector");
    for (String direction : List.of("ingress", "egress")) {
      for (JsonNode rule : spec.path(direction)) {
        for (JsonNode p : rule.path("ports")) {
          if (p instanceof ObjectNode port && !port.hasNonNull("protocol")) {
            port.put("protocol", "TCP");
          }
        }
      }
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode np) {
    JsonNode spec = np.path("spec");
    List<FieldError> errs =
        new ArrayList<>(
            LabelSelectorValidation.validate(spec.path("podSelector"), "spec.podSelector"));
    JsonNode types = spec.path("policyTypes");
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i).asText();
      if (!POLICY_TYPES.contains(t)) {
        errs.add(FieldError.notSupported("spec.policyTypes[" + i + "]", t, POLICY_TYPES));
      }
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode np) {
    return List.of(
        Printing.name(np),
        Printing.labelSelector(np.path("spec").path("podSelector")),
        Printing.age(np));
  }
}
