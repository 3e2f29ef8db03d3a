package dev.skiff.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.scheduler.framework.SchedulerClient;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The scheduler's writes through the API server, over the fabric8 client's HTTP connection. */
public final class Fabric8SchedulerClient implements SchedulerClient {
  static final String COMPONENT = "default-scheduler";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String instance;

  /**
   * @param instance this scheduler's identity in events ({@code reportingInstance})
   */
  public Fabric8SchedulerClient(KubernetesClient client, String instance) {
    this.client = client;
    this.instance = instance;
  }

  private String podPath(Pod pod) {
    return "api/v1/namespaces/"
        + enc(pod.getMetadata().getNamespace())
        + "/pods/"
        + enc(pod.getMetadata().getName());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void send(HttpRequest.Builder builder, String path, String what) {
    String base = client.getMasterUrl().toString();
    HttpRequest request = builder.uri(base + (base.endsWith("/") ? "" : "/") + path).build();
    try {
      HttpResponse<String> r =
          client.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
      if (!r.isSuccessful()) {
        String message = r.body();
        try {
          message = JSON.readTree(r.body()).path("message").asText(r.body());
        } catch (java.io.IOException | RuntimeException e) {
          // Not a Status object; keep the raw body.
        }
        throw new KubernetesClientException(what + ": " + message, r.code(), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException(what + ": interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KubernetesClientException(what + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void bind(Pod pod, String nodeName) {
    Binding b =
        new BindingBuilder()
            .withNewMetadata()
            .withName(pod.getMetadata().getName())
            .withNamespace(pod.getMetadata().getNamespace())
            .withUid(pod.getMetadata().getUid())
            .endMetadata()
            .withNewTarget()
            .withKind("Node")
            .withApiVersion("v1")
            .withName(nodeName)
            .endTarget()
            .build();
    send(
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .post("application/json", Serialization.asJson(b)),
        podPath(pod) + "/binding",
        "binding rejected");
  }

  @Override
  public void updatePodStatus(Pod pod, PodCondition condition, String nominatedNodeName) {
    ObjectNode status = JSON.createObjectNode();
    if (condition != null) {
      status.set("conditions", JSON.createArrayNode().add(JSON.valueToTree(condition)));
    }
    if (nominatedNodeName != null) {
      if (nominatedNodeName.isEmpty()) {
        status.putNull("nominatedNodeName");
      } else {
        status.put("nominatedNodeName", nominatedNodeName);
      }
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.set("status", status);
    send(
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .patch("application/strategic-merge-patch+json", patch.toString()),
        podPath(pod) + "/status",
        "updating pod status");
  }

  /** An event already written, so a repeat only bumps its count, as client-go's recorder. */
  private record Recorded(String name, int count) {}

  // Bounded like client-go's event correlator cache.
  private final Map<String, Recorded> recorded =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
              return size() > 4096;
            }
          });

  @Override
  public void recordEvent(Pod pod, String type, String reason, String action, String message) {
    Instant now = Instant.now();
    String ns = pod.getMetadata().getNamespace();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    String key = pod.getMetadata().getUid() + "\0" + type + "\0" + reason + "\0" + message;
    Recorded previous = recorded.get(key);
    if (previous != null) {
      ObjectNode patch = JSON.createObjectNode();
      patch.put("count", previous.count() + 1);
      patch.put("lastTimestamp", timestamp);
      try {
        send(
            client
                .getHttpClient()
                .newHttpRequestBuilder()
                .patch("application/merge-patch+json", patch.toString()),
            "api/v1/namespaces/" + enc(ns) + "/events/" + enc(previous.name()),
            "updating event");
        recorded.put(key, new Recorded(previous.name(), previous.count() + 1));
        return;
      } catch (KubernetesClientException e) {
        // The event expired or was deleted: record it afresh below.
      }
    }
    String name =
        pod.getMetadata().getName()
            + "."
            + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withNamespace(ns)
                    .withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid())
                    .withResourceVersion(pod.getMetadata().getResourceVersion())
                    .build())
            .withType(type)
            .withReason(reason)
            .withAction(action)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .withFirstTimestamp(timestamp)
            .withLastTimestamp(timestamp)
            .withCount(1)
            .build();
    client.v1().events().inNamespace(ns).resource(event).create();
    recorded.put(key, new Recorded(name, 1));
  }

  @Override
  public void preemptPod(Pod victim, Pod preemptor, String nodeName) {
    PodCondition c =
        new PodConditionBuilder()
            .withType("DisruptionTarget")
            .withStatus("True")
            .withReason("PreemptionByScheduler")
            .withMessage(COMPONENT + ": preempting to accommodate a higher priority pod")
            .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
            .build();
    try {
      updatePodStatus(victim, c, null);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    client
        .pods()
        .inNamespace(victim.getMetadata().getNamespace())
        .withName(victim.getMetadata().getName())
        .delete();
    recordEvent(
        victim,
        "Normal",
        "Preempted",
        "Preempting",
        "Preempted by pod " + preemptor.getMetadata().getUid() + " on node " + nodeName);
  }

  @Override
  public void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim) {
    client
        .persistentVolumes()
        .withName(volume.getMetadata().getName())
        .edit(
            pv -> {
              var annotations =
                  pv.getMetadata().getAnnotations() == null
                      ? new HashMap<String, String>()
                      : new HashMap<>(pv.getMetadata().getAnnotations());
              annotations.put("pv.kubernetes.io/bound-by-controller", "yes");
              pv.getMetadata().setAnnotations(annotations);
              pv.getSpec()
                  .setClaimRef(
                      new ObjectReferenceBuilder()
                          .withApiVersion("v1")
                          .withKind("PersistentVolumeClaim")
                          .withNamespace(claim.getMetadata().getNamespace())
                          .withName(claim.getMetadata().getName())
                          .withUid(claim.getMetadata().getUid())
                          .withResourceVersion(claim.getMetadata().getResourceVersion())
                          .build());
              return pv;
            });
  }

  @Override
  public void selectNodeForClaim(PersistentVolumeClaim claim, String nodeName) {
    client
        .persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .edit(
            pvc -> {
              var annotations =
                  pvc.getMetadata().getAnnotations() == null
                      ? new HashMap<String, String>()
                      : new HashMap<>(pvc.getMetadata().getAnnotations());
              annotations.put("volume.kubernetes.io/selected-node", nodeName);
              pvc.getMetadata().setAnnotations(annotations);
              return pvc;
            });
  }
}
