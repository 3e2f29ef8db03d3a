package dev.skiff.controllers.volume;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * Binds PersistentVolumeClaims to PersistentVolumes (pre-bound pairs first, else the smallest
 * available volume that fits), provisions {@code local-path} volumes on the node chosen for the
 * claim's first consumer, and when a claim goes away releases its volume and applies the reclaim
 * policy: Retain keeps it Released, Delete removes it.
 */
public final class PersistentVolumeBinder extends QueueController {
  static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  private static final String CLAIM = "claim:";
  private static final String VOLUME = "volume:";

  private final KubernetesClient client;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final SharedIndexInformer<StorageClass> classes;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;
  private final VolumeBinding binding;
  private final LocalPathProvisioner localPath;

  /** {@code localPathDir} null: no {@code local-path} class or provisioning. */
  public PersistentVolumeBinder(ControllerContext context, Path localPathDir) {
    super("persistentvolume-binder");
    this.client = context.client();
    this.claims = context.informers().of(PersistentVolumeClaim.class);
    this.volumes = context.informers().of(PersistentVolume.class);
    this.classes = context.informers().of(StorageClass.class);
    this.pods = context.informers().of(Pod.class);
    this.events = context.events("persistentvolume-controller");
    this.binding = new VolumeBinding(client);
    this.localPath = localPathDir == null ? null : new LocalPathProvisioner(localPathDir);
    claims.addEventHandler(
        Handlers.any(
            c -> {
              enqueue(CLAIM + keyOf(c));
              String volume = c.getSpec().getVolumeName();
              if (volume != null && !volume.isEmpty()) {
                enqueue(VOLUME + volume);
              }
            }));
    volumes.addEventHandler(
        Handlers.any(
            v -> {
              enqueue(VOLUME + keyOf(v));
              var ref = v.getSpec().getClaimRef();
              if (ref != null) {
                enqueue(CLAIM + Cache.namespaceKeyFunc(ref.getNamespace(), ref.getName()));
              } else {
                // A free volume may be what a pending claim waits for (upstream resyncs them).
                for (PersistentVolumeClaim c : claims.getStore().list()) {
                  String bound = c.getSpec().getVolumeName();
                  if (bound == null || bound.isEmpty()) {
                    enqueue(CLAIM + keyOf(c));
                  }
                }
              }
            }));
    pods.addEventHandler(Handlers.of(this::podChanged, (o, n) -> podChanged(n), p -> {}));
  }

