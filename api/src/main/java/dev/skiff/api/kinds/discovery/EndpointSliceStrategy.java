package dev.skiff.api.kinds.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.TableColumn;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.Printing;
import java.util.ArrayList;
import java.util.List;

/** EndpointSlices: ports default to TCP, an address type is required, kubectl's columns. */
public final class EndpointSliceStrategy extends DefaultStrategy {

  private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
  private static final int SHOWN = 3;

  private static final List<TableColumn> COLUMNS =
      List.of(
          TableColumn.NAME,
          TableColumn.of(
              "AddressType", "string", "The type of address carried by this EndpointSlice."),
          TableColumn.of("Ports", "string", "Ports of the endpoints."),
          TableColumn.of("Endpoints", "string", "Addresses of the endpoints."),
          TableColumn.AGE);

  public EndpointSliceStrategy() {
    super(true);
  }

  @Override
  public void applyDefaults(ObjectNode slice) {
    for (JsonNode p : slice.path("ports")) {
      if (p instanceof ObjectNode port && !port.hasNonNull("protocol")) {
        port.put("protocol", "TCP");
      }
    }
  }

  @Override
  protected List<FieldError> validateSpec(ObjectNode slice) {
    List<FieldError> errs = new ArrayList<>();
    String type = slice.path("addressType").asText("");
    if (type.isEmpty()) {
      errs.add(FieldError.required("addressType", ""));
    } else if (!ADDRESS_TYPES.contains(type)) {
      errs.add(FieldError.notSupported("addressType", type, ADDRESS_TYPES));
    }
    JsonNode endpoints = slice.path("endpoints");
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).path("addresses").isEmpty()) {
        errs.add(
            FieldError.required(
                "endpoints[" + i + "].addresses", "must contain at least 1 address"));
      }
    }
    return errs;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return COLUMNS;
  }

  @Override
  public List<Object> tableCells(ObjectNode slice) {
    List<String> ports = new ArrayList<>();
    int portCount = 0;
    for (JsonNode p : slice.path("ports")) {
      if (ports.size() < SHOWN) {
        ports.add(p.path("port").isNumber() ? p.path("port").asText() : p.path("name").asText("*"));
      }
      portCount++;
    }
    List<String> addresses = new ArrayList<>();
    int addressCount = 0;
    for (JsonNode e : slice.path("endpoints")) {
      for (JsonNode a : e.path("addresses")) {
        if (addresses.size() < SHOWN) {
          addresses.add(a.asText());
        }
        addressCount++;
      }
    }
    return List.of(
        Printing.name(slice),
        slice.path("addressType").asText(""),
        withMore(ports, portCount),
        withMore(addresses, addressCount),
        Printing.age(slice));
  }

  private static String withMore(List<String> shown, int count) {
    String joined = String.join(",", shown);
    if (count > SHOWN) {
      return joined + " + " + (count - SHOWN) + " more...";
    }
    return joined.isEmpty() ? "<unset>" : joined;
  }
}
