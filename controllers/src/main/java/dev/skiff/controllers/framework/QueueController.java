package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller driven by a rate-limited queue of object keys: informer handlers enqueue keys,
 * workers call the idempotent, level-based {@link #reconcile}, and a failed key is retried with
 * exponential backoff.
 */
public abstract class QueueController implements Controller {
  private static final Logger LOG = LoggerFactory.getLogger(QueueController.class);

  /** How soon a key whose write conflicted is synced again. */
  static final Duration CONFLICT_RETRY = Duration.ofMillis(50);

  private final String name;
  private final ControllerMetrics metrics;
  private final List<Thread> workers = new ArrayList<>();
  protected final WorkQueue<String> queue;

  protected QueueController(String name) {
    this.name = name;
    this.metrics = new ControllerMetrics(name);
    this.queue = new WorkQueue<>(name, RateLimiter.controllerDefault());
  }

  /** Makes the state of the object named by {@code key} ("namespace/name") what it should be. */
  protected abstract void reconcile(String key) throws Exception;

  @Override
  public String name() {
    return name;
  }

  @Override
  public ControllerMetrics metrics() {
    return metrics;
  }

  /** The queue key of an object: "namespace/name", or "name" for cluster-scoped objects. */
  public static String keyOf(HasMetadata object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  public void enqueue(HasMetadata object) {
    enqueue(keyOf(object));
  }

  public void enqueue(String key) {
    queue.add(key);
  }

  public void enqueueAfter(String key, Duration delay) {
    queue.addAfter(key, delay);
  }

  @Override
  public synchronized void start(int count) {
    for (int i = 0; i < count; i++) {
      Thread worker = new Thread(this::work, name + "-worker-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  private void work() {
    while (true) {
      Optional<String> next;
      try {
        next = queue.get();
      } catch (InterruptedException e) {
        return;
      }
      if (next.isEmpty()) {
        return;
      }
      String key = next.get();
      long start = System.nanoTime();
      boolean failed = false;
      try {
        reconcile(key);
        queue.forget(key);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failed = true;
        if (e instanceof KubernetesClientException k && k.getCode() == 409) {
          // A stale cache lost an optimistic-concurrency race: routine. Look again once the
          // informer has caught up, without growing the backoff meant for real failures.
          LOG.debug(
              "{}: conflict syncing {}: {}",
              name,
              key,
              k.getStatus() == null ? k.getMessage() : k.getStatus().getMessage());
          queue.addAfter(key, CONFLICT_RETRY);
        } else if (e instanceof KubernetesClientException k && NamespaceTerminatingCause.isIn(k)) {
          // The namespace is going away with everything in it: nothing left to do for the key.
          LOG.debug("{}: {} is in a terminating namespace", name, key);
          failed = false;
          queue.forget(key);
        } else {
          LOG.info("{}: error syncing {}: {}", name, key, e.toString());
          LOG.debug("{}: error syncing {}", name, key, e);
          queue.addRateLimited(key);
        }
      } finally {
        metrics.reconciled(System.nanoTime() - start, failed);
        queue.done(key);
      }
    }
  }

  @Override
  public synchronized void close() {
    queue.close();
    for (Thread worker : workers) {
      worker.interrupt();
    }
    workers.clear();
  }
}
