package dev.skiff.scheduler.plugins.helper;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** Whether tolerations tolerate taints, as upstream's v1helper.TolerationsTolerateTaint. */
public final class Tolerations {
  private Tolerations() {}

  public static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null
        && !t.getEffect().isEmpty()
        && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    String key = t.getKey() == null ? "" : t.getKey();
    String op = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
    if (!key.isEmpty() && !key.equals(taint.getKey())) {
      return false;
    }
    // An empty key with Exists tolerates every taint.
    return switch (op) {
      case "Exists" -> true;
      case "Equal" -> nullToEmpty(t.getValue()).equals(nullToEmpty(taint.getValue()));
      default -> false;
    };
  }

  public static boolean toleratesAny(List<Toleration> tolerations, Taint taint) {
    if (tolerations != null) {
      for (Toleration t : tolerations) {
        if (tolerates(t, taint)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first taint with one of these effects that no toleration tolerates, or null. */
  public static Taint firstUntolerated(
      List<Taint> taints, List<Toleration> tolerations, List<String> effects) {
    if (taints == null) {
      return null;
    }
    for (Taint taint : taints) {
      if (effects.contains(taint.getEffect()) && !toleratesAny(tolerations, taint)) {
        return taint;
      }
    }
    return null;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
