package dev.skiff.scheduler.cache;

import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Latest copies of the non-pod, non-node objects plugins consult: claims, volumes, storage classes,
 * CSINodes, disruption budgets, priority classes, namespaces, and the selectors of Services and
 * workload controllers (for default topology spreading). Fed by informers (or tests).
 */
public final class ClusterObjects {
  private final Map<String, PersistentVolumeClaim> claims = new ConcurrentHashMap<>();
  private final Map<String, PersistentVolume> volumes = new ConcurrentHashMap<>();
  private final Map<String, StorageClass> storageClasses = new ConcurrentHashMap<>();
  private final Map<String, CSINode> csiNodes = new ConcurrentHashMap<>();
  private final Map<String, PodDisruptionBudget> budgets = new ConcurrentHashMap<>();
  private final Map<String, PriorityClass> priorityClasses = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();
  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Map<String, LabelSelector> controllerSelectors = new ConcurrentHashMap<>();

  public void putService(Service s) {
    services.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s);
  }

  public void removeService(Service s) {
    services.remove(key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
  }

  /** Selectors of the Services in the pod's namespace that select the pod. */
  public List<Map<String, String>> serviceSelectorsFor(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> labels = pod.getMetadata().getLabels();
    List<Map<String, String>> out = new ArrayList<>();
    for (Service s : services.values()) {
      Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
      if (ns.equals(s.getMetadata().getNamespace())
          && sel != null
          && !sel.isEmpty()
          && labels != null
          && labels.entrySet().containsAll(sel.entrySet())) {
        out.add(sel);
      }
    }
    return out;
  }

  /**
   * Records the pod selector of a ReplicaSet, StatefulSet or ReplicationController, used to spread
   * its pods by default.
   *
   * @param kind the owner reference kind, e.g. "ReplicaSet"
   * @param selector null to forget the workload
   */
  public void putControllerSelector(
      String kind, String namespace, String name, LabelSelector selector) {
    String k = kind + "/" + key(namespace, name);
    if (selector == null) {
      controllerSelectors.remove(k);
    } else {
      controllerSelectors.put(k, selector);
    }
  }

  public LabelSelector controllerSelector(String kind, String namespace, String name) {
    return controllerSelectors.get(kind + "/" + key(namespace, name));
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public void putClaim(PersistentVolumeClaim c) {
    claims.put(key(c.getMetadata().getNamespace(), c.getMetadata().getName()), c);
  }

  public void removeClaim(PersistentVolumeClaim c) {
    claims.remove(key(c.getMetadata().getNamespace(), c.getMetadata().getName()));
  }

  public PersistentVolumeClaim claim(String namespace, String name) {
    return claims.get(key(namespace, name));
  }

  public void putVolume(PersistentVolume v) {
    volumes.put(v.getMetadata().getName(), v);
  }

  public void removeVolume(PersistentVolume v) {
    volumes.remove(v.getMetadata().getName());
  }

  public PersistentVolume volume(String name) {
    return volumes.get(name);
  }

  public Collection<PersistentVolume> volumes() {
    return List.copyOf(volumes.values());
  }

  public void putStorageClass(StorageClass s) {
    storageClasses.put(s.getMetadata().getName(), s);
  }

  public void removeStorageClass(StorageClass s) {
    storageClasses.remove(s.getMetadata().getName());
  }

  public StorageClass storageClass(String name) {
    return name == null ? null : storageClasses.get(name);
  }

  public void putCsiNode(CSINode n) {
    csiNodes.put(n.getMetadata().getName(), n);
  }

  public void removeCsiNode(CSINode n) {
    csiNodes.remove(n.getMetadata().getName());
  }

  /** The CSINode of a node (same name), or null. */
  public CSINode csiNode(String nodeName) {
    return csiNodes.get(nodeName);
  }

  public void putDisruptionBudget(PodDisruptionBudget b) {
    budgets.put(key(b.getMetadata().getNamespace(), b.getMetadata().getName()), b);
  }

  public void removeDisruptionBudget(PodDisruptionBudget b) {
    budgets.remove(key(b.getMetadata().getNamespace(), b.getMetadata().getName()));
  }

  public List<PodDisruptionBudget> disruptionBudgets() {
    return new ArrayList<>(budgets.values());
  }

  public void putPriorityClass(PriorityClass p) {
    priorityClasses.put(p.getMetadata().getName(), p);
  }

  public void removePriorityClass(PriorityClass p) {
    priorityClasses.remove(p.getMetadata().getName());
  }

  public PriorityClass priorityClass(String name) {
    return name == null ? null : priorityClasses.get(name);
  }

  /** The class with {@code globalDefault: true}, or null. */
  public PriorityClass globalDefaultPriorityClass() {
    for (PriorityClass pc : priorityClasses.values()) {
      if (Boolean.TRUE.equals(pc.getGlobalDefault())) {
        return pc;
      }
    }
    return null;
  }

  public void putNamespace(Namespace ns) {
    Map<String, String> labels = ns.getMetadata().getLabels();
    namespaceLabels.put(ns.getMetadata().getName(), labels == null ? Map.of() : Map.copyOf(labels));
  }

  public void removeNamespace(Namespace ns) {
    namespaceLabels.remove(ns.getMetadata().getName());
  }

  /** Labels of a namespace, empty when it is unknown. */
  public Map<String, String> namespaceLabels(String name) {
    return namespaceLabels.getOrDefault(name, Map.of());
  }
}
