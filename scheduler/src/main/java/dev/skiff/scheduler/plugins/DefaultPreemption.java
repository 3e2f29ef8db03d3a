package dev.skiff.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.Handle;
import dev.skiff.scheduler.framework.PodPriority;
import dev.skiff.scheduler.framework.PostFilterPlugin;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a pod fits nowhere, finds a node where evicting lower-priority pods makes it fit, picks the
 * least disruptive one as upstream (fewest PDB violations, lowest top victim priority, smallest
 * priority sum, fewest victims, most recently started), evicts those victims gracefully and
 * nominates the node for the preemptor.
 */
public final class DefaultPreemption implements PostFilterPlugin {
  public static final String NAME = "DefaultPreemption";
  static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
  static final String NO_VICTIMS = "No preemption victims found for incoming pod";

  private final Handle handle;
  private final int minCandidateNodesPercentage;
  private final int minCandidateNodesAbsolute;

  /** A node where preemption works, with the pods to evict (most important first). */
  record Candidate(String nodeName, List<PodInfo> victims, int pdbViolations) {}

  /**
   * @param args DefaultPreemptionArgs: {@code minCandidateNodesPercentage} (0-100, default 10),
   *     {@code minCandidateNodesAbsolute} (default 100)
   */
  public DefaultPreemption(JsonNode args, Handle handle) {
    this.handle = handle;
    this.minCandidateNodesPercentage = args.path("minCandidateNodesPercentage").asInt(10);
    this.minCandidateNodesAbsolute = args.path("minCandidateNodesAbsolute").asInt(100);
    if (minCandidateNodesPercentage < 0 || minCandidateNodesPercentage > 100) {
      throw new IllegalArgumentException(
          "minCandidateNodesPercentage: Invalid value: "
              + minCandidateNodesPercentage
              + ": not in valid range [0, 100]");
    }
    if (minCandidateNodesAbsolute < 0) {
      throw new IllegalArgumentException(
          "minCandidateNodesAbsolute: Invalid value: "
              + minCandidateNodesAbsolute
              + ": not in valid range [0, inf)");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> nodeToStatus) {
    PostFilterResult r = preempt(state, pod, nodeToStatus);
    String msg = r.status().message();
    if (!msg.isEmpty()) {
      return new PostFilterResult(
          r.nominatedNodeName(), Status.of(r.status().code(), "preemption: " + msg));
    }
    return r;
  }

  private int priority(Pod pod) {
    return PodPriority.of(pod, handle.objects());
  }

  private PostFilterResult preempt(CycleState state, Pod pod, Map<String, Status> nodeToStatus) {
    String ineligible = ineligibility(pod, nodeToStatus);
    if (ineligible != null) {
      return new PostFilterResult(null, Status.unschedulable(ineligible));
    }
    List<NodeInfo> all = handle.snapshot().list();
    List<NodeInfo> potential = new ArrayList<>();
    for (NodeInfo n : all) {
      Status s = nodeToStatus.get(n.name());
      if (s != null && s.code() != Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        potential.add(n);
      }
    }
    Diagnosis diagnosis = new Diagnosis();
    diagnosis.setAbsentNodesStatus(Status.unresolvable(NOT_HELPFUL));
    if (potential.isEmpty()) {
      String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
      if (nominated != null && !nominated.isEmpty()) {
        handle.client().updatePodStatus(pod, null, "");
      }
      return new PostFilterResult(null, Status.unschedulable(diagnosis.message(all.size())));
    }
    List<Candidate> candidates = findCandidates(state, pod, potential, diagnosis);
    if (candidates.isEmpty()) {
      return new PostFilterResult(null, Status.unschedulable(diagnosis.message(all.size())));
    }
    Candidate best = pickOne(candidates);
    evict(pod, best);
    return new PostFilterResult(best.nodeName(), Status.SUCCESS);
  }

  private String ineligibility(Pod pod, Map<String, Status> nodeToStatus) {
    if (!PodPriority.mayPreempt(pod, handle.objects())) {
      return "not eligible due to preemptionPolicy=Never.";
    }
    String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    if (nominated == null || nominated.isEmpty()) {
      return null;
    }
    Status s = nodeToStatus.get(nominated);
    if (s != null && s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
      return null;
    }
    NodeInfo node = handle.snapshot().get(nominated);
    if (node != null) {
      int p = priority(pod);
      for (PodInfo other : node.pods()) {
        if (other.pod().getMetadata().getDeletionTimestamp() != null && priority(other.pod()) < p) {
          return "not eligible due to a terminating pod on the nominated node.";
        }
      }
    }
    return null;
  }

  private List<Candidate> findCandidates(
      CycleState state, Pod pod, List<NodeInfo> potential, Diagnosis diagnosis) {
    int n = potential.size();
    int wanted =
        Math.min(n, Math.max(n * minCandidateNodesPercentage / 100, minCandidateNodesAbsolute));
    int offset = ThreadLocalRandom.current().nextInt(n);
    List<PodDisruptionBudget> pdbs = handle.objects().disruptionBudgets();
    List<Candidate> nonViolating = new ArrayList<>();
    List<Candidate> violating = new ArrayList<>();
    for (int i = 0; i < n && nonViolating.size() < wanted; i++) {
      NodeInfo node = potential.get((offset + i) % n);
      Object result = selectVictims(state.copy(), pod, node.copy(), pdbs);
      if (result instanceof Candidate c) {
        (c.pdbViolations() == 0 ? nonViolating : violating).add(c);
      } else {
        diagnosis.setNodeStatus(node.name(), (Status) result);
      }
    }
    List<Candidate> all = new ArrayList<>(nonViolating);
    all.addAll(violating);
    return all;
  }

  // Returns a Candidate, or the Status explaining why preemption cannot help on this node.
  private Object selectVictims(
      CycleState state, Pod pod, NodeInfo node, List<PodDisruptionBudget> pdbs) {
    int p = priority(pod);
    List<PodInfo> potential = new ArrayList<>();
    for (PodInfo other : List.copyOf(node.pods())) {
      if (priority(other.pod()) < p) {
        potential.add(other);
        node.removePod(other);
        handle.runPreFilterRemovePod(state, pod, other, node);
      }
    }
    if (potential.isEmpty()) {
      return Status.unresolvable(NO_VICTIMS);
    }
    Status fits = handle.runFilterPluginsWithNominatedPods(state, pod, node);
    if (!fits.isSuccess()) {
      return fits;
    }
    potential.sort(moreImportantFirst());
    List<PodInfo> violatingVictims = new ArrayList<>();
    List<PodInfo> nonViolatingVictims = new ArrayList<>();
    splitByBudgetViolation(potential, pdbs, violatingVictims, nonViolatingVictims);
    List<PodInfo> victims = new ArrayList<>();
    int violations = 0;
    for (PodInfo v : violatingVictims) {
      if (!reprieve(state, pod, node, v, victims)) {
        violations++;
      }
    }
    for (PodInfo v : nonViolatingVictims) {
      reprieve(state, pod, node, v, victims);
    }
    victims.sort(moreImportantFirst());
    return new Candidate(node.name(), victims, violations);
  }

  private boolean reprieve(
      CycleState state, Pod pod, NodeInfo node, PodInfo victim, List<PodInfo> victims) {
    node.addPod(victim);
    handle.runPreFilterAddPod(state, pod, victim, node);
    if (handle.runFilterPluginsWithNominatedPods(state, pod, node).isSuccess()) {
      return true;
    }
    node.removePod(victim);
    handle.runPreFilterRemovePod(state, pod, victim, node);
    victims.add(victim);
    return false;
  }

  private Comparator<PodInfo> moreImportantFirst() {
    return Comparator.<PodInfo>comparingInt(v -> -priority(v.pod()))
        .thenComparing(v -> startTime(v.pod()));
  }

  private static Instant startTime(Pod pod) {
    String t = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (t == null) {
      t = pod.getMetadata().getCreationTimestamp();
    }
    return t == null ? Instant.now() : Instant.parse(t);
  }

  private static void splitByBudgetViolation(
      List<PodInfo> pods,
      List<PodDisruptionBudget> pdbs,
      List<PodInfo> violating,
      List<PodInfo> nonViolating) {
    int[] allowed = new int[pdbs.size()];
    for (int i = 0; i < pdbs.size(); i++) {
      var status = pdbs.get(i).getStatus();
      allowed[i] =
          status == null || status.getDisruptionsAllowed() == null
              ? 0
              : status.getDisruptionsAllowed();
    }
    for (PodInfo pi : pods) {
      Pod pod = pi.pod();
      boolean violates = false;
      for (int i = 0; i < pdbs.size(); i++) {
        PodDisruptionBudget pdb = pdbs.get(i);
        if (!pdb.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())) {
          continue;
        }
        LabelSelector sel = LabelSelector.fromModel(pdb.getSpec().getSelector());
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (sel.isEverything() || !sel.matches(labels == null ? Map.of() : labels)) {
          continue;
        }
        var disrupted = pdb.getStatus() == null ? null : pdb.getStatus().getDisruptedPods();
        if (disrupted != null && disrupted.containsKey(pod.getMetadata().getName())) {
          continue;
        }
        allowed[i]--;
        if (allowed[i] < 0) {
          violates = true;
        }
      }
      (violates ? violating : nonViolating).add(pi);
    }
  }

