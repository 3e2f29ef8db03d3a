package dev.skiff.apiserver.watch;

import dev.skiff.api.ResourceType;
import dev.skiff.api.selection.FieldSelector;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.api.selection.SelectableFields;

/** Which objects a list or watch wants: a namespace ("" = all), a label and a field selector. */
public record WatchFilter(
    String namespace, LabelSelector labels, FieldSelector fields, String group, String kind) {

  /** Every object of {@code t} in {@code namespace} ("" for all namespaces or cluster scope). */
  public static WatchFilter everything(ResourceType t, String namespace) {
    return new WatchFilter(
        namespace, LabelSelector.everything(), FieldSelector.everything(), t.group(), t.kind());
  }

  public boolean matches(CachedObject o) {
    if (!namespace.isEmpty() && !namespace.equals(o.namespace())) {
      return false;
    }
    if (!labels.isEverything() && !labels.matches(o.labels())) {
      return false;
    }
    return fields.isEverything() || fields.matches(SelectableFields.of(o.object(), group, kind));
  }
}
