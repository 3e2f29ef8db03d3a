package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** The pod fits on no node; the message is upstream's "0/N nodes are available: ..." text. */
public final class FitError extends Exception {
  private final transient Pod pod;
  private final int numAllNodes;
  private final transient Diagnosis diagnosis;

  public FitError(Pod pod, int numAllNodes, Diagnosis diagnosis) {
    super("0/" + numAllNodes + " nodes are available");
    this.pod = pod;
    this.numAllNodes = numAllNodes;
    this.diagnosis = diagnosis;
  }

  public Pod pod() {
    return pod;
  }

  public int numAllNodes() {
    return numAllNodes;
  }

  public Diagnosis diagnosis() {
    return diagnosis;
  }

  /** Upstream's text; with no nodes at all, its ErrNoNodesAvailable wording. */
  @Override
  public String getMessage() {
    if (numAllNodes == 0) {
      return "no nodes available to schedule pods";
    }
    return diagnosis.message(numAllNodes);
  }
}
