package dev.skiff.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * core/v1 Event and events.k8s.io/v1 Event, which upstream stores as one resource: the newer API
 * renames the older fields (involvedObject is regarding, message is note, the counters and
 * timestamps are deprecated*).
 */
final class EventConversion {

  private EventConversion() {}

  /** Pairs of (core/v1 field, events.k8s.io/v1 field). */
  private static final List<String[]> RENAMES =
      List.of(
          new String[] {"involvedObject", "regarding"},
          new String[] {"message", "note"},
          new String[] {"source", "deprecatedSource"},
          new String[] {"firstTimestamp", "deprecatedFirstTimestamp"},
          new String[] {"lastTimestamp", "deprecatedLastTimestamp"},
          new String[] {"count", "deprecatedCount"},
          new String[] {"reportingComponent", "reportingController"});

  static ObjectNode toEventsV1(ObjectNode core) {
    ObjectNode out = core.deepCopy();
    out.put("apiVersion", "events.k8s.io/v1");
    for (String[] r : RENAMES) {
      move(out, r[0], r[1]);
    }
    return out;
  }

  static ObjectNode toCore(ObjectNode events) {
    ObjectNode out = events.deepCopy();
    out.put("apiVersion", "v1");
    for (String[] r : RENAMES) {
      move(out, r[1], r[0]);
    }
    return out;
  }

  private static void move(ObjectNode obj, String from, String to) {
    JsonNode value = obj.remove(from);
    if (value != null) {
      obj.set(to, value);
    }
  }
}
