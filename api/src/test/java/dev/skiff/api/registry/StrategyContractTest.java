package dev.skiff.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.ResourceType;
import dev.skiff.api.TableColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the generic REST code relies on from every built-in kind's strategy. */
class StrategyContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final BuiltinRegistry registry = new BuiltinRegistry();

  private static ObjectNode bare(ResourceType t, String name) {
    ObjectNode obj = JSON.createObjectNode();
    obj.put("apiVersion", t.groupVersion()).put("kind", t.kind());
    ObjectNode meta = obj.putObject("metadata");
    meta.put("name", name).put("uid", "0f3c-uid").put("creationTimestamp", "2024-01-01T00:00:00Z");
    if (t.namespaced()) {
      meta.put("namespace", "default");
    }
    return obj;
  }

  @Test
  void everyKindSurvivesItsHooksOnABareObjectAndPrintsAFullRow() {
    for (ResourceType t : registry.all()) {
      ResourceStrategy s = registry.strategy(t);
      ObjectNode obj = bare(t, "x1");
      s.applyDefaults(obj);
      s.prepareForCreate(obj);
      s.validate(obj);
      ObjectNode update = obj.deepCopy();
      s.applyDefaults(update);
      s.prepareForUpdate(update, obj);
      s.validateUpdate(update, obj);
      List<TableColumn> columns = s.tableColumns();
      assertEquals(columns.size(), s.tableCells(obj).size(), t.groupVersion() + " " + t.plural());
      assertEquals("name", columnWithNameFormat(columns), t.plural() + " has a name column");
    }
  }

  @Test
  void defaultingAndPrepareGiveTheSameObjectInEitherOrder() {
    for (ResourceType t : registry.all()) {
      ResourceStrategy s = registry.strategy(t);
      ObjectNode upstreamOrder = bare(t, "x1");
      s.applyDefaults(upstreamOrder);
      s.prepareForCreate(upstreamOrder);
      ObjectNode otherOrder = bare(t, "x1");
      s.prepareForCreate(otherOrder);
      s.applyDefaults(otherOrder);
      assertEquals(upstreamOrder, otherOrder, t.plural());
    }
  }

  @Test
  void everyStoredKindRejectsAnInvalidName() {
    for (ResourceType t : registry.all()) {
      if (isReview(t)) {
        continue;
      }
      ObjectNode obj = bare(t, "Bad/Name");
      List<FieldError> errs = registry.strategy(t).validate(obj);
      assertTrue(
          errs.stream().anyMatch(e -> e.field().equals("metadata.name")), t.plural() + ": " + errs);
    }
  }

  @Test
  void anUnchangedUpdateIsValidForEveryKindWhoseCreateIsValid() {
    for (ResourceType t : registry.all()) {
      ResourceStrategy s = registry.strategy(t);
      ObjectNode obj = bare(t, "x1");
      s.applyDefaults(obj);
      s.prepareForCreate(obj);
      if (!s.validate(obj).isEmpty()) {
        continue;
      }
      ObjectNode update = obj.deepCopy();
      s.prepareForUpdate(update, obj);
      assertEquals(List.of(), s.validateUpdate(update, obj), t.plural());
    }
  }

  @Test
  void generationIsTrackedForControllersKinds() {
    for (String plural : List.of("deployments", "replicasets", "statefulsets", "daemonsets")) {
      assertTrue(
          registry.strategy(registry.find("apps", "v1", plural).orElseThrow()).tracksGeneration());
    }
    assertTrue(
        registry.strategy(registry.find("batch", "v1", "jobs").orElseThrow()).tracksGeneration());
    assertFalse(
        registry.strategy(registry.find("", "v1", "configmaps").orElseThrow()).tracksGeneration());
    assertFalse(
        registry.strategy(registry.find("", "v1", "pods").orElseThrow()).tracksGeneration());
  }

  /** Create-only kinds other than bindings are questions, never stored and never named. */
  private static boolean isReview(ResourceType t) {
    return t.verbs().equals(java.util.Set.of("create")) && !t.plural().equals("bindings");
  }

  @Test
  void reviewsNeedNoName() {
    ResourceType tokenReviews =
        registry.find("authentication.k8s.io", "v1", "tokenreviews").orElseThrow();
    ObjectNode review = JSON.createObjectNode();
    review.putObject("spec").put("token", "abc");
    assertEquals(List.of(), registry.strategy(tokenReviews).validate(review));
  }

  private static String columnWithNameFormat(List<TableColumn> columns) {
    return columns.stream().map(TableColumn::format).filter("name"::equals).findFirst().orElse("");
  }
}
