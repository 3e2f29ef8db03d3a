package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What every controller is built from: the API client, the shared informers and a clock. */
public final class ControllerContext implements AutoCloseable {
  private final KubernetesClient client;
  private final Informers informers;
  private final Clock clock;
  private final List<EventRecorder> recorders = new CopyOnWriteArrayList<>();

  public ControllerContext(KubernetesClient client, Informers informers, Clock clock) {
    this.client = client;
    this.informers = informers;
    this.clock = clock;
  }

  public KubernetesClient client() {
    return client;
  }

  public Informers informers() {
    return informers;
  }

  public Clock clock() {
    return clock;
  }

  /** An event recorder whose events name {@code component} as their source. */
  public EventRecorder events(String component) {
    EventRecorder recorder = new EventRecorder(client, component, clock);
    recorders.add(recorder);
    return recorder;
  }

  @Override
  public void close() {
    recorders.forEach(EventRecorder::close);
    recorders.clear();
  }
}
