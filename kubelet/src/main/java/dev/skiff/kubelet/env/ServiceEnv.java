package dev.skiff.kubelet.env;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Docker-links style variables that describe Services ({@code REDIS_SERVICE_HOST}, {@code
 * REDIS_PORT_6379_TCP_ADDR}, ...), as upstream's kubelet sets them.
 */
public final class ServiceEnv {
  private ServiceEnv() {}

  public static Map<String, String> of(List<Service> services) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Service s : services) {
      String ip = s.getSpec().getClusterIP();
      if (ip == null || ip.isEmpty() || ip.equals("None") || s.getSpec().getPorts().isEmpty()) {
        continue;
      }
      String prefix = s.getMetadata().getName().toUpperCase(Locale.ROOT).replace('-', '_');
      ServicePort first = s.getSpec().getPorts().getFirst();
      env.put(prefix + "_SERVICE_HOST", ip);
      env.put(prefix + "_SERVICE_PORT", Integer.toString(first.getPort()));
      for (ServicePort p : s.getSpec().getPorts()) {
        if (p.getName() != null && !p.getName().isEmpty()) {
          env.put(
              prefix + "_SERVICE_PORT_" + p.getName().toUpperCase(Locale.ROOT).replace('-', '_'),
              Integer.toString(p.getPort()));
        }
      }
      String proto = first.getProtocol() == null ? "TCP" : first.getProtocol();
      env.put(
          prefix + "_PORT", proto.toLowerCase(Locale.ROOT) + "://" + ip + ":" + first.getPort());
      for (ServicePort p : s.getSpec().getPorts()) {
        String pr = p.getProtocol() == null ? "TCP" : p.getProtocol();
        String base = prefix + "_PORT_" + p.getPort() + "_" + pr.toUpperCase(Locale.ROOT);
        env.put(base, pr.toLowerCase(Locale.ROOT) + "://" + ip + ":" + p.getPort());
        env.put(base + "_PROTO", pr.toLowerCase(Locale.ROOT));
        env.put(base + "_PORT", Integer.toString(p.getPort()));
        env.put(base + "_ADDR", ip);
      }
    }
    return env;
  }
}
