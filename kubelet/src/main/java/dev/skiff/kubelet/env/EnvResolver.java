package dev.skiff.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment, in upstream's order: service variables, then {@code envFrom}, then
 * {@code env} (later entries win), each {@code env} value expanded against what came before.
 */
public final class EnvResolver {
  private final KubernetesClient client;

  public EnvResolver(KubernetesClient client) {
    this.client = client;
  }

  public Map<String, String> resolve(Pod pod, Container c, String podIp, String hostIp) {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    if (!Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks())) {
      env.putAll(ServiceEnv.of(services(ns)));
    } else {
      env.putAll(ServiceEnv.of(kubernetesService()));
    }
    for (EnvFromSource from : c.getEnvFrom()) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() != null) {
        var ref = from.getConfigMapRef();
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(ref.getName()).get();
        if (cm == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
        }
        if (cm.getData() != null) {
          cm.getData().forEach((k, v) -> env.put(prefix + k, v));
        }
      }
      if (from.getSecretRef() != null) {
        var ref = from.getSecretRef();
        Secret s = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        if (s == null) {
          if (Boolean.TRUE.equals(ref.getOptional())) {
            continue;
          }
          throw new ConfigError("secret \"" + ref.getName() + "\" not found");
        }
        secretData(s).forEach((k, v) -> env.put(prefix + k, v));
      }
    }
    for (EnvVar v : c.getEnv()) {
      String value;
      if (v.getValueFrom() == null) {
        value = Expansion.expand(v.getValue() == null ? "" : v.getValue(), env);
      } else {
        value = valueFrom(pod, c, v, podIp, hostIp);
        if (value == null) {
          continue;
        }
      }
      env.put(v.getName(), value);
    }
    return env;
  }

  private String valueFrom(Pod pod, Container c, EnvVar v, String podIp, String hostIp) {
    var from = v.getValueFrom();
    String ns = pod.getMetadata().getNamespace();
    if (from.getFieldRef() != null) {
      return FieldRefs.value(pod, from.getFieldRef().getFieldPath(), podIp, hostIp);
    }
    if (from.getResourceFieldRef() != null) {
      return FieldRefs.resource(pod, c, from.getResourceFieldRef());
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      ConfigMap cm = client.configMaps().inNamespace(ns).withName(ref.getName()).get();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      if (cm == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
      }
      String value = cm.getData() == null ? null : cm.getData().get(ref.getKey());
      if (value == null && !optional) {
        throw new ConfigError(
            "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
      }
      return value;
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      Secret s = client.secrets().inNamespace(ns).withName(ref.getName()).get();
      boolean optional = Boolean.TRUE.equals(ref.getOptional());
      if (s == null) {
        if (optional) {
          return null;
        }
        throw new ConfigError("secret \"" + ref.getName() + "\" not found");
      }
      String value = secretData(s).get(ref.getKey());
      if (value == null && !optional) {
        throw new ConfigError(
            "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
      }
      return value;
    }
    return "";
  }

  static Map<String, String> secretData(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  private List<Service> services(String ns) {
    List<Service> out = new ArrayList<>(kubernetesService());
    for (Service s : client.services().inNamespace(ns).list().getItems()) {
      if (!(ns.equals("default") && s.getMetadata().getName().equals("kubernetes"))) {
        out.add(s);
      }
    }
    return out;
  }

  private List<Service> kubernetesService() {
    Service k = client.services().inNamespace("default").withName("kubernetes").get();
    return k == null ? List.of() : List.of(k);
  }
}
