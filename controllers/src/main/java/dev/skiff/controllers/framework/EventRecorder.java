package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events about objects, as upstream's event recorder: written asynchronously so a
 * controller never waits on them, a repeated event bumps the count of the first one, and when the
 * API server falls behind events are dropped rather than slowing controllers down.
 */
public final class EventRecorder implements AutoCloseable {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_PENDING = 1000;
  private static final int REMEMBERED = 4096;

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final ThreadPoolExecutor writer;
  private final Map<String, Event> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this.client = client;
    this.component = component;
    this.clock = clock;
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_PENDING),
            r -> {
              Thread thread = new Thread(r, component + "-events");
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.DiscardPolicy());
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, NORMAL, reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, WARNING, reason, message);
  }

  public void record(HasMetadata object, String type, String reason, String message) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    writer.execute(() -> write(object, type, reason, message, now));
  }

  private void write(HasMetadata object, String type, String reason, String message, Instant at) {
    String namespace = object.getMetadata().getNamespace();
    String eventNamespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
    String key = String.join("\0", object.getMetadata().getUid(), type, reason, message);
    try {
      Event previous;
      synchronized (recent) {
        previous = recent.get(key);
      }
      Event written;
      if (previous != null) {
        previous.setCount(previous.getCount() + 1);
        previous.setLastTimestamp(at.toString());
        written = client.v1().events().inNamespace(eventNamespace).resource(previous).update();
      } else {
        Event event =
            new EventBuilder()
                .withNewMetadata()
                .withNamespace(eventNamespace)
                .withName(
                    object.getMetadata().getName()
                        + "."
                        + Long.toHexString(
                            System.currentTimeMillis() * 1_000_000L
                                + System.nanoTime() % 1_000_000L))
                .endMetadata()
                .withInvolvedObject(
                    new ObjectReferenceBuilder()
                        .withApiVersion(object.getApiVersion())
                        .withKind(object.getKind())
                        .withNamespace(namespace)
                        .withName(object.getMetadata().getName())
                        .withUid(object.getMetadata().getUid())
                        .withResourceVersion(object.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource()
                .withComponent(component)
                .endSource()
                .withReportingComponent(component)
                .withReportingInstance("")
                .withFirstTimestamp(at.toString())
                .withLastTimestamp(at.toString())
                .withCount(1)
                .build();
        written = client.v1().events().inNamespace(eventNamespace).resource(event).create();
      }
      synchronized (recent) {
        recent.put(key, written);
      }
    } catch (KubernetesClientException e) {
      synchronized (recent) {
        recent.remove(key);
      }
      LOG.debug("could not record event {} for {}: {}", reason, key, e.getMessage());
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }
}
