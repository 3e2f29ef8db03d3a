package dev.skiff.controllers.framework;

/** A controller run by the controller manager. */
public interface Controller extends AutoCloseable {

  /** The controller's name as upstream's kube-controller-manager names it ("replicaset", …). */
  String name();

  /** Starts {@code workers} workers; the shared informers must have synced. */
  void start(int workers);

  ControllerMetrics metrics();

  @Override
  void close();
}
