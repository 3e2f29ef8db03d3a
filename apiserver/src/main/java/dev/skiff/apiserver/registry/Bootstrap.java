package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import java.util.List;

/**
 * Objects every cluster has from its first start: the built-in namespaces and the {@code
 * default/kubernetes} Service. Existing ones are left alone.
 */
public final class Bootstrap {
  public static final List<String> NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private Bootstrap() {}

  public static void run(
      ResourceStore resources, ResourceRegistry registry, String serviceIp, int port) {
    ResourceType namespaces =
        registry.find("", "v1", "namespaces").orElseThrow(() -> missing("namespaces"));
    for (String ns : NAMESPACES) {
      if (resources.read(namespaces, "", ns).isEmpty()) {
        ObjectNode obj = Json.object();
        obj.put("apiVersion", "v1");
        obj.put("kind", "Namespace");
        obj.putObject("metadata").put("name", ns);
        createIfAbsent(resources, namespaces, "", obj);
      }
    }
    ResourceType services =
        registry.find("", "v1", "services").orElseThrow(() -> missing("services"));
    if (resources.read(services, "default", "kubernetes").isEmpty()) {
      createIfAbsent(resources, services, "default", kubernetesService(serviceIp, port));
    }
  }

  private static ObjectNode kubernetesService(String ip, int port) {
    ObjectNode svc = Json.object();
    svc.put("apiVersion", "v1");
    svc.put("kind", "Service");
    ObjectNode m = svc.putObject("metadata");
    m.put("name", "kubernetes");
    m.put("namespace", "default");
    ObjectNode labels = m.putObject("labels");
    labels.put("component", "apiserver");
    labels.put("provider", "kubernetes");
    ObjectNode spec = svc.putObject("spec");
    spec.put("type", "ClusterIP");
    spec.put("clusterIP", ip);
    spec.putArray("clusterIPs").add(ip);
    spec.put("sessionAffinity", "None");
    ObjectNode p = spec.putArray("ports").addObject();
    p.put("name", "https");
    p.put("protocol", "TCP");
    p.put("port", 443);
    p.put("targetPort", port);
    return svc;
  }

  private static void createIfAbsent(
      ResourceStore resources, ResourceType t, String ns, ObjectNode obj) {
    try {
      resources.create(t, ns, obj, false);
    } catch (ApiException e) {
      if (e.code() != 409) {
        throw new IllegalStateException(
            "cannot create built-in " + t.kind() + ": " + e.getMessage(), e);
      }
    }
  }

  private static IllegalStateException missing(String plural) {
    return new IllegalStateException("the registry does not serve core/v1 " + plural);
  }
}
