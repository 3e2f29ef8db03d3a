package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.quantity.Quantity;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.registry.ObjectMeta;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Refuses a write that would take a namespace past one of its ResourceQuotas. The request's usage
 * is charged to each quota's {@code status.used} with a compare-and-swap write before the object is
 * stored, so concurrent creates can never together exceed a limit; the quota controller later
 * recomputes the exact usage.
 */
final class ResourceQuotaAdmission implements AdmissionPlugin {
  // Quota resources that every container must state once a quota limits them.
  private static final Set<String> CONTAINER_CONSTRAINTS =
      Set.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory");
  private static final int MAX_ATTEMPTS = 1000;

  private final ClusterObjects objects;
  private final ResourceType quotas;
  private final QuotaPresence presence;

  /** {@code caches} null reads every namespace's quotas from the store on every write. */
  ResourceQuotaAdmission(ClusterObjects objects, WatchCacheSet caches) {
    this.objects = objects;
    this.quotas = objects.type("", "v1", "resourcequotas");
    this.presence = new QuotaPresence(caches, quotas);
  }

  @Override
  public void validate(
      AdmissionAttributes a, ObjectNode object, ObjectNode oldObject, boolean dryRun) {
    if (!a.type().namespaced() || !a.subresource().isEmpty()) {
      return;
    }
    if (a.isCore("resourcequotas")) {
      presence.written(a.namespace());
    }
    if (!presence.mayHaveQuotas(a.namespace())) {
      return;
    }
    Map<String, Quantity> delta = ObjectUsage.of(a.type(), object);
    if (oldObject != null) {
      Map<String, Quantity> before = ObjectUsage.of(a.type(), oldObject);
      delta.replaceAll((name, q) -> before.containsKey(name) ? q.subtract(before.get(name)) : q);
      delta.values().removeIf(q -> q.signum() <= 0);
    }
    if (delta.isEmpty()) {
      return;
    }
    boolean pod = a.isCore("pods");
    List<ObjectNode> matching = new ArrayList<>();
    for (ObjectNode q : objects.list(quotas, a.namespace())) {
      if (QuotaScopes.matches(q, pod, object)) {
        matching.add(q);
      }
    }
    matching.sort(Comparator.comparing(ObjectMeta::name));
    if (pod && a.isCreate()) {
      for (ObjectNode q : matching) {
        checkContainerConstraints(a, q, object);
      }
    }
    for (ObjectNode q : matching) {
      Set<String> limited = new TreeSet<>();
      q.path("spec").path("hard").fieldNames().forEachRemaining(limited::add);
      limited.retainAll(delta.keySet());
      if (!limited.isEmpty()) {
        charge(a, ObjectMeta.name(q), limited, delta, dryRun);
      }
    }
  }

  private void checkContainerConstraints(AdmissionAttributes a, JsonNode quota, JsonNode pod) {
    Set<String> required = new TreeSet<>();
    quota.path("spec").path("hard").fieldNames().forEachRemaining(required::add);
    required.retainAll(CONTAINER_CONSTRAINTS);
    Map<String, Set<String>> missing = new TreeMap<>();
    for (JsonNode c : pod.path("spec").path("containers")) {
      JsonNode requests = c.path("resources").path("requests");
      JsonNode limits = c.path("resources").path("limits");
      for (String r : required) {
        boolean isLimit = r.startsWith("limits.");
        String compute = r.substring(r.indexOf('.') + 1);
        boolean stated =
            isLimit ? limits.has(compute) : requests.has(compute) || limits.has(compute);
        if (!stated) {
          missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.path("name").asText());
        }
      }
    }
    if (!missing.isEmpty()) {
      List<String> parts = new ArrayList<>();
      missing.forEach((r, names) -> parts.add(r + " for: " + String.join(",", names)));
      throw ApiException.forbidden(
          a.type(),
          a.name(),
          "failed quota: " + ObjectMeta.name(quota) + ": must specify " + String.join("; ", parts));
    }
  }

  /** Adds the request to the quota's used amounts, retrying on concurrent writes to the quota. */
  private void charge(
      AdmissionAttributes a,
      String quotaName,
      Set<String> limited,
      Map<String, Quantity> delta,
      boolean dryRun) {
    String key = objects.store().codec().key(quotas, a.namespace(), quotaName);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<KeyValue> kv = objects.store().store().get(key);
      if (kv.isEmpty()) {
        return;
      }
      ObjectNode quota = objects.store().codec().toServed(Codec.decode(kv.get()), quotas);
      JsonNode hard = quota.path("status").path("hard");
      List<String> unknown = limited.stream().filter(r -> !hard.has(r)).toList();
      if (!unknown.isEmpty()) {
        throw ApiException.forbidden(
            a.type(),
            a.name(),
            "status unknown for quota: " + quotaName + ", resources: " + String.join(",", unknown));
      }
      JsonNode used = quota.path("status").path("used");
      Map<String, Quantity> newUsed = new TreeMap<>();
      Set<String> exceeded = new TreeSet<>();
      for (String r : limited) {
        Quantity current = used.has(r) ? Quantity.parse(used.get(r).asText()) : Quantity.of(0);
        // A zero takes the request's format, as upstream's Quantity.Add.
        Quantity next = current.isZero() ? delta.get(r) : current.add(delta.get(r));
        if (next.compareTo(Quantity.parse(hard.get(r).asText())) > 0) {
          exceeded.add(r);
        }
        newUsed.put(r, next);
      }
      if (!exceeded.isEmpty()) {
        throw ApiException.forbidden(
            a.type(),
            a.name(),
            "exceeded quota: "
                + quotaName
                + ", requested: "
                + pretty(exceeded, r -> delta.get(r).toString())
                + ", used: "
                + pretty(exceeded, r -> used.has(r) ? used.get(r).asText() : "0")
                + ", limited: "
                + pretty(exceeded, r -> hard.get(r).asText()));
      }
      if (dryRun) {
        return;
      }
      ObjectNode usedNode = ((ObjectNode) quota.get("status")).withObjectProperty("used");
      newUsed.forEach((r, q) -> usedNode.put(r, q.toString()));
      try {
        objects
            .store()
            .store()
            .update(
                key,
                Codec.encode(objects.store().codec().toStorage(quota, quotas)),
                kv.get().modRevision(),
                0);
        return;
      } catch (StorageException.Conflict e) {
        Thread.onSpinWait();
      } catch (StorageException.KeyNotFound e) {
        return;
      }
    }
    throw ApiException.conflict(
        quotas, quotaName, "too many concurrent updates to the quota, please retry");
  }

  private static String pretty(Set<String> names, Function<String, String> f) {
    List<String> parts = new ArrayList<>();
    for (String n : names) {
      parts.add(n + "=" + f.apply(n));
    }
    return String.join(",", parts);
  }
}
