package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Field ownership for one resource, as upstream's field manager: who owns which fields of an object
 * after an update or an apply, the conflicts an apply meets, and the fields an applier stopped
 * applying that nobody else owns (removed from the object). Works on objects in the API version the
 * request used; {@code ignored} are fields the request cannot change (e.g. status through the main
 * resource).
 */
public final class FieldManager {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper SORTED =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  // Fields the server owns; upstream strips them from every managed set.
  private static final FieldSet STRIPPED =
      FieldSet.of(
          List.of(
              List.of(PathElement.field("apiVersion")),
              List.of(PathElement.field("kind")),
              List.of(PathElement.field("metadata")),
              meta("name"),
              meta("namespace"),
              meta("uid"),
              meta("resourceVersion"),
              meta("generation"),
              meta("creationTimestamp"),
              meta("deletionTimestamp"),
              meta("deletionGracePeriodSeconds"),
              meta("selfLink"),
              meta("managedFields")));

  private final Shape shape;
  private final FieldSet ignored;

  public FieldManager(Shape shape, FieldSet ignored) {
    this.shape = shape;
    this.ignored = ignored;
  }

  private static List<PathElement> meta(String field) {
    return List.of(PathElement.field("metadata"), PathElement.field(field));
  }

  /** The outcome of an apply: the object to store and its managed fields. */
  public record Applied(ObjectNode object, List<ManagedFieldsEntry> managedFields) {}

  /**
   * The managed fields after {@code manager} changed {@code before} (null on create) into {@code
   * after}: it takes every field it set; others lose those fields, and everybody loses the fields
   * that went away. The manager's time moves only when it took something.
   */
  public List<ManagedFieldsEntry> update(
      List<ManagedFieldsEntry> entries,
      JsonNode before,
      JsonNode after,
      String manager,
      String apiVersion,
      String subresource,
      String now) {
    FieldSet changed;
    FieldSet removed;
    if (before == null && after.isObject() && shape.granularObject()) {
      changed = CreatedFields.of(after, shape, STRIPPED, ignored);
      removed = new FieldSet();
    } else {
      Comparison c = compare(before == null ? emptyLike(after) : before, after);
      changed = c.changed();
      removed = c.removed();
    }
    FieldSet taken = removed.isEmpty() ? changed : changed.difference(removed);
    ManagedFieldsEntry mine =
        new ManagedFieldsEntry(
            manager, ManagedFieldsEntry.UPDATE, apiVersion, subresource, now, taken);
    List<ManagedFieldsEntry> out = new ArrayList<>();
    boolean merged = false;
    for (ManagedFieldsEntry e : entries) {
      FieldSet kept = e.fields().difference(changed).difference(removed);
      if (e.identity().equals(mine.identity())) {
        merged = true;
        ManagedFieldsEntry m =
            taken.isEmpty() ? e.withFields(kept) : mine.withFields(kept.union(taken));
        add(out, m);
      } else {
        add(out, e.withFields(kept));
      }
    }
    if (!merged) {
      add(out, mine);
    }
    return out;
  }

  /**
   * Applies {@code config} for {@code manager} to {@code live} (null when the object does not exist
   * yet). Without {@code force}, changing a field another manager owns is a conflict.
   *
   * @throws ApplyConflict listing each contested field and its owner
   */
  public Applied apply(
      List<ManagedFieldsEntry> entries,
      ObjectNode live,
      ObjectNode config,
      String manager,
      String apiVersion,
      String subresource,
      boolean force,
      String now) {
    ObjectNode base = live == null ? emptyLike(config) : live;
    ManagedFieldsEntry mine =
        new ManagedFieldsEntry(
            manager,
            ManagedFieldsEntry.APPLY,
            apiVersion,
            subresource,
            now,
            tracked(ObjectFields.of(config, shape)));
    ManagedFieldsEntry previous = null;
    List<ManagedFieldsEntry> others = new ArrayList<>();
    for (ManagedFieldsEntry e : entries) {
      if (e.identity().equals(mine.identity())) {
        previous = e;
      } else {
        others.add(e);
      }
    }
    ObjectNode merged = (ObjectNode) ApplyMerge.merge(base, config, shape);
    if (previous != null) {
      prune(merged, previous.fields(), mine.fields(), others);
    }
    Comparison c = compare(base, merged);
    List<ApplyConflict.Conflict> conflicts = new ArrayList<>();
    for (ManagedFieldsEntry e : others) {
      for (List<PathElement> p : e.fields().intersection(c.changed()).members()) {
        conflicts.add(new ApplyConflict.Conflict(e, p));
      }
    }
    if (!force && !conflicts.isEmpty()) {
      conflicts = notAllowedByLastApplied(conflicts, live, manager);
      if (!conflicts.isEmpty()) {
        throw new ApplyConflict(conflicts);
      }
    }
    List<ManagedFieldsEntry> out = new ArrayList<>();
    for (ManagedFieldsEntry e : entries) {
      if (e == previous) {
        continue;
      }
      add(out, e.withFields(e.fields().difference(c.changed()).difference(c.removed())));
    }
    boolean unchanged = merged.equals(base) && previous != null;
    add(out, unchanged && mine.fields().equals(previous.fields()) ? previous : mine);
    if (manager.equals("kubectl") && lastApplied(live) != null) {
      merged
          .withObjectProperty("metadata")
          .withObjectProperty("annotations")
          .put(LAST_APPLIED, lastAppliedOf(config));
    }
    return new Applied(merged, out);
  }

