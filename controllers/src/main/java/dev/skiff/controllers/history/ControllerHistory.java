package dev.skiff.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.controllers.framework.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ControllerRevisions of StatefulSets and DaemonSets, kept as upstream keeps them: one revision
 * per distinct pod template, numbered in the order templates were applied; going back to an earlier
 * template (a rollback) renumbers its revision as the newest instead of creating a copy; revisions
 * no pod runs are deleted oldest first beyond {@code revisionHistoryLimit}.
 */
public final class ControllerHistory {
  /** How a kind hashes its revisions and which label carries the hash on the revision. */
  public interface Naming {
    String hash(PodTemplateSpec template, JsonNode data, Integer collisionCount);

    String hashLabel();
  }

  /** The revision for the current template, and the collision count to record in status. */
  public record Update(ControllerRevision revision, Integer collisionCount) {}

  private static final Comparator<ControllerRevision> ORDER =
      Comparator.comparing((ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
          .thenComparing(
              r -> r.getMetadata().getCreationTimestamp(),
              Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(r -> r.getMetadata().getName());

  private final KubernetesClient client;
  private final SharedIndexInformer<ControllerRevision> revisions;
  private final String apiVersion;
  private final String kind;
  private final Naming naming;

  public ControllerHistory(
      KubernetesClient client,
      SharedIndexInformer<ControllerRevision> revisions,
      String apiVersion,
      String kind,
      Naming naming) {
    this.client = client;
    this.revisions = revisions;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.naming = naming;
  }

  /** The owner's revisions, oldest first. */
  public List<ControllerRevision> of(HasMetadata owner) {
    List<ControllerRevision> owned = new ArrayList<>();
    for (ControllerRevision revision :
        revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, owner.getMetadata().getNamespace())) {
      if (OwnerReferences.isControlledBy(revision, owner)) {
        owned.add(revision);
      }
    }
    owned.sort(ORDER);
    return owned;
  }

  /**
   * Finds or makes the revision of {@code template}: the newest revision already holding it, made
   * the latest if it is not; otherwise a new revision numbered after all others.
   */
  public Update update(
      HasMetadata owner,
      List<ControllerRevision> existing,
      PodTemplateSpec template,
      Integer collisionCount) {
    JsonNode data = RevisionData.of(template);
    long next = existing.stream().mapToLong(r -> revisionOf(r)).max().orElse(0) + 1;
    List<ControllerRevision> equal =
        existing.stream().filter(r -> RevisionData.same(RevisionData.of(r), data)).toList();
    if (!equal.isEmpty()) {
      ControllerRevision newest = equal.getLast();
      if (newest.getMetadata().getName().equals(existing.getLast().getMetadata().getName())) {
        return new Update(newest, collisionCount);
      }
      ControllerRevision renumbered =
          client
              .apps()
              .controllerRevisions()
              .inNamespace(owner.getMetadata().getNamespace())
              .resource(new ControllerRevisionBuilder(newest).withRevision(next).build())
              .update();
      return new Update(renumbered, collisionCount);
    }
    Integer collisions = collisionCount;
    while (true) {
      String hash = naming.hash(template, data, collisions);
      Map<String, String> labels = new HashMap<>();
      if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      labels.put(naming.hashLabel(), hash);
      ControllerRevision revision =
          new ControllerRevisionBuilder()
              .withNewMetadata()
              .withName(name(owner.getMetadata().getName(), hash))
              .withNamespace(owner.getMetadata().getNamespace())
              .withLabels(labels)
              .withAnnotations(owner.getMetadata().getAnnotations())
              .withOwnerReferences(OwnerReferences.controllerRef(owner, apiVersion, kind))
              .endMetadata()
              .withData(data)
              .withRevision(next)
              .build();
      var resource =
          client
              .apps()
              .controllerRevisions()
              .inNamespace(owner.getMetadata().getNamespace())
              .resource(revision);
      try {
        return new Update(resource.create(), collisions);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
      ControllerRevision found = resource.get();
      if (found != null
          && OwnerReferences.isControlledBy(found, owner)
          && RevisionData.same(RevisionData.of(found), data)) {
        return new Update(found, collisions);
      }
      if (found == null) {
        continue;
      }
      // Another object holds the name: hash again with a higher collision count, as upstream.
      collisions = collisions == null ? 1 : collisions + 1;
    }
  }

  /**
   * Deletes the oldest revisions beyond {@code limit}, never one in {@code live} (the revisions
   * that pods run, or that status names).
   */
  public void truncate(List<ControllerRevision> existing, Set<String> live, int limit) {
    List<ControllerRevision> history =
        existing.stream().filter(r -> !live.contains(r.getMetadata().getName())).toList();
    for (ControllerRevision old : history.subList(0, Math.max(0, history.size() - limit))) {
      try {
        client
            .apps()
            .controllerRevisions()
            .inNamespace(old.getMetadata().getNamespace())
            .withName(old.getMetadata().getName())
            .delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  public static long revisionOf(ControllerRevision revision) {
    return revision.getRevision() == null ? 0 : revision.getRevision();
  }

  /** {@code <owner>-<hash>}, the owner's name shortened as upstream does to keep it valid. */
  public static String name(String owner, String hash) {
    String prefix = owner.length() > 223 ? owner.substring(0, 223) : owner;
    return prefix + "-" + hash;
  }
}
