package dev.skiff.apiserver.eviction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.admission.ClusterObjects;
import dev.skiff.apiserver.admission.NodeRestriction;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.errors.StatusCause;
import dev.skiff.apiserver.registry.DeleteOptions;
import dev.skiff.apiserver.registry.ObjectMeta;
import dev.skiff.apiserver.registry.ResourceDeleter;
import dev.skiff.apiserver.registry.ResourceStore;
import java.util.List;

/**
 * The pods/eviction subresource, as upstream's eviction REST: a pod delete that a
 * PodDisruptionBudget may refuse with 429. An allowed eviction takes one disruption from the budget
 * and records the pod in {@code status.disruptedPods} in the same compare-and-swap write, so two
 * evictions racing for the last allowed disruption cannot both pass.
 */
public final class PodEviction {
  static final String VIOLATION =
      "Cannot evict pod as it would violate the pod's disruption budget.";
  static final String CAUSE = "DisruptionBudget";

  /** Upstream's MaxDisruptedPodSize: more unconfirmed evictions than this are refused. */
  private static final int MAX_DISRUPTED_PODS = 2000;

  private final ResourceStore resources;
  private final ResourceDeleter deleter;
  private final ClusterObjects objects;
  private final ResourceType budgets;

  public PodEviction(ResourceStore resources, ResourceRegistry registry, ResourceDeleter deleter) {
    this.resources = resources;
    this.deleter = deleter;
    this.objects = new ClusterObjects(resources, registry);
    this.budgets = objects.type("policy", "v1", "poddisruptionbudgets");
  }

  /**
   * Evicts pod {@code name}: checks its budget, then deletes it with the eviction's options.
   *
   * @param eviction the policy Eviction body (v1 or v1beta1; both share this shape)
   * @param opts the delete options of the eviction, already merged with the query
   */
  public void evict(
      ResourceType pods, String ns, String name, ObjectNode eviction, DeleteOptions opts) {
    String bodyName = ObjectMeta.name(eviction);
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest("name in URL does not match name in Eviction object");
    }
    ObjectNode pod = resources.get(pods, ns, name);
    NodeRestriction.checkEviction(pods, pod);
    if (!ignoresBudgets(pod)) {
      List<ObjectNode> matching =
          objects.list(budgets, ns).stream()
              .filter(b -> LabelSelector.fromJson(b.path("spec").get("selector")).matches(pod))
              .toList();
      if (matching.size() > 1) {
        throw ApiException.internal(
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does"
                + " not support.");
      }
      if (matching.size() == 1 && !unhealthyAndAllowed(pod, matching.getFirst())) {
        takeDisruption(ObjectMeta.name(matching.getFirst()), ns, name, opts.dryRun());
      }
    }
    if (!opts.dryRun()) {
      markDisruptionTarget(pods, ns, name);
    }
    deleter.delete(pods, ns, name, opts);
  }

  /** Terminal, pending and already-deleting pods are not counted by any budget. */
  private static boolean ignoresBudgets(ObjectNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return phase.equals("Succeeded")
        || phase.equals("Failed")
        || phase.equals("Pending")
        || ObjectMeta.isDeleting(pod);
  }

  /**
   * An unready pod may go without taking a disruption when the budget says AlwaysAllow, or, under
   * the default IfHealthyBudget, when the budget is met without it.
   */
  private static boolean unhealthyAndAllowed(ObjectNode pod, ObjectNode budget) {
    if (ready(pod)) {
      return false;
    }
    if ("AlwaysAllow".equals(budget.path("spec").path("unhealthyPodEvictionPolicy").asText())) {
      return true;
    }
    JsonNode status = budget.path("status");
    long desired = status.path("desiredHealthy").asLong(0);
    return desired > 0 && status.path("currentHealthy").asLong(0) >= desired;
  }

  private static boolean ready(ObjectNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }

  /** Upstream's checkAndDecrement, applied to the freshest budget on every conflict retry. */
  private void takeDisruption(String budget, String ns, String pod, boolean dryRun) {
    resources.systemUpdate(
        budgets,
        ns,
        budget,
        dryRun,
        current -> {
          ObjectNode status = current.withObjectProperty("status");
          long generation = current.path("metadata").path("generation").asLong(0);
          if (status.path("observedGeneration").asLong(0) < generation) {
            throw tooManyRequests(
                "The disruption budget " + budget + " is still being processed by the server.", 10);
          }
          long allowed = status.path("disruptionsAllowed").asLong(0);
          if (allowed < 0) {
            throw forbidden(budget, "pdb disruptions allowed is negative");
          }
          if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
            throw forbidden(
                budget,
                "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
          }
          if (allowed == 0) {
            throw tooManyRequests(
                "The disruption budget "
                    + budget
                    + " needs "
                    + status.path("desiredHealthy").asLong(0)
                    + " healthy pods and has "
                    + status.path("currentHealthy").asLong(0)
                    + " currently",
                0);
          }
          status.put("disruptionsAllowed", allowed - 1);
          if (allowed - 1 == 0) {
            insufficientPods(status, status.path("observedGeneration").asLong(0));
          }
          status
              .withObjectProperty("disruptedPods")
              .put(pod, ObjectMeta.timestamp(resources.clock().instant()));
          return current;
        });
  }

  /** The DisruptionAllowed condition turns False once the last allowed disruption is taken. */
  private void insufficientPods(ObjectNode status, long observedGeneration) {
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
    ObjectNode c = null;
    for (JsonNode existing : conditions) {
      if ("DisruptionAllowed".equals(existing.path("type").asText())) {
        c = (ObjectNode) existing;
      }
    }
    if (c == null) {
      c = conditions.addObject();
      c.put("type", "DisruptionAllowed");
    }
    if (!"False".equals(c.path("status").asText())) {
      c.put("lastTransitionTime", ObjectMeta.timestamp(resources.clock().instant()));
    }
    c.put("status", "False");
    c.put("reason", "InsufficientPods");
    c.put("message", "");
    c.put("observedGeneration", observedGeneration);
  }

  /** Upstream (1.31+) marks the pod with a DisruptionTarget condition before deleting it. */
  private void markDisruptionTarget(ResourceType pods, String ns, String name) {
    try {
      resources.systemUpdate(
          pods,
          ns,
          name,
          false,
          current -> {
            ObjectNode status = current.withObjectProperty("status");
            ArrayNode conditions =
                status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
            for (JsonNode c : conditions) {
              if ("DisruptionTarget".equals(c.path("type").asText())) {
                return current;
              }
            }
            ObjectNode c = conditions.addObject();
            c.put("type", "DisruptionTarget");
            c.put("status", "True");
            c.putNull("lastProbeTime");
            c.put("lastTransitionTime", ObjectMeta.timestamp(resources.clock().instant()));
            c.put("reason", "EvictionByEvictionAPI");
            c.put("message", "Eviction API: evicting");
            return current;
          });
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
      // Deleted meanwhile: the delete below answers NotFound, as upstream.
    }
  }

  static ApiException tooManyRequests(String cause, int retryAfterSeconds) {
    return new ApiException(
        429,
        "TooManyRequests",
        VIOLATION,
        null,
        null,
        null,
        List.of(new StatusCause(CAUSE, cause, null)),
        retryAfterSeconds);
  }

  private static ApiException forbidden(String budget, String why) {
    return new ApiException(
        403,
        "Forbidden",
        "poddisruptionbudget.policy \"" + budget + "\" is forbidden: " + why,
        budget,
        "policy",
        "poddisruptionbudget",
        List.of(),
        0);
  }
}