  /**
   * Removes the fields the applier owned before and no longer applies, unless another manager owns
   * them or something below them.
   */
  private void prune(
      ObjectNode merged, FieldSet before, FieldSet now, List<ManagedFieldsEntry> others) {
    FieldSet owned = now;
    for (ManagedFieldsEntry e : others) {
      owned = owned.union(e.fields());
    }
    FieldSet drop = new FieldSet();
    for (List<PathElement> p : before.difference(now).members()) {
      if (!owned.containsOrHasBelow(p)) {
        drop.insert(p);
      }
    }
    FieldRemoval.remove(merged, drop, shape);
  }

  /**
   * kubectl moving from client-side to server-side apply: fields whose live value still equals the
   * last-applied annotation may be taken over without a conflict, as upstream allows the {@code
   * kubectl} manager.
   */
  private List<ApplyConflict.Conflict> notAllowedByLastApplied(
      List<ApplyConflict.Conflict> conflicts, ObjectNode live, String manager) {
    JsonNode last = manager.equals("kubectl") ? lastApplied(live) : null;
    if (last == null) {
      return conflicts;
    }
    FieldSet allowed =
        ObjectFields.of(last, shape).difference(Comparison.of(last, live, shape).modified());
    return conflicts.stream().filter(c -> !allowed.contains(c.path())).toList();
  }

  /**
   * The last-applied annotation for {@code config}, as upstream writes it: the configuration
   * without the annotation itself, keys sorted (Go encodes maps so), newline-terminated.
   */
  private static String lastAppliedOf(ObjectNode config) {
    ObjectNode copy = config.deepCopy();
    if (copy.path("metadata").path("annotations") instanceof ObjectNode a) {
      a.remove(LAST_APPLIED);
    }
    try {
      Object plain = JSON.treeToValue(copy, Object.class);
      return SORTED.writeValueAsString(plain) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode lastApplied(ObjectNode live) {
    if (live == null) {
      return null;
    }
    JsonNode text = live.path("metadata").path("annotations").get(LAST_APPLIED);
    if (text == null || !text.isTextual() || text.asText().isEmpty()) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(text.asText());
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private Comparison compare(JsonNode before, JsonNode after) {
    Comparison c = Comparison.of(before, after, shape);
    return new Comparison(tracked(c.added()), tracked(c.modified()), tracked(c.removed()));
  }

  private FieldSet tracked(FieldSet s) {
    return s.difference(STRIPPED).recursiveDifference(ignored);
  }

  /**
   * What an object is compared against on create: upstream compares with the zero value of the Go
   * type, whose top-level structs exist, so they are not counted as added; its maps are nil.
   */
  private ObjectNode emptyLike(JsonNode obj) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    obj.properties()
        .forEach(
            e -> {
              if (e.getValue().isObject() && shape.zeroValueHolds(e.getKey())) {
                out.putObject(e.getKey());
              }
            });
    return out;
  }

  private static void add(List<ManagedFieldsEntry> out, ManagedFieldsEntry e) {
    if (!e.fields().isEmpty()) {
      out.add(e);
    }
  }
}
