package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.quantity.Quantity;
import dev.skiff.apiserver.http.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One LimitRange item's defaults and its constraints, with upstream's refusal messages. */
final class LimitRangeItems {
  private LimitRangeItems() {}

  /** Default limits: {@code default}, else {@code max}, as upstream's LimitRange defaulting. */
  static ObjectNode defaults(JsonNode item) {
    ObjectNode out = Json.object();
    item.path("default").properties().forEach(e -> out.set(e.getKey(), e.getValue()));
    item.path("max").properties().forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
    return out;
  }

  /** Default requests: {@code defaultRequest}, else the default limit, else {@code min}. */
  static ObjectNode defaultRequests(JsonNode item) {
    ObjectNode out = Json.object();
    item.path("defaultRequest").properties().forEach(e -> out.set(e.getKey(), e.getValue()));
    defaults(item).properties().forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
    item.path("min").properties().forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
    return out;
  }

  static ObjectNode toNode(Map<String, Quantity> values) {
    ObjectNode out = Json.object();
    values.forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  /**
   * Adds to {@code errors} every way {@code requests}/{@code limits} break the item's min, max and
   * ratio. {@code maxOnLimit} is false for claims, whose max applies to the request.
   */
  static void check(
      JsonNode item,
      String kind,
      JsonNode requests,
      JsonNode limits,
      boolean maxOnLimit,
      List<String> errors) {
    for (var e : sorted(item.path("min")).entrySet()) {
      String r = e.getKey();
      Quantity min = e.getValue();
      Quantity req = quantity(requests, r);
      Quantity lim = quantity(limits, r);
      if (req == null) {
        errors.add(prefix("minimum", r, kind, min) + ".  No request is specified");
      } else if (req.compareTo(min) < 0) {
        errors.add(prefix("minimum", r, kind, min) + ", but request is " + req);
      } else if (lim != null && lim.compareTo(min) < 0) {
        errors.add(prefix("minimum", r, kind, min) + ", but limit is " + lim);
      }
    }
    for (var e : sorted(item.path("max")).entrySet()) {
      String r = e.getKey();
      Quantity max = e.getValue();
      Quantity req = quantity(requests, r);
      Quantity lim = quantity(limits, r);
      if (!maxOnLimit) {
        if (req == null) {
          errors.add(prefix("maximum", r, kind, max) + ".  No request is specified");
        } else if (req.compareTo(max) > 0) {
          errors.add(prefix("maximum", r, kind, max) + ", but request is " + req);
        }
      } else if (lim == null) {
        errors.add(prefix("maximum", r, kind, max) + ".  No limit is specified");
      } else if (lim.compareTo(max) > 0) {
        errors.add(prefix("maximum", r, kind, max) + ", but limit is " + lim);
      } else if (req != null && req.compareTo(max) > 0) {
        errors.add(prefix("maximum", r, kind, max) + ", but request is " + req);
      }
    }
    for (var e : sorted(item.path("maxLimitRequestRatio")).entrySet()) {
      String r = e.getKey();
      Quantity ratio = e.getValue();
      Quantity req = quantity(requests, r);
      Quantity lim = quantity(limits, r);
      String head = r + " max limit to request ratio per " + kind + " is " + ratio;
      if (req == null || req.isZero()) {
        errors.add(head + ", but no request is specified or request is 0");
      } else if (lim == null || lim.isZero()) {
        errors.add(head + ", but no limit is specified or limit is 0");
      } else {
        BigDecimal observed = lim.amount().divide(req.amount(), 6, RoundingMode.HALF_EVEN);
        if (observed.compareTo(ratio.amount()) > 0) {
          errors.add(head + ", but provided ratio is " + observed.toPlainString());
        }
      }
    }
  }

  private static String prefix(String bound, String resource, String kind, Quantity q) {
    return bound + " " + resource + " usage per " + kind + " is " + q;
  }

  private static Map<String, Quantity> sorted(JsonNode list) {
    Map<String, Quantity> out = new TreeMap<>();
    list.properties().forEach(e -> out.put(e.getKey(), Quantity.parse(e.getValue().asText())));
    return out;
  }

  private static Quantity quantity(JsonNode list, String resource) {
    JsonNode v = list.path(resource);
    return v.isMissingNode() || v.isNull() ? null : Quantity.parse(v.asText());
  }
}
