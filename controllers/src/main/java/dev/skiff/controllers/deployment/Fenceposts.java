package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/** maxSurge and maxUnavailable of a Deployment resolved to pod counts, as upstream does. */
final class Fenceposts {
  private Fenceposts() {}

  static int replicas(Deployment d) {
    Integer replicas = d.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  static boolean isRolling(Deployment d) {
    return d.getSpec().getStrategy() == null
        || d.getSpec().getStrategy().getType() == null
        || "RollingUpdate".equals(d.getSpec().getStrategy().getType());
  }

  private static RollingUpdateDeployment rolling(Deployment d) {
    var strategy = d.getSpec().getStrategy();
    return strategy == null ? null : strategy.getRollingUpdate();
  }

  /** A count or a percentage of {@code total}, rounded up or down. */
  static int scaled(IntOrString value, int total, boolean roundUp) {
    if (value == null) {
      return scaled(new IntOrString("25%"), total, roundUp);
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String s = value.getStrVal();
    if (s == null || !s.endsWith("%")) {
      throw new IllegalArgumentException(
          "invalid value for IntOrString: invalid type: string is not a percentage");
    }
    int percent = Integer.parseInt(s.substring(0, s.length() - 1));
    long product = (long) percent * total;
    return (int) (roundUp ? (product + 99) / 100 : product / 100);
  }

  /** {surge, unavailable}; both zero would stall a rollout, so unavailable becomes one. */
  private static int[] resolve(Deployment d) {
    RollingUpdateDeployment r = rolling(d);
    int desired = replicas(d);
    int surge = scaled(r == null ? null : r.getMaxSurge(), desired, true);
    int unavailable = scaled(r == null ? null : r.getMaxUnavailable(), desired, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  static int maxSurge(Deployment d) {
    return isRolling(d) ? resolve(d)[0] : 0;
  }

  static int maxUnavailable(Deployment d) {
    if (!isRolling(d) || replicas(d) == 0) {
      return 0;
    }
    return Math.min(resolve(d)[1], replicas(d));
  }
}
