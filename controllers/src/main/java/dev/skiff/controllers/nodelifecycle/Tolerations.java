package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Which taints a pod tolerates, and for how long, as upstream matches them. */
public final class Tolerations {
  private Tolerations() {}

  public static boolean tolerates(Toleration toleration, Taint taint) {
    if (toleration.getEffect() != null
        && !toleration.getEffect().isEmpty()
        && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    String key = toleration.getKey() == null ? "" : toleration.getKey();
    if (!key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    String operator = toleration.getOperator() == null ? "Equal" : toleration.getOperator();
    return switch (operator) {
      case "Exists" -> true;
      case "Equal" ->
          Objects.equals(
              Objects.toString(toleration.getValue(), ""), Objects.toString(taint.getValue(), ""));
      default -> false;
    };
  }

  /**
   * How long a pod may stay on a node with {@code taints} (all NoExecute): empty if it tolerates
   * them forever, zero if some taint is not tolerated at all, else the shortest tolerationSeconds
   * among the tolerations used.
   */
  public static Optional<Long> tolerationSeconds(List<Toleration> tolerations, List<Taint> taints) {
    Long shortest = null;
    for (Taint taint : taints) {
      boolean tolerated = false;
      for (Toleration toleration : tolerations) {
        if (!tolerates(toleration, taint)) {
          continue;
        }
        tolerated = true;
        if (toleration.getTolerationSeconds() != null) {
          long seconds = Math.max(0, toleration.getTolerationSeconds());
          shortest = shortest == null ? seconds : Math.min(shortest, seconds);
        }
      }
      if (!tolerated) {
        return Optional.of(0L);
      }
    }
    return Optional.ofNullable(shortest);
  }
}
