package dev.skiff.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * An autoscaler's conditions as they are being decided: AbleToScale, ScalingActive and
 * ScalingLimited, each keeping its transition time while its status stays the same.
 */
final class HpaConditions {
  private final List<HorizontalPodAutoscalerCondition> conditions = new ArrayList<>();
  private final String now;

  HpaConditions(List<HorizontalPodAutoscalerCondition> existing, String now) {
    for (HorizontalPodAutoscalerCondition c : existing) {
      conditions.add(
          new HorizontalPodAutoscalerCondition(
              c.getLastTransitionTime(),
              c.getMessage(),
              c.getReason(),
              c.getStatus(),
              c.getType()));
    }
    this.now = now;
  }

  void set(String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    for (HorizontalPodAutoscalerCondition c : conditions) {
      if (c.getType().equals(type)) {
        if (!s.equals(c.getStatus())) {
          c.setLastTransitionTime(now);
        }
        c.setStatus(s);
        c.setReason(reason);
        c.setMessage(message);
        return;
      }
    }
    conditions.add(new HorizontalPodAutoscalerCondition(now, message, reason, s, type));
  }

  List<HorizontalPodAutoscalerCondition> list() {
    return conditions;
  }
}
