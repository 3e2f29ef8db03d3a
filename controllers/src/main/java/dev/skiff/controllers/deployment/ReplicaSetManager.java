package dev.skiff.controllers.deployment;

import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.OwnerReferences;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Creates, finds, scales and prunes the ReplicaSets of a Deployment and keeps its revision numbers,
 * as upstream's deployment sync does.
 */
final class ReplicaSetManager {
  /** The new ReplicaSet (null when none matches the template yet) and all the others. */
  record Split(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    List<ReplicaSet> all() {
      List<ReplicaSet> all = new ArrayList<>(oldRSs);
      if (newRS != null) {
        all.add(newRS);
      }
      return all;
    }
  }

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;

  ReplicaSetManager(KubernetesClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static int replicas(ReplicaSet rs) {
    Integer r = rs.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  static int sumSpec(List<ReplicaSet> rss) {
    return rss.stream().mapToInt(ReplicaSetManager::replicas).sum();
  }

  static int sumStatus(
      List<ReplicaSet> rss,
      java.util.function.Function<io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus, Integer>
          field) {
    int sum = 0;
    for (ReplicaSet rs : rss) {
      if (rs.getStatus() != null && field.apply(rs.getStatus()) != null) {
        sum += field.apply(rs.getStatus());
      }
    }
    return sum;
  }

  static int available(ReplicaSet rs) {
    return sumStatus(List.of(rs), s -> s.getAvailableReplicas());
  }

  static List<ReplicaSet> active(List<ReplicaSet> rss) {
    return rss.stream().filter(rs -> replicas(rs) > 0).toList();
  }

  static final Comparator<ReplicaSet> OLDEST_FIRST =
      Comparator.comparing(
              (ReplicaSet rs) ->
                  rs.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : rs.getMetadata().getCreationTimestamp())
          .thenComparing(rs -> rs.getMetadata().getName());

  /** The ReplicaSet running the Deployment's current template: the oldest such, as upstream. */
  static Split split(Deployment d, List<ReplicaSet> rss) {
    List<ReplicaSet> sorted = new ArrayList<>(rss);
    sorted.sort(OLDEST_FIRST);
    ReplicaSet newRS = null;
    for (ReplicaSet rs : sorted) {
      if (PodTemplateHash.equalIgnoringHash(
          rs.getSpec().getTemplate(), d.getSpec().getTemplate())) {
        newRS = rs;
        break;
      }
    }
    List<ReplicaSet> old = new ArrayList<>();
    for (ReplicaSet rs : sorted) {
      if (rs != newRS) {
        old.add(rs);
      }
    }
    return new Split(newRS, old);
  }

  /**
   * Finds the new ReplicaSet, creating it when {@code create} and there is none, and brings the
   * revision annotations of it and of the Deployment up to date. {@code d} is updated in place with
   * what was written.
   */
  Split syncRevision(Deployment d, List<ReplicaSet> rss, boolean create) {
    Split split = split(d, rss);
    long maxOld =
        split.oldRSs().stream().mapToLong(ReplicaSetAnnotations::revision).max().orElse(0);
    long newRevision = maxOld + 1;
    ReplicaSet existing = split.newRS();
    if (existing != null) {
      ReplicaSet copy = new ReplicaSetBuilder(existing).build();
      boolean annotationsChanged =
          ReplicaSetAnnotations.setNewReplicaSetAnnotations(d, copy, newRevision, true);
      boolean minReadyChanged =
          !Objects.equals(copy.getSpec().getMinReadySeconds(), d.getSpec().getMinReadySeconds());
      if (annotationsChanged || minReadyChanged) {
        copy.getSpec().setMinReadySeconds(d.getSpec().getMinReadySeconds());
        copy = client.resource(copy).update();
      }
      boolean revisionChanged =
          setDeploymentRevision(
              d, copy.getMetadata().getAnnotations().get(ReplicaSetAnnotations.REVISION));
      boolean needsUpdate = revisionChanged;
      DeploymentStatus status = statusOf(d);
      if (DeploymentConditions.get(status, DeploymentConditions.PROGRESSING).isEmpty()
          && hasProgressDeadline(d)) {
        DeploymentConditions.set(
            status,
            DeploymentConditions.of(
                DeploymentConditions.PROGRESSING,
                "True",
                DeploymentConditions.FOUND_NEW_RS,
                "Found new replica set \"" + copy.getMetadata().getName() + "\"",
                now()));
        needsUpdate = true;
      }
      if (needsUpdate) {
        writeDeployment(d, status, revisionChanged);
      }
      return new Split(copy, split.oldRSs());
    }
    if (!create) {
      return split;
    }
    return new Split(createNew(d, split.oldRSs(), newRevision), split.oldRSs());
  }

  private ReplicaSet createNew(Deployment d, List<ReplicaSet> oldRSs, long newRevision) {
    Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), collisions);
    var template =
        new PodTemplateSpecBuilder(d.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels(PodTemplateHash.LABEL, hash)
            .endMetadata()
            .build();
    var selector =
        new LabelSelectorBuilder(d.getSpec().getSelector())
            .addToMatchLabels(PodTemplateHash.LABEL, hash)
            .build();
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(d.getMetadata().getName() + "-" + hash)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(template.getMetadata().getLabels())
            .withOwnerReferences(OwnerReferences.controllerRef(d, "apps/v1", "Deployment"))
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withMinReadySeconds(d.getSpec().getMinReadySeconds())
            .withSelector(selector)
            .withTemplate(template)
            .endSpec()
            .build();
    List<ReplicaSet> all = new ArrayList<>(oldRSs);
    int newReplicas = RollingUpdate.newReplicaSetReplicas(d, all, null);
    rs.getSpec().setReplicas(newReplicas);
    ReplicaSetAnnotations.setNewReplicaSetAnnotations(d, rs, newRevision, false);

    ReplicaSet created;
    boolean alreadyExists = false;
    DeploymentStatus status = statusOf(d);
    try {
      created = client.resource(rs).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        String message =
            "Failed to create new replica set \""
                + rs.getMetadata().getName()
                + "\": "
                + dev.skiff.controllers.framework.PodControl.message(e);
        if (hasProgressDeadline(d)) {
          DeploymentConditions.set(
              status,
              DeploymentConditions.of(
                  DeploymentConditions.PROGRESSING,
                  "False",
                  DeploymentConditions.RS_CREATE_ERROR,
                  message,
                  now()));
          writeDeployment(d, status, false);
        }
        events.warning(d, DeploymentConditions.RS_CREATE_ERROR, message);
        throw e;
      }
      ReplicaSet found =
          client
              .apps()
              .replicaSets()
              .inNamespace(rs.getMetadata().getNamespace())
              .withName(rs.getMetadata().getName())
              .get();
      if (found != null
          && OwnerReferences.isControlledBy(found, d)
          && PodTemplateHash.equalIgnoringHash(
              found.getSpec().getTemplate(), d.getSpec().getTemplate())) {
        // Our own, created by an earlier sync that the cache has not shown yet.
        created = found;
        alreadyExists = true;
      } else {
        // A different ReplicaSet holds the name: hash again with a higher collision count.
        status.setCollisionCount(collisions == null ? 1 : collisions + 1);
        writeDeployment(d, status, false);
        throw new IllegalStateException(
            "hash collision for replica set "
                + rs.getMetadata().getName()
                + "; retrying with collisionCount "
                + status.getCollisionCount());
      }
    }
    if (!alreadyExists && newReplicas > 0) {
      events.normal(
          d,
          "ScalingReplicaSet",
          "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + newReplicas);
    }
    boolean revisionChanged = setDeploymentRevision(d, Long.toString(newRevision));
    boolean needsUpdate = revisionChanged;
    if (!alreadyExists && hasProgressDeadline(d)) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.of(
              DeploymentConditions.PROGRESSING,
              "True",
              DeploymentConditions.NEW_RS_CREATED,
              "Created new replica set \"" + created.getMetadata().getName() + "\"",
              now()));
      needsUpdate = true;
    }
    if (needsUpdate) {
      writeDeployment(d, status, revisionChanged);
    }
    return created;
  }

  /** Sets the Deployment's revision annotation in memory; true when it changed. */
  private static boolean setDeploymentRevision(Deployment d, String revision) {
    if (revision == null
        || revision.equals(d.getMetadata().getAnnotations().get(ReplicaSetAnnotations.REVISION))) {
      return false;
    }
    d.getMetadata().getAnnotations().put(ReplicaSetAnnotations.REVISION, revision);
    return true;
  }

  static boolean hasProgressDeadline(Deployment d) {
    Integer seconds = d.getSpec().getProgressDeadlineSeconds();
    return seconds != null && seconds != Integer.MAX_VALUE;
  }

  static DeploymentStatus statusOf(Deployment d) {
    if (d.getStatus() == null) {
      d.setStatus(new DeploymentStatus());
    }
    return d.getStatus();
  }

  /**
   * Writes the Deployment's revision annotation when it changed (an update, which conflicts if our
   * copy is stale) and then its status through the status subresource; {@code d} takes the stored
   * versions.
   */
  void writeDeployment(Deployment d, DeploymentStatus status, boolean annotationChanged) {
    Deployment current = d;
    if (annotationChanged) {
      current = client.resource(new DeploymentBuilder(d).build()).update();
    }
    Deployment withStatus =
        new DeploymentBuilder(current)
            .withStatus(new DeploymentStatusBuilder(status).build())
            .build();
    Deployment written =
        client
            .apps()
            .deployments()
            .inNamespace(d.getMetadata().getNamespace())
            .resource(withStatus)
            .updateStatus();
    d.setMetadata(written.getMetadata());
    d.setStatus(written.getStatus());
  }

  /**
   * Scales {@code rs} to {@code size} and records the sizes it was scaled for; an event tells about
   * the change in size. Returns the stored ReplicaSet.
   */
  ReplicaSet scale(ReplicaSet rs, int size, Deployment d) {
    ReplicaSet copy = new ReplicaSetBuilder(rs).build();
    boolean sizeChanged = replicas(rs) != size;
    boolean annotationsChanged =
        ReplicaSetAnnotations.setReplicas(
            copy, Fenceposts.replicas(d), Fenceposts.replicas(d) + Fenceposts.maxSurge(d));
    if (!sizeChanged && !annotationsChanged) {
      return rs;
    }
    copy.getSpec().setReplicas(size);
    ReplicaSet stored = client.resource(copy).update();
    if (sizeChanged) {
      String direction = size > replicas(rs) ? "up" : "down";
      events.normal(
          d,
          "ScalingReplicaSet",
          "Scaled "
              + direction
              + " replica set "
              + rs.getMetadata().getName()
              + " from "
              + replicas(rs)
              + " to "
              + size);
    }
    return stored;
  }

  /** Deletes the oldest idle ReplicaSets beyond {@code revisionHistoryLimit}. */
  void cleanup(List<ReplicaSet> oldRSs, Deployment d) {
    Integer limit = d.getSpec().getRevisionHistoryLimit();
    if (limit == null || limit == Integer.MAX_VALUE) {
      return;
    }
    List<ReplicaSet> cleanable =
        new ArrayList<>(
            oldRSs.stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
    int diff = cleanable.size() - limit;
    if (diff <= 0) {
      return;
    }
    cleanable.sort(
        Comparator.comparingLong((ReplicaSet rs) -> ReplicaSetAnnotations.revision(rs))
            .thenComparing(OLDEST_FIRST));
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = cleanable.get(i);
      int statusReplicas = sumStatus(List.of(rs), s -> s.getReplicas());
      Long generation = rs.getMetadata().getGeneration();
      Long observed = rs.getStatus() == null ? null : rs.getStatus().getObservedGeneration();
      if (statusReplicas != 0
          || replicas(rs) != 0
          || (generation != null && (observed == null || generation > observed))) {
        continue;
      }
      try {
        client
            .apps()
            .replicaSets()
            .inNamespace(rs.getMetadata().getNamespace())
            .withName(rs.getMetadata().getName())
            .delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }
}
