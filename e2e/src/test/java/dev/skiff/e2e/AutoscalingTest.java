package dev.skiff.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.metrics.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource metrics and autoscaling on {@code skiff up} with real containers: {@code kubectl top}
 * shows live usage, a Deployment whose pods burn cpu scales out under its HorizontalPodAutoscaler
 * and back in once the load stops, and each component's {@code /metrics} is valid Prometheus text.
 * The autoscaler and the metrics scrape run every 5 s and the scale-down window is 10 s, so the
 * test takes minutes, not the quarter hour upstream's defaults would.
 */
class AutoscalingTest {
  // Burns a core until /tmp/idle exists, then idles: the load can be stopped per pod.
  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: burn}
      spec:
        replicas: 1
        selector: {matchLabels: {app: burn}}
        template:
          metadata: {labels: {app: burn}}
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: burner
              image: busybox:1.35
              command: ["sh", "-c", "while :; do [ -f /tmp/idle ] && sleep 1; done"]
              resources: {requests: {cpu: 100m}}
      """;

  @TempDir Path tmp;

  @Test
  void deploymentScalesOutUnderLoadAndBackInWhenItStops() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "runs containers: needs root");
    Path archive = BusyboxImage.archive();
    Path data = tmp.resolve("data");
    try (var up =
        SkiffProcess.up(
            tmp.resolve("up.log"),
            data,
            SkiffProcess.freePort(),
            "--horizontal-pod-autoscaler-sync-period",
            "5s",
            "--metric-resolution",
            "5s")) {
      try {
        up.awaitOutput(SkiffProcess.UP_READY, Duration.ofSeconds(120));
        SkiffProcess.importImage(archive, data);
        Kubectl k = new Kubectl(data.resolve("kubeconfig.yaml"));
        ok(k.runWithInput(DEPLOYMENT, "apply", "-f", "-"));
        ok(k.run("rollout", "status", "deployment/burn", "--timeout=120s"));

        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(3))
            .until(() -> k.run("top", "nodes").output().matches("(?s).*\\d+m\\s+\\d+%.*"));
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(3))
            .until(
                () ->
                    k.run("top", "pods", "-A", "--containers")
                        .output()
                        .matches("(?s).*default\\s+burn-\\S+\\s+burner\\s+\\d+m.*"));

        ok(k.run("autoscale", "deployment", "burn", "--cpu-percent=50", "--min=1", "--max=2"));
        ok(
            k.run(
                "patch",
                "hpa",
                "burn",
                "--type=merge",
                "-p",
                "{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":10}}}}"));
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(5))
            .until(() -> replicas(k).equals("2"));
        // kubectl's TARGETS column, as upstream prints it for a cpu utilization target.
        await()
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () ->
                    k.run("get", "hpa", "burn")
                        .output()
                        .matches(
                            "(?s).*burn\\s+Deployment/burn\\s+cpu: \\d+%/50%\\s+1\\s+2\\s+\\d.*"));
        assertTrue(
            ok(k.run("describe", "hpa", "burn"))
                .contains(
                    "New size: 2; reason: cpu resource utilization (percentage of request)"
                        + " above target"));
        ok(k.run("rollout", "status", "deployment/burn", "--timeout=120s"));

        for (String pod :
            ok(k.run("get", "pods", "-l", "app=burn", "-o", "name")).strip().split("\\s+")) {
          ok(k.run("exec", pod, "--", "touch", "/tmp/idle"));
        }
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(5))
            .until(() -> replicas(k).equals("1"));
        assertTrue(
            ok(k.run("describe", "hpa", "burn"))
                .contains("New size: 1; reason: All metrics below target"));

        checkMetrics(k);
      } finally {
        up.stop();
        SkiffProcess.reset(data);
      }
    }
  }

  /** The API server's and the kubelet's {@code /metrics} parse and carry upstream's names. */
  private static void checkMetrics(Kubectl k) throws Exception {
    PrometheusText.Exposition api = PrometheusText.parse(ok(k.run("get", "--raw", "/metrics")));
    for (String name :
        List.of(
            "apiserver_request_total",
            "apiserver_request_duration_seconds",
            "apiserver_storage_objects",
            "apiserver_registered_watchers",
            "apiserver_longrunning_requests",
            "etcd_request_duration_seconds",
            "workqueue_adds_total",
            "workqueue_depth",
            "workqueue_queue_duration_seconds",
            "workqueue_work_duration_seconds",
            "scheduler_schedule_attempts_total",
            "scheduler_scheduling_attempt_duration_seconds")) {
      assertTrue(api.types().containsKey(name), name);
    }
    assertTrue(
        api.named("workqueue_adds_total").stream()
            .anyMatch(s -> s.label("name").equals("horizontal-pod-autoscaler") && s.value() > 0));
    String node = ok(k.run("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).strip();
    String proxy = "/api/v1/nodes/" + node + "/proxy";
    PrometheusText.Exposition kubelet =
        PrometheusText.parse(ok(k.run("get", "--raw", proxy + "/metrics")));
    for (String name :
        List.of(
            "kubelet_running_pods",
            "kubelet_pod_start_duration_seconds",
            "kubelet_runtime_operations_duration_seconds")) {
      assertTrue(kubelet.types().containsKey(name), name);
    }
    PrometheusText.Exposition resource =
        PrometheusText.parse(ok(k.run("get", "--raw", proxy + "/metrics/resource")));
    assertTrue(
        resource.named("container_cpu_usage_seconds_total").stream()
            .anyMatch(s -> s.label("container").equals("burner") && s.value() > 0));
    PrometheusText.Exposition cadvisor =
        PrometheusText.parse(ok(k.run("get", "--raw", proxy + "/metrics/cadvisor")));
    assertTrue(cadvisor.types().containsKey("container_memory_working_set_bytes"));
  }

  private static String replicas(Kubectl k) throws Exception {
    return k.run("get", "deployment", "burn", "-o", "jsonpath={.spec.replicas}").output().strip();
  }

  private static String ok(Kubectl.Result r) {
    assertEquals(0, r.exitCode(), r.output());
    return r.output();
  }
}
