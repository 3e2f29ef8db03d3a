package dev.skiff.runtime.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A plugin's success result; {@code raw} is passed on as the next plugin's prevResult. */
public record CniResult(JsonNode raw) {
  /** Addresses (without prefix length) on interfaces inside the sandbox, in result order. */
  public List<String> sandboxIps() {
    List<String> out = new ArrayList<>();
    JsonNode interfaces = raw.path("interfaces");
    for (JsonNode ip : raw.path("ips")) {
      JsonNode idx = ip.get("interface");
      boolean inSandbox =
          idx == null || !interfaces.has(idx.asInt()) || interfaces.get(idx.asInt()).has("sandbox");
      String address = ip.path("address").asText();
      if (inSandbox && !address.isEmpty())
        out.add(
            address.substring(
                0, address.indexOf('/') < 0 ? address.length() : address.indexOf('/')));
    }
    return out;
  }
}
