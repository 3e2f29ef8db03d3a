package dev.skiff.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Turns a metric proposal into the replica count to set, as upstream does: the stabilization
 * windows (the lowest recent recommendation when scaling up, the highest when scaling down), then
 * the scaling policies (Pods or Percent per period, selected by Max, Min or Disabled) and the
 * min/max bounds. Without {@code behavior}, upstream's older rules apply: the default 5-minute
 * downscale window and at most max(2×current, 4) when scaling up.
 */
final class ScaleNormalizer {
  static final Duration DEFAULT_DOWNSCALE_WINDOW = Duration.ofMinutes(5);
  private static final HPAScalingRules DEFAULT_UP =
      rules(0, "Max", policy("Pods", 4, 15), policy("Percent", 100, 15));
  private static final HPAScalingRules DEFAULT_DOWN =
      rules(null, "Max", policy("Percent", 100, 15));

  private final Duration downscaleWindow;

  ScaleNormalizer(Duration downscaleWindow) {
    this.downscaleWindow = downscaleWindow;
  }

  Normalized normalize(
      HorizontalPodAutoscalerBehavior behavior,
      ScalingHistory history,
      Instant now,
      int current,
      int proposed,
      int min,
      int max) {
    HPAScalingRules up = behavior == null ? null : or(behavior.getScaleUp(), DEFAULT_UP);
    HPAScalingRules down = behavior == null ? null : or(behavior.getScaleDown(), DEFAULT_DOWN);
    Duration upWindow = behavior == null ? Duration.ZERO : window(up, Duration.ZERO);
    Duration downWindow = behavior == null ? downscaleWindow : window(down, downscaleWindow);

    int upRecommendation = proposed;
    int downRecommendation = proposed;
    for (ScalingHistory.Recommendation r : history.recommendations()) {
      if (r.at().isAfter(now.minus(upWindow))) {
        upRecommendation = Math.min(upRecommendation, r.replicas());
      }
      if (r.at().isAfter(now.minus(downWindow))) {
        downRecommendation = Math.max(downRecommendation, r.replicas());
      }
    }
    int stabilized = current;
    if (stabilized < upRecommendation) {
      stabilized = upRecommendation;
    }
    if (stabilized > downRecommendation) {
      stabilized = downRecommendation;
    }
    history.recommend(now, proposed, upWindow.compareTo(downWindow) > 0 ? upWindow : downWindow);
    String ableReason = "ReadyForNewScale";
    String ableMessage = "recommended size matches current size";
    if (stabilized != proposed) {
      boolean upward = stabilized < proposed;
      ableReason = upward ? "ScaleUpStabilized" : "ScaleDownStabilized";
      ableMessage =
          upward
              ? "recent recommendations were lower than current one, applying the lowest recent"
                  + " recommendation"
              : "recent recommendations were higher than current one, applying the highest recent"
                  + " recommendation";
    }
    return behavior == null
        ? limitWithoutBehavior(stabilized, current, min, max, ableReason, ableMessage)
        : limit(up, down, history, now, stabilized, current, min, max, ableReason, ableMessage);
  }

  private static Normalized limitWithoutBehavior(
      int desired, int current, int min, int max, String ableReason, String ableMessage) {
    int upLimit = Math.max(2 * current, 4);
    int maxAllowed = max;
    String reason = "TooManyReplicas";
    String message = "the desired replica count is more than the maximum replica count";
    if (upLimit < max) {
      maxAllowed = upLimit;
      reason = "ScaleUpLimit";
      message = "the desired replica count is increasing faster than the maximum scale rate";
    }
    if (desired < min) {
      return new Normalized(
          min,
          ableReason,
          ableMessage,
          true,
          "TooFewReplicas",
          "the desired replica count is less than the minimum replica count");
    }
    if (desired > maxAllowed) {
      return new Normalized(maxAllowed, ableReason, ableMessage, true, reason, message);
    }
    return withinRange(desired, ableReason, ableMessage);
  }