  /** Upstream's pickOneNodeForPreemption tie-breakers, in order. */
  Candidate pickOne(List<Candidate> candidates) {
    for (Candidate c : candidates) {
      if (c.victims().isEmpty()) {
        return c;
      }
    }
    Comparator<Candidate> order =
        Comparator.<Candidate>comparingInt(Candidate::pdbViolations)
            .thenComparingInt(c -> priority(c.victims().getFirst().pod()))
            .thenComparingLong(
                c ->
                    c.victims().stream()
                        .mapToLong(v -> (long) priority(v.pod()) + Integer.MAX_VALUE + 1)
                        .sum())
            .thenComparingInt(c -> c.victims().size())
            .thenComparing(this::earliestStartOfTopVictims, Comparator.reverseOrder());
    return candidates.stream().min(order).orElseThrow();
  }

  private Instant earliestStartOfTopVictims(Candidate c) {
    int top = priority(c.victims().getFirst().pod());
    Instant earliest = Instant.MAX;
    for (PodInfo v : c.victims()) {
      if (priority(v.pod()) == top && startTime(v.pod()).isBefore(earliest)) {
        earliest = startTime(v.pod());
      }
    }
    return earliest;
  }

  private void evict(Pod preemptor, Candidate c) {
    for (PodInfo v : c.victims()) {
      handle.client().preemptPod(v.pod(), preemptor, c.nodeName());
    }
    int p = priority(preemptor);
    for (PodInfo nominated : handle.nominator().nominatedPodsForNode(c.nodeName())) {
      if (priority(nominated.pod()) < p && !nominated.key().equals(PodInfo.keyOf(preemptor))) {
        handle.nominator().deleteNominatedPod(nominated.pod());
        handle.client().updatePodStatus(nominated.pod(), null, "");
      }
    }
  }
}
