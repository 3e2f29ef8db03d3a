package dev.skiff.controllers.testing;

import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches the pods labelled {@code app=<app>} in {@code default} through a rollout and keeps the
 * extremes a user would notice: the fewest pods ready at once and the most pods not ready at once.
 * A pod is ready while it exists, is not being deleted and reports Ready; a pod once seen and then
 * deleted stays counted as not ready until a pod of the same name is ready again, as a StatefulSet
 * brings it back.
 */
public final class PodReadiness implements AutoCloseable {
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> ready = ConcurrentHashMap.newKeySet();
  private final AtomicInteger fewestReady;
  private final AtomicInteger mostUnready;
  private final Watch watch;

  public PodReadiness(KubernetesClient client, String app) {
    var pods = client.pods().inNamespace("default").withLabel("app", app);
    for (Pod pod : pods.list().getItems()) {
      observe(pod, false);
    }
    fewestReady = new AtomicInteger(ready.size());
    mostUnready = new AtomicInteger(seen.size() - ready.size());
    watch =
        pods.watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                observe(pod, action == Action.DELETED);
                fewestReady.accumulateAndGet(ready.size(), Math::min);
                mostUnready.accumulateAndGet(seen.size() - ready.size(), Math::max);
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private void observe(Pod pod, boolean deleted) {
    String name = pod.getMetadata().getName();
    seen.add(name);
    if (deleted || pod.getMetadata().getDeletionTimestamp() != null || !Pods.isReady(pod)) {
      ready.remove(name);
    } else {
      ready.add(name);
    }
  }

  public int fewestReady() {
    return fewestReady.get();
  }

  public int mostUnready() {
    return mostUnready.get();
  }

  @Override
  public void close() {
    watch.close();
  }
}