  private static Normalized limit(
      HPAScalingRules up,
      HPAScalingRules down,
      ScalingHistory history,
      Instant now,
      int desired,
      int current,
      int min,
      int max,
      String ableReason,
      String ableMessage) {
    if (desired > current) {
      int upLimit = Math.max(upLimit(up, history, now, current), current);
      if (max > upLimit) {
        if (desired > upLimit) {
          return new Normalized(
              upLimit,
              ableReason,
              ableMessage,
              true,
              "ScaleUpLimit",
              "the desired replica count is increasing faster than the maximum scale rate");
        }
      } else if (desired > max) {
        return new Normalized(
            max,
            ableReason,
            ableMessage,
            true,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count");
      }
    } else if (desired < current) {
      int downLimit = Math.min(downLimit(down, history, now, current), current);
      if (min < downLimit) {
        if (desired < downLimit) {
          return new Normalized(
              downLimit,
              ableReason,
              ableMessage,
              true,
              "ScaleDownLimit",
              "the desired replica count is decreasing faster than the maximum scale rate");
        }
      } else if (desired < min) {
        return new Normalized(
            min,
            ableReason,
            ableMessage,
            true,
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count");
      }
    }
    return withinRange(desired, ableReason, ableMessage);
  }

  private static Normalized withinRange(int desired, String ableReason, String ableMessage) {
    return new Normalized(
        desired,
        ableReason,
        ableMessage,
        false,
        "DesiredWithinRange",
        "the desired count is within the acceptable range");
  }

  private static int upLimit(HPAScalingRules rules, ScalingHistory h, Instant now, int current) {
    if ("Disabled".equals(rules.getSelectPolicy())) {
      return current;
    }
    boolean min = "Min".equals(rules.getSelectPolicy());
    int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (HPAScalingPolicy p : rules.getPolicies()) {
      int start = current - h.changedWithin(true, now, Duration.ofSeconds(p.getPeriodSeconds()));
      int proposed =
          "Pods".equals(p.getType())
              ? start + p.getValue()
              : (int) Math.ceil(start * (1 + p.getValue() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  private static int downLimit(HPAScalingRules rules, ScalingHistory h, Instant now, int current) {
    if ("Disabled".equals(rules.getSelectPolicy())) {
      return current;
    }
    boolean min = "Min".equals(rules.getSelectPolicy());
    int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (HPAScalingPolicy p : rules.getPolicies()) {
      int start = current + h.changedWithin(false, now, Duration.ofSeconds(p.getPeriodSeconds()));
      int proposed =
          "Pods".equals(p.getType())
              ? start - p.getValue()
              : (int) (start * (1 - p.getValue() / 100.0));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** The longest policy period of either direction: how long scale events matter. */
  static Duration longestPeriod(HorizontalPodAutoscalerBehavior behavior) {
    int longest = 15;
    if (behavior != null) {
      for (HPAScalingRules r :
          new HPAScalingRules[] {behavior.getScaleUp(), behavior.getScaleDown()}) {
        if (r != null) {
          for (HPAScalingPolicy p : r.getPolicies()) {
            longest = Math.max(longest, p.getPeriodSeconds());
          }
        }
      }
    }
    return Duration.ofSeconds(longest);
  }

  private static Duration window(HPAScalingRules rules, Duration fallback) {
    Integer seconds = rules.getStabilizationWindowSeconds();
    return seconds == null ? fallback : Duration.ofSeconds(seconds);
  }

  private static HPAScalingRules or(HPAScalingRules rules, HPAScalingRules fallback) {
    if (rules == null) {
      return fallback;
    }
    if (rules.getPolicies() == null || rules.getPolicies().isEmpty()) {
      HPAScalingRules copy = new HPAScalingRules();
      copy.setStabilizationWindowSeconds(rules.getStabilizationWindowSeconds());
      copy.setSelectPolicy(rules.getSelectPolicy() == null ? "Max" : rules.getSelectPolicy());
      copy.setPolicies(fallback.getPolicies());
      return copy;
    }
    return rules;
  }

  private static HPAScalingRules rules(Integer window, String select, HPAScalingPolicy... ps) {
    HPAScalingRules r = new HPAScalingRules();
    r.setStabilizationWindowSeconds(window);
    r.setSelectPolicy(select);
    r.setPolicies(List.of(ps));
    return r;
  }

  private static HPAScalingPolicy policy(String type, int value, int period) {
    HPAScalingPolicy p = new HPAScalingPolicy();
    p.setType(type);
    p.setValue(value);
    p.setPeriodSeconds(period);
    return p;
  }
}
