package dev.skiff.api.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random patches against random objects shaped like Kubernetes objects: whatever the input, a patch
 * either applies or fails with a PatchException (a clear Status for the user), and never changes
 * its inputs. Seeded, so a failure reproduces.
 */
class PatchFuzzTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> KEYS =
      List.of(
          "spec",
          "template",
          "containers",
          "name",
          "image",
          "env",
          "value",
          "ports",
          "containerPort",
          "metadata",
          "labels",
          "finalizers",
          "volumes",
          "strategy",
          "$patch",
          "$retainKeys",
          "$setElementOrder/containers",
          "$setElementOrder/env",
          "$deleteFromPrimitiveList/finalizers",
          "replace",
          "delete",
          "merge",
          "a",
          "-",
          "0");

  @Test
  void patchesApplyOrFailCleanlyAndNeverChangeTheirInputs() {
    Random random = new Random(20261121);
    for (int i = 0; i < 3000; i++) {
      JsonNode target = i % 2 == 0 ? value(random, 0) : shaped(random);
      JsonNode targetCopy = target.deepCopy();
      JsonNode patch = i % 2 == 0 ? value(random, 0) : shaped(random);
      JsonNode patchCopy = patch.deepCopy();
      JsonNode ops = operations(random);
      JsonNode opsCopy = ops.deepCopy();

      attempt(() -> JsonMergePatch.apply(target, patch));
      attempt(() -> StrategicMergePatch.apply(target, patch, Deployment.class));
      attempt(() -> StrategicMergePatch.apply(target, patch, Pod.class));
      attempt(() -> JsonPatch.apply(target, ops));

      assertEquals(targetCopy, target, "seed iteration " + i);
      assertEquals(patchCopy, patch, "seed iteration " + i);
      assertEquals(opsCopy, ops, "seed iteration " + i);
    }
  }

  private static void attempt(Runnable patch) {
    try {
      patch.run();
    } catch (PatchException expected) {
      // A clear, user-facing failure is fine; anything else fails the test.
    }
  }

  private static JsonNode value(Random r, int depth) {
    int kind = depth > 4 ? r.nextInt(4) : r.nextInt(7);
    return switch (kind) {
      case 0 -> JSON.nullNode();
      case 1 -> JSON.numberNode(r.nextInt(3));
      case 2 -> JSON.textNode(KEYS.get(r.nextInt(KEYS.size())));
      case 3 -> JSON.booleanNode(r.nextBoolean());
      case 4, 5 -> {
        ObjectNode o = JSON.objectNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          o.set(KEYS.get(r.nextInt(KEYS.size())), value(r, depth + 1));
        }
        yield o;
      }
      default -> {
        ArrayNode a = JSON.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(value(r, depth + 1));
        }
        yield a;
      }
    };
  }

  /** A random value placed where a Deployment has merged lists, so merge keys come into play. */
  private static JsonNode shaped(Random r) {
    List<String> lists =
        List.of("containers", "volumes", "$setElementOrder/containers", "tolerations", "$patch");
    ObjectNode podSpec = JSON.objectNode();
    for (int i = r.nextInt(3) + 1; i > 0; i--) {
      ArrayNode items = podSpec.putArray(lists.get(r.nextInt(lists.size())));
      for (int j = r.nextInt(4); j > 0; j--) {
        ObjectNode item = items.addObject();
        item.put("name", "c" + r.nextInt(3));
        for (int k = r.nextInt(3); k > 0; k--) {
          item.set(KEYS.get(r.nextInt(KEYS.size())), value(r, 3));
        }
        if (r.nextInt(3) == 0) {
          ArrayNode env = item.putArray(r.nextBoolean() ? "env" : "$setElementOrder/env");
          env.addObject().put("name", "E" + r.nextInt(2)).set("value", value(r, 4));
        }
      }
    }
    ObjectNode obj = JSON.objectNode();
    obj.putObject("spec").putObject("template").set("spec", podSpec);
    if (r.nextBoolean()) {
      obj.putObject("metadata").set("finalizers", value(r, 3));
    }
    return obj;
  }

  private static JsonNode operations(Random r) {
    ArrayNode ops = JSON.arrayNode();
    List<String> kinds = List.of("add", "remove", "replace", "move", "copy", "test", "bogus");
    for (int i = r.nextInt(4); i > 0; i--) {
      ObjectNode op = ops.addObject();
      op.put("op", kinds.get(r.nextInt(kinds.size())));
      op.put("path", pointer(r));
      if (r.nextBoolean()) {
        op.put("from", pointer(r));
      }
      if (r.nextInt(4) > 0) {
        op.set("value", value(r, 2));
      }
    }
    return r.nextInt(10) == 0 ? value(r, 3) : ops;
  }

  private static String pointer(Random r) {
    StringBuilder p = new StringBuilder();
    for (int i = r.nextInt(4); i > 0; i--) {
      p.append('/').append(KEYS.get(r.nextInt(KEYS.size())));
    }
    return p.toString();
  }
}
