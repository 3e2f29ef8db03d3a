package dev.skiff.controllers.podautoscaler;

import dev.skiff.api.quantity.Quantity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod usage from {@code metrics.k8s.io/v1beta1} PodMetrics, as upstream's resource metrics client.
 */
public final class ResourceMetricsClient implements MetricsSource {
  private static final ResourceDefinitionContext POD_METRICS =
      new ResourceDefinitionContext.Builder()
          .withGroup("metrics.k8s.io")
          .withVersion("v1beta1")
          .withPlural("pods")
          .withKind("PodMetrics")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;

  public ResourceMetricsClient(KubernetesClient client) {
    this.client = client;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, PodMetric> podMetrics(String namespace, String selector, String resource) {
    List<GenericKubernetesResource> items;
    try {
      items =
          client
              .genericKubernetesResources(POD_METRICS)
              .inNamespace(namespace)
              .list(new ListOptionsBuilder().withLabelSelector(selector).build())
              .getItems();
    } catch (KubernetesClientException e) {
      throw new MetricsUnavailable(
          "unable to get metrics for resource "
              + resource
              + ": unable to fetch metrics from resource metrics API: "
              + e.getMessage());
    }
    if (items.isEmpty()) {
      throw new MetricsUnavailable(
          "unable to get metrics for resource "
              + resource
              + ": no metrics returned from resource metrics API");
    }
    Map<String, PodMetric> out = new HashMap<>();
    for (GenericKubernetesResource item : items) {
      Map<String, Object> props = item.getAdditionalProperties();
      long total = 0;
      boolean complete = true;
      for (Object c : (List<Object>) props.getOrDefault("containers", List.of())) {
        Object usage = ((Map<String, Object>) ((Map<String, Object>) c).get("usage")).get(resource);
        if (usage == null) {
          complete = false;
          break;
        }
        total += Quantity.parse(usage.toString()).milliValue();
      }
      if (!complete) {
        continue;
      }
      out.put(
          item.getMetadata().getName(),
          new PodMetric(
              total,
              Instant.parse(props.get("timestamp").toString()),
              window(props.get("window"))));
    }
    return out;
  }

  /** A Go duration such as {@code 15.2s} or {@code 1m0.5s}. */
  static Duration window(Object text) {
    if (text == null) {
      return Duration.ZERO;
    }
    String s = text.toString();
    long nanos = 0;
    int i = 0;
    while (i < s.length()) {
      int j = i;
      while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
        j++;
      }
      int k = j;
      while (k < s.length() && !Character.isDigit(s.charAt(k))) {
        k++;
      }
      double v = Double.parseDouble(s.substring(i, j));
      String unit = s.substring(j, k);
      double scale =
          switch (unit) {
            case "h" -> 3.6e12;
            case "m" -> 6e10;
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "us", "µs" -> 1e3;
            default -> 1;
          };
      nanos += (long) (v * scale);
      i = k;
    }
    return Duration.ofNanos(nanos);
  }
}
