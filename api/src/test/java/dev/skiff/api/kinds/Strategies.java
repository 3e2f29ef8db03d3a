package dev.skiff.api.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceStrategy;
import java.util.List;

/** What strategy tests share: an object as a create leaves it, errors as users read them. */
public final class Strategies {

  private Strategies() {}

  /** The object after the strategy's create steps: defaults, then prepareForCreate. */
  public static ObjectNode created(ResourceStrategy strategy, String json) {
    ObjectNode obj = Json.obj(json);
    strategy.applyDefaults(obj);
    strategy.prepareForCreate(obj);
    return obj;
  }

  /** Field errors as the API server words them in its Invalid status. */
  public static List<String> messages(List<FieldError> errs) {
    return errs.stream().map(FieldError::toString).toList();
  }
}
