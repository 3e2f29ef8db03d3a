package dev.skiff.kubelet.pod;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static pods from {@code --pod-manifest-path}: each manifest becomes a mirror pod named {@code
 * <name>-<node>}, bound to this node and owned by it, which the kubelet then runs like any other
 * pod. A changed manifest replaces its mirror pod; a removed one deletes it; a deleted mirror pod
 * comes back on the next scan.
 */
public final class StaticPods {
  public static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
  public static final String HASH_ANNOTATION = "kubernetes.io/config.hash";
  public static final String SOURCE_ANNOTATION = "kubernetes.io/config.source";
  private static final Logger LOG = LoggerFactory.getLogger(StaticPods.class);

  private final KubernetesClient client;
  private final Path dir;
  private final String nodeName;
  private final java.util.function.Supplier<String> nodeUid;

  public StaticPods(
      KubernetesClient client,
      Path dir,
      String nodeName,
      java.util.function.Supplier<String> nodeUid) {
    this.client = client;
    this.dir = dir;
    this.nodeName = nodeName;
    this.nodeUid = nodeUid;
  }

  /** Reads the manifests and makes the mirror pods match them. */
  public void sync() {
    Map<String, Pod> wanted = new HashMap<>();
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          String n = f.getFileName().toString();
          if (n.startsWith(".")
              || !(n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"))) {
            continue;
          }
          try {
            Pod p = mirror(Files.readString(f, StandardCharsets.UTF_8));
            wanted.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p);
          } catch (RuntimeException e) {
            LOG.warn("static pod manifest {} is not a valid Pod: {}", f, e.getMessage());
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot read static pod manifests in {}: {}", dir, e.toString());
        return;
      }
    }
    for (Pod existing :
        client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems()) {
      var ann = existing.getMetadata().getAnnotations();
      if (ann == null || !ann.containsKey(MIRROR_ANNOTATION)) {
        continue;
      }
      String key = existing.getMetadata().getNamespace() + "/" + existing.getMetadata().getName();
      Pod want = wanted.get(key);
      if (want != null
          && ann.get(MIRROR_ANNOTATION)
              .equals(want.getMetadata().getAnnotations().get(MIRROR_ANNOTATION))) {
        wanted.remove(key);
      } else if (existing.getMetadata().getDeletionTimestamp() == null) {
        client
            .pods()
            .inNamespace(existing.getMetadata().getNamespace())
            .withName(existing.getMetadata().getName())
            .delete();
      } else {
        wanted.remove(key);
      }
    }
    for (Pod p : wanted.values()) {
      try {
        client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn("cannot create mirror pod {}: {}", p.getMetadata().getName(), e.getMessage());
        }
      }
    }
  }

  /** The mirror pod of a manifest. */
  Pod mirror(String manifest) {
    Pod p = Serialization.unmarshal(manifest, Pod.class);
    if (p == null
        || p.getMetadata() == null
        || p.getMetadata().getName() == null
        || p.getSpec() == null) {
      throw new IllegalArgumentException("a Pod needs metadata.name and spec");
    }
    String hash = hash(manifest);
    String ns = p.getMetadata().getNamespace() == null ? "default" : p.getMetadata().getNamespace();
    Map<String, String> ann = new HashMap<>();
    if (p.getMetadata().getAnnotations() != null) {
      ann.putAll(p.getMetadata().getAnnotations());
    }
    ann.put(MIRROR_ANNOTATION, hash);
    ann.put(HASH_ANNOTATION, hash);
    ann.put(SOURCE_ANNOTATION, "file");
    PodBuilder b =
        new PodBuilder(p)
            .editMetadata()
            .withName(p.getMetadata().getName() + "-" + nodeName)
            .withNamespace(ns)
            .withAnnotations(ann)
            .withUid(null)
            .withResourceVersion(null)
            .endMetadata()
            .editSpec()
            .withNodeName(nodeName)
            .endSpec();
    String uid = nodeUid.get();
    if (uid != null) {
      b.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(nodeName)
                  .withUid(uid)
                  .withController(true)
                  .build())
          .endMetadata();
    }
    return b.build();
  }

  private static String hash(String manifest) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(manifest.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
