package dev.skiff.kubelet.volume;

import dev.skiff.kubelet.volume.AtomicWriter.FileContent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of a projected volume: configMap, secret and downwardAPI sources, and
 * serviceAccountToken through the TokenRequest API, a token being renewed once 80% of its lifetime
 * has passed, as upstream's token manager does.
 */
final class Projection {
  private record Token(String value, Instant issued, Instant expires) {
    boolean fresh(Instant now) {
      Duration ttl = Duration.between(issued, expires);
      return now.isBefore(issued.plus(ttl.multipliedBy(8).dividedBy(10)));
    }
  }

  private final KubernetesClient client;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  Projection(KubernetesClient client) {
    this.client = client;
  }

  Map<String, FileContent> files(
      Pod pod, ProjectedVolumeSource src, VolumeManager volumes, String podIp, String hostIp) {
    String ns = pod.getMetadata().getNamespace();
    int mode = src.getDefaultMode() == null ? Payloads.DEFAULT_MODE : src.getDefaultMode();
    Map<String, FileContent> out = new LinkedHashMap<>();
    for (VolumeProjection p : src.getSources()) {
      if (p.getConfigMap() != null) {
        var s = p.getConfigMap();
        out.putAll(
            volumes.configMapFiles(
                ns, s.getName(), s.getItems(), mode, Boolean.TRUE.equals(s.getOptional())));
      } else if (p.getSecret() != null) {
        var s = p.getSecret();
        out.putAll(
            volumes.secretFiles(
                ns, s.getName(), s.getItems(), mode, Boolean.TRUE.equals(s.getOptional())));
      } else if (p.getDownwardAPI() != null) {
        out.putAll(Payloads.downwardApi(pod, p.getDownwardAPI().getItems(), mode, podIp, hostIp));
      } else if (p.getServiceAccountToken() != null) {
        var t = p.getServiceAccountToken();
        long seconds = t.getExpirationSeconds() == null ? 3607 : t.getExpirationSeconds();
        String token = token(pod, t.getAudience(), seconds);
        out.put(t.getPath(), new FileContent(token.getBytes(StandardCharsets.UTF_8), mode));
      }
    }
    return out;
  }

  private String token(Pod pod, String audience, long seconds) {
    String sa =
        pod.getSpec().getServiceAccountName() == null
            ? "default"
            : pod.getSpec().getServiceAccountName();
    String key = pod.getMetadata().getUid() + "|" + audience + "|" + seconds;
    Instant now = Instant.now();
    Token cached = tokens.get(key);
    if (cached != null && cached.fresh(now)) {
      return cached.value();
    }
    var spec =
        new TokenRequestBuilder()
            .withNewSpec()
            .withExpirationSeconds(seconds)
            .withNewBoundObjectRef()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid())
            .endBoundObjectRef()
            .endSpec();
    if (audience != null && !audience.isEmpty()) {
      spec.editSpec().withAudiences(audience).endSpec();
    }
    TokenRequest resp;
    try {
      resp =
          client
              .serviceAccounts()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(sa)
              .tokenRequest(spec.build());
    } catch (KubernetesClientException e) {
      throw new VolumeError(
          "failed to fetch token: "
              + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()),
          e);
    }
    String value = resp.getStatus().getToken();
    Instant expires =
        resp.getStatus().getExpirationTimestamp() == null
            ? now.plusSeconds(seconds)
            : Instant.parse(resp.getStatus().getExpirationTimestamp());
    tokens.put(key, new Token(value, now, expires));
    return value;
  }

  void forget(String uid) {
    tokens.keySet().removeIf(k -> k.startsWith(uid + "|"));
  }
}
