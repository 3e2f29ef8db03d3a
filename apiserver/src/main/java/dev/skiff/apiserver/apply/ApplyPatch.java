package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceType;
import dev.skiff.api.patch.apply.ApplyConflict;
import dev.skiff.api.patch.apply.FieldManager;
import dev.skiff.api.patch.apply.ManagedFieldsEntry;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.errors.StatusCause;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.FieldTracking;
import dev.skiff.apiserver.registry.ObjectMeta;
import dev.skiff.apiserver.registry.ResourceStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}): the configuration is
 * merged into the live object (or creates it), the applier owns exactly the fields it sent, fields
 * it stopped sending go away unless someone else owns them, and taking a field another manager owns
 * is a 409 unless {@code force=true}.
 */
public final class ApplyPatch {
  public static final String CONTENT_TYPE = "application/apply-patch+yaml";

  private final Clock clock;

  public ApplyPatch(Clock clock) {
    this.clock = clock;
  }

  /** What the store needs to run one apply: the updater and the managed fields it computed. */
  public record Write(ResourceStore.Updater updater, FieldTracking tracking) {}

  /**
   * Prepares the apply of {@code config} to {@code name}. The caller runs {@code updater} through
   * the store (it may run again after a concurrent write) with {@code tracking}.
   */
  public Write prepare(
      Exchange ex, ResourceType t, String ns, String name, String sub, ObjectNode config) {
    String manager = ex.query("fieldManager");
    if (manager.isEmpty()) {
      throw ApiException.invalidOptions(
          "Patch", FieldError.required("fieldManager", "is required for apply patch"));
    }
    ManagerName.validate(manager, "Patch");
    boolean force = force(ex);
    if (config.path("metadata").has("managedFields")) {
      throw ApiException.badRequest("metadata.managedFields must be nil");
    }
    if (Json.text(config, "apiVersion").isEmpty() || Json.text(config, "kind").isEmpty()) {
      throw ApiException.badRequest(
          "error decoding YAML: Object 'Kind' is missing in '" + config + "'");
    }
    String configName = ObjectMeta.name(config);
    if (!configName.isEmpty() && !configName.equals(name)) {
      throw ApiException.badRequest(
          "the name of the object ("
              + configName
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    Json.metadata(config).put("name", name);
    FieldManager fields = UpdateTracking.fieldManager(t, sub);
    AtomicReference<List<ManagedFieldsEntry>> managed = new AtomicReference<>(List.of());
    ResourceStore.Updater updater =
        current -> {
          try {
            FieldManager.Applied a =
                fields.apply(
                    current == null ? List.of() : ManagedFieldsEntry.read(current),
                    current,
                    config.deepCopy(),
                    manager,
                    t.groupVersion(),
                    sub,
                    force,
                    ObjectMeta.timestamp(clock.instant()));
            managed.set(a.managedFields());
            return a.object();
          } catch (ApplyConflict c) {
            throw conflict(c);
          }
        };
    return new Write(updater, (before, after) -> ManagedFieldsEntry.write(after, managed.get()));
  }

  private static boolean force(Exchange ex) {
    String f = ex.query("force");
    return switch (f) {
      case "", "false" -> false;
      case "true" -> true;
      default -> throw ApiException.badRequest("invalid boolean value for force: " + f);
    };
  }

  /** Upstream's apply conflict: 409 Conflict, one FieldManagerConflict cause per field. */
  static ApiException conflict(ApplyConflict c) {
    List<StatusCause> causes =
        c.conflicts().stream()
            .map(
                x ->
                    new StatusCause(
                        "FieldManagerConflict", "conflict with " + x.owner().describe(), x.field()))
            .toList();
    return new ApiException(409, "Conflict", c.getMessage(), null, null, null, causes, 0);
  }
}
