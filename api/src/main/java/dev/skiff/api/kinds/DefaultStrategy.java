package dev.skiff.api.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.validation.NameValidation;
import dev.skiff.api.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * The strategy of kinds without rules of their own, and the base of those with: object metadata is
 * validated as upstream's ValidateObjectMeta (DNS-1123 subdomain names unless the kind says
 * otherwise), and kinds add their spec rules through {@link #validateSpec} and {@link
 * #validateSpecUpdate}.
 */
public class DefaultStrategy implements ResourceStrategy {

  private final boolean namespaced;
  private final NameValidation.NameRule nameRule;
  private final boolean tracksGeneration;

  public DefaultStrategy(boolean namespaced) {
    this(namespaced, NameValidation.DNS1123_SUBDOMAIN_NAME, false);
  }

  public DefaultStrategy(
      boolean namespaced, NameValidation.NameRule nameRule, boolean tracksGeneration) {
    this.namespaced = namespaced;
    this.nameRule = nameRule;
    this.tracksGeneration = tracksGeneration;
  }

  @Override
  public final List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs =
        new ArrayList<>(ObjectMetaValidation.validate(obj, namespaced, nameRule));
    errs.addAll(validateSpec(obj));
    return errs;
  }

  @Override
  public final List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validateUpdate(obj, old));
    errs.addAll(validate(obj));
    errs.addAll(validateSpecUpdate(obj, old));
    return errs;
  }

  /** Rules for the kind's own fields, on create and update. */
  protected List<FieldError> validateSpec(ObjectNode obj) {
    return List.of();
  }

  /** Rules that compare an update with the stored object, e.g. immutable fields. */
  protected List<FieldError> validateSpecUpdate(ObjectNode obj, ObjectNode old) {
    return List.of();
  }

  /** A main-resource update keeps the stored status: only the status subresource writes it. */
  protected static void keepStatus(ObjectNode obj, ObjectNode old) {
    if (old.has("status")) {
      obj.set("status", old.get("status").deepCopy());
    } else {
      obj.remove("status");
    }
  }

  /**
   * A new object's status as upstream returns it: empty apart from the counters its Go type always
   * serializes (e.g. a ReplicaSet's {@code replicas: 0}).
   */
  protected static void initialStatus(ObjectNode obj, String... zeroCounters) {
    ObjectNode status = obj.putObject("status");
    for (String counter : zeroCounters) {
      status.put(counter, 0);
    }
  }

  @Override
  public boolean tracksGeneration() {
    return tracksGeneration;
  }
}
