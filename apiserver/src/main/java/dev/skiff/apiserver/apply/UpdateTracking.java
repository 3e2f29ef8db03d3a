package dev.skiff.apiserver.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.patch.apply.FieldManager;
import dev.skiff.api.patch.apply.FieldSet;
import dev.skiff.api.patch.apply.ManagedFieldsEntry;
import dev.skiff.api.patch.apply.PathElement;
import dev.skiff.api.patch.apply.Shape;
import dev.skiff.apiserver.registry.FieldTracking;
import dev.skiff.apiserver.registry.ObjectMeta;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.util.List;

/** Records an ordinary write (create, update, non-apply patch) as an Update by its manager. */
public final class UpdateTracking implements FieldTracking {
  private final FieldManager fields;
  private final ResourceType type;
  private final String manager;
  private final String subresource;
  private final Clock clock;

  public UpdateTracking(ResourceType type, String manager, String subresource, Clock clock) {
    this.fields = fieldManager(type, subresource);
    this.type = type;
    this.manager = manager;
    this.subresource = subresource;
    this.clock = clock;
  }

  @Override
  public void track(ObjectNode before, ObjectNode after) {
    List<ManagedFieldsEntry> entries = before == null ? List.of() : ManagedFieldsEntry.read(before);
    ManagedFieldsEntry.write(
        after,
        fields.update(
            entries,
            before,
            after,
            manager,
            type.groupVersion(),
            subresource,
            ObjectMeta.timestamp(clock.instant())));
  }

  /** The field manager of {@code type} written through {@code subresource}. */
  static FieldManager fieldManager(ResourceType type, String subresource) {
    Class<?> java = type.javaType();
    Shape shape = Shape.root(java == GenericKubernetesResource.class ? null : java);
    return new FieldManager(shape, ignored(type, subresource));
  }

  /** What a write through {@code subresource} cannot change, so never owns. */
  private static FieldSet ignored(ResourceType type, String subresource) {
    FieldSet ignored = new FieldSet();
    if (subresource.equals("status")) {
      ignored.insert(List.of(PathElement.field("spec")));
    } else if (subresource.isEmpty() && type.hasSubresource("status")) {
      ignored.insert(List.of(PathElement.field("status")));
    }
    return ignored;
  }
}
