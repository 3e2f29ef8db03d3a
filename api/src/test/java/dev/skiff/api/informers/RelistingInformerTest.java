package dev.skiff.api.informers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy as fabric8's reflector applies it: after any failure it asks the informer's handler
 * whether to list and watch again, telling it whether the informer had synced. (The controllers'
 * InformersTest sees it at work against an API server whose watch sends an unparsable event.)
 */
class RelistingInformerTest {
  private final List<ExceptionHandler> handlers = new ArrayList<>();
  private final List<Long> resyncs = new ArrayList<>();

  /** An informer that records the handler it is given, made by a source that records its resync. */
  private final SharedIndexInformer<Pod> informer = recordingInformer();

  @SuppressWarnings("unchecked")
  private SharedIndexInformer<Pod> recordingInformer() {
    return (SharedIndexInformer<Pod>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {SharedIndexInformer.class},
            (proxy, method, args) -> {
              if (method.getName().equals("exceptionHandler")) {
                handlers.add((ExceptionHandler) args[0]);
                return proxy;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @SuppressWarnings("unchecked")
  private Informable<Pod> source() {
    return (Informable<Pod>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Informable.class},
            (proxy, method, args) -> {
              if (method.getName().equals("runnableInformer")) {
                resyncs.add((Long) args[0]);
                return informer;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void aSyncedInformerRelistsAfterAnyFailedWatch() {
    assertSame(informer, RelistingInformer.of(source()));
    assertEquals(List.of(0L), resyncs, "no periodic resync");
    ExceptionHandler handler = handlers.getFirst();
    // fabric8's own default gives up on these two once synced.
    assertTrue(handler.retryAfterException(true, new WatcherException("unparsable event")));
    assertTrue(
        handler.retryAfterException(
            true, new WatcherException("watch refused", new KubernetesClientException("403"))));
    assertTrue(handler.retryAfterException(true, new KubernetesClientException("list failed")));
  }

  @Test
  void aFirstListThatFailsStillFailsTheStart() {
    RelistingInformer.of(source());
    assertFalse(
        handlers.getFirst().retryAfterException(false, new KubernetesClientException("refused")));
  }
}
