package dev.skiff.api.kinds.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Upstream's SetDefaults_Job for the fields of a Job's spec. */
final class JobSpecDefaults {

  private JobSpecDefaults() {}

  static void apply(ObjectNode spec) {
    if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
      spec.put("completions", 1);
      spec.put("parallelism", 1);
    }
    if (!spec.hasNonNull("parallelism")) {
      spec.put("parallelism", 1);
    }
    if (!spec.hasNonNull("backoffLimit")) {
      spec.put("backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
    }
    if (!spec.hasNonNull("completionMode")) {
      spec.put("completionMode", "NonIndexed");
    }
    if (!spec.hasNonNull("suspend")) {
      spec.put("suspend", false);
    }
    if (!spec.hasNonNull("podReplacementPolicy")) {
      spec.put(
          "podReplacementPolicy",
          spec.hasNonNull("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    }
    if (spec.hasNonNull("podFailurePolicy")) {
      for (var rule : spec.path("podFailurePolicy").path("rules")) {
        for (var pattern : rule.path("onPodConditions")) {
          if (pattern instanceof ObjectNode p && !p.hasNonNull("status")) {
            p.put("status", "True");
          }
        }
      }
    }
  }
}
