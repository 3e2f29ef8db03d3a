package dev.skiff.kubelet.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about pods from the kubelet ({@code source.component: kubelet}), in the
 * background so pod workers never wait on them. A repeat of the same event on the same object
 * raises its count and lastTimestamp, as upstream's correlator does ({@code x12 over 3m}).
 */
public final class EventRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;

  private final KubernetesClient client;
  private final String nodeName;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("kubelet-events").daemon().factory());
  private final Map<String, Event> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> e) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  public void normal(Pod pod, String container, String reason, String message) {
    record(pod, container, "Normal", reason, message);
  }

  public void warning(Pod pod, String container, String reason, String message) {
    record(pod, container, "Warning", reason, message);
  }

  /**
   * @param container the container the event is about ({@code spec.containers{name}}), or null
   */
  private void record(Pod pod, String container, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var meta = pod.getMetadata();
    String fieldPath = container == null ? null : fieldPath(pod, container);
    writer.execute(
        () -> {
          String key = meta.getUid() + "|" + fieldPath + "|" + type + "|" + reason + "|" + message;
          try {
            Event previous = recent.get(key);
            if (previous != null) {
              Event bumped =
                  new EventBuilder(previous)
                      .withCount(previous.getCount() + 1)
                      .withLastTimestamp(now)
                      .build();
              bumped.getMetadata().setResourceVersion(null);
              recent.put(
                  key,
                  client.v1().events().inNamespace(meta.getNamespace()).resource(bumped).update());
              return;
            }
            Event e =
                new EventBuilder()
                    .withNewMetadata()
                    .withName(meta.getName() + "." + Long.toHexString(System.nanoTime()))
                    .withNamespace(meta.getNamespace())
                    .endMetadata()
                    .withInvolvedObject(
                        new ObjectReferenceBuilder()
                            .withApiVersion("v1")
                            .withKind("Pod")
                            .withName(meta.getName())
                            .withNamespace(meta.getNamespace())
                            .withUid(meta.getUid())
                            .withResourceVersion(meta.getResourceVersion())
                            .withFieldPath(fieldPath)
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withNewSource()
                    .withComponent("kubelet")
                    .withHost(nodeName)
                    .endSource()
                    .withReportingComponent("kubelet")
                    .withReportingInstance(nodeName)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .build();
            recent.put(
                key, client.v1().events().inNamespace(meta.getNamespace()).resource(e).create());
          } catch (RuntimeException ex) {
            recent.remove(key);
            LOG.debug("could not record event {} on {}: {}", reason, meta.getName(), ex.toString());
          }
        });
  }

  private static String fieldPath(Pod pod, String container) {
    boolean init =
        pod.getSpec().getInitContainers().stream().anyMatch(c -> c.getName().equals(container));
    return (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
  }

  /** Writes what is queued (bounded), then stops. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.shutdownNow();
  }
}