  private void podChanged(Pod pod) {
    if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      return;
    }
    for (Volume v : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() != null) {
        enqueue(
            CLAIM
                + Cache.namespaceKeyFunc(
                    pod.getMetadata().getNamespace(), v.getPersistentVolumeClaim().getClaimName()));
      }
    }
  }

  @Override
  public synchronized void start(int workers) {
    if (localPath != null
        && classes.getIndexer().getByKey(LocalPathProvisioner.CLASS_NAME) == null) {
      boolean anyDefault =
          classes.getStore().list().stream()
              .anyMatch(
                  c ->
                      "true"
                          .equals(
                              c.getMetadata()
                                  .getAnnotations()
                                  .get("storageclass.kubernetes.io/is-default-class")));
      try {
        client.resource(localPath.storageClass(!anyDefault)).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    super.start(workers);
  }

  @Override
  protected void reconcile(String key) {
    if (key.startsWith(CLAIM)) {
      syncClaim(key.substring(CLAIM.length()));
    } else if (key.startsWith(VOLUME)) {
      syncVolume(key.substring(VOLUME.length()));
    }
  }

  private void syncClaim(String key) {
    PersistentVolumeClaim claim = claims.getIndexer().getByKey(key);
    if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String volumeName = claim.getSpec().getVolumeName();
    if (volumeName != null && !volumeName.isEmpty()) {
      PersistentVolume volume = volumes.getIndexer().getByKey(volumeName);
      if (volume == null) {
        if ("Bound".equals(phase(claim))) {
          binding.claimPhase(claim, "Lost");
          events.warning(
              claim,
              "ClaimLost",
              "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
        }
        return;
      }
      var ref = volume.getSpec().getClaimRef();
      if (ref == null || binding.refersTo(ref, claim)) {
        binding.bind(volume, claim, false);
      }
      return;
    }
    for (PersistentVolume volume : volumes.getStore().list()) {
      var ref = volume.getSpec().getClaimRef();
      if (ref != null && binding.refersTo(ref, claim) && VolumeMatcher.satisfies(volume, claim)) {
        binding.bind(volume, claim, true);
        return;
      }
    }
    StorageClass storageClass = classes.getIndexer().getByKey(VolumeMatcher.className(claim));
    boolean waitForConsumer =
        storageClass != null && "WaitForFirstConsumer".equals(storageClass.getVolumeBindingMode());
    if (!waitForConsumer) {
      Optional<PersistentVolume> match = VolumeMatcher.best(claim, volumes.getStore().list());
      if (match.isPresent()) {
        binding.bind(match.get(), claim, true);
        return;
      }
    }
    if (storageClass == null) {
      if (VolumeMatcher.className(claim).isEmpty()) {
        events.normal(
            claim,
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set");
      }
      return;
    }
    if (localPath == null
        || !LocalPathProvisioner.PROVISIONER.equals(storageClass.getProvisioner())) {
      return;
    }
    Optional<String> node = consumerNode(claim);
    if (node.isEmpty()) {
      events.normal(
          claim, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
      return;
    }
    provision(claim, storageClass, node.get());
  }

  /** The node the scheduler chose for the claim, or where a pod using it already runs. */
  private Optional<String> consumerNode(PersistentVolumeClaim claim) {
    String selected = claim.getMetadata().getAnnotations().get(SELECTED_NODE);
    if (selected != null && !selected.isEmpty()) {
      return Optional.of(selected);
    }
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, claim.getMetadata().getNamespace())) {
      String node = pod.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        continue;
      }
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getPersistentVolumeClaim() != null
            && claim.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName())) {
          return Optional.of(node);
        }
      }
    }
    return Optional.empty();
  }

  private void provision(PersistentVolumeClaim claim, StorageClass storageClass, String node) {
    PersistentVolume volume = localPath.volumeFor(claim, node, storageClass.getReclaimPolicy());
    binding.annotateClaim(claim, STORAGE_PROVISIONER, LocalPathProvisioner.PROVISIONER);
    try {
      client.persistentVolumes().resource(volume).create();
      events.normal(
          claim,
          "ProvisioningSucceeded",
          "Successfully provisioned volume " + volume.getMetadata().getName());
    } catch (KubernetesClientException e) {
      // 409: provisioned already; the volume's event brings the claim back to bind it.
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void syncVolume(String name) {
    PersistentVolume volume = volumes.getIndexer().getByKey(name);
    if (volume == null || volume.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    var ref = volume.getSpec().getClaimRef();
    if (ref == null) {
      binding.volumePhase(volume, "Available", null);
      return;
    }
    String claimKey = Cache.namespaceKeyFunc(ref.getNamespace(), ref.getName());
    PersistentVolumeClaim claim = claims.getIndexer().getByKey(claimKey);
    if (claim == null) {
      // Our cache may not have seen a claim created a moment ago.
      claim =
          client
              .persistentVolumeClaims()
              .inNamespace(ref.getNamespace())
              .withName(ref.getName())
              .get();
    }
    boolean sameClaim = claim != null && binding.refersTo(ref, claim);
    if (sameClaim) {
      if (name.equals(claim.getSpec().getVolumeName())) {
        binding.volumePhase(volume, "Bound", null);
      } else if (claim.getSpec().getVolumeName() != null
          && !claim.getSpec().getVolumeName().isEmpty()
          && "yes".equals(volume.getMetadata().getAnnotations().get(BOUND_BY_CONTROLLER))) {
        // The claim went to another volume: give this one back.
        binding.unbind(volume);
      } else {
        binding.volumePhase(volume, "Available", null);
      }
      return;
    }
    if (ref.getUid() == null || ref.getUid().isEmpty()) {
      // Reserved for a claim not created yet.
      binding.volumePhase(volume, "Available", null);
      return;
    }
    reclaim(volume);
  }

  private void reclaim(PersistentVolume volume) {
    String policy =
        Objects.requireNonNullElse(volume.getSpec().getPersistentVolumeReclaimPolicy(), "Retain");
    switch (policy) {
      case "Delete" -> {
        if (!LocalPathProvisioner.provisioned(volume) || localPath == null) {
          binding.volumePhase(
              volume,
              "Failed",
              "error getting deleter volume plugin for volume \""
                  + volume.getMetadata().getName()
                  + "\": no deletable volume plugin matched");
          return;
        }
        binding.volumePhase(volume, "Released", null);
        localPath.deleteData(volume);
        try {
          client.persistentVolumes().resource(volume).delete();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
      case "Recycle" ->
          binding.volumePhase(volume, "Failed", "Recycle reclaim policy is not supported");
      default -> binding.volumePhase(volume, "Released", null);
    }
  }

  private static String phase(PersistentVolumeClaim claim) {
    return claim.getStatus() == null ? null : claim.getStatus().getPhase();
  }

  static HashMap<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return o.getMetadata().getAnnotations() == null
        ? new HashMap<>()
        : new HashMap<>(o.getMetadata().getAnnotations());
  }

  static io.fabric8.kubernetes.api.model.ObjectReference claimRef(PersistentVolumeClaim claim) {
    return new ObjectReferenceBuilder()
        .withApiVersion("v1")
        .withKind("PersistentVolumeClaim")
        .withNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .withUid(claim.getMetadata().getUid())
        .withResourceVersion(claim.getMetadata().getResourceVersion())
        .build();
  }
}
