package dev.skiff.kubelet.pod;

import static dev.skiff.kubelet.testing.TestPods.app;
import static dev.skiff.kubelet.testing.TestPods.ready;
import static dev.skiff.kubelet.testing.TestPods.sleeper;
import static dev.skiff.kubelet.testing.TestPods.withApp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.testing.TestCluster;
import dev.skiff.kubelet.testing.TestPods;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.KeyValue;
import dev.skiff.runtime.Mount;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodConfigurationTest {
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = new TestCluster("node-a");
    cluster.startKubelet();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ContainerConfig runningConfig(String pod) {
    String id = app(cluster.pod(pod)).getContainerID();
    return cluster.runtime.configOf(id.substring("skiff://".length()));
  }

  @Test
  void readinessProbeDrivesReadyAndReportsUnhealthy() {
    cluster.runtime.execHandler = cmd -> 1;
    cluster.create(
        withApp(
            sleeper("probed", "node-a"),
            c ->
                c.withNewReadinessProbe()
                    .withNewExec()
                    .withCommand("check")
                    .endExec()
                    .withPeriodSeconds(1)
                    .endReadinessProbe()));
    Pod p = cluster.awaitPod("probed", x -> "Running".equals(x.getStatus().getPhase()));
    assertTrue(!ready(p));
    cluster.awaitEvent(
        "probed",
        "Unhealthy",
        m -> m.startsWith("Readiness probe failed: command 'check' exited with 1"));
    cluster.runtime.execHandler = cmd -> 0;
    p = cluster.awaitPod("probed", TestPods::ready);
    assertEquals(true, app(p).getReady());
  }

  @Test
  void failingLivenessProbeRestartsContainer() {
    cluster.create(
        withApp(
            sleeper("live", "node-a"),
            c ->
                c.withNewLivenessProbe()
                    .withNewExec()
                    .withCommand("false")
                    .endExec()
                    .withPeriodSeconds(1)
                    .withFailureThreshold(1)
                    .endLivenessProbe()));
    cluster.awaitPod("live", x -> app(x).getRestartCount() >= 1);
    cluster.awaitEvent(
        "live", "Killing", "Container app failed liveness probe, will be restarted"::equals);
  }

  @Test
  void environmentIsResolvedAndExpanded() {
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .withData(Map.of("mode", "fast", "level", "3"))
                .build())
        .create();
    cluster.create(
        sleeper("envy", "node-a")
            .editMetadata()
            .withLabels(Map.of("app", "envy"))
            .endMetadata()
            .editSpec()
            .withEnableServiceLinks(false)
            .editFirstContainer()
            .withCommand("echo", "$(GREETING)", "$$(GREETING)")
            .addNewEnvFrom()
            .withPrefix("CFG_")
            .withNewConfigMapRef()
            .withName("settings")
            .endConfigMapRef()
            .endEnvFrom()
            .addNewEnv()
            .withName("NAME")
            .withValue("world")
            .endEnv()
            .addNewEnv()
            .withName("GREETING")
            .withValue("hello $(NAME)")
            .endEnv()
            .addNewEnv()
            .withName("POD")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("NODE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("MODE")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("mode", "settings", false)
            .endValueFrom()
            .endEnv()
            .endContainer()
            .endSpec()
            .build());
    cluster.awaitPod("envy", x -> "Running".equals(x.getStatus().getPhase()));
    ContainerConfig c = runningConfig("envy");
    Map<String, String> env =
        c.envs().stream().collect(Collectors.toMap(KeyValue::key, KeyValue::value));
    assertEquals("hello world", env.get("GREETING"));
    assertEquals("envy", env.get("POD"));
    assertEquals("node-a", env.get("NODE"));
    assertEquals("fast", env.get("MODE"));
    assertEquals("3", env.get("CFG_level"));
    assertEquals(List.of("echo", "hello world", "$(GREETING)"), c.command());
  }

  @Test
  void volumesAreWrittenAndMounted() throws Exception {
    cluster
        .client()
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withData(Map.of("index.html", "<h1>hi</h1>", "other", "x"))
                .build())
        .create();
    cluster
        .client()
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .withStringData(Map.of("password", "s3cret"))
                .build())
        .create();
    cluster.create(
        sleeper("vols", "node-a")
            .editMetadata()
            .withLabels(Map.of("tier", "web"))
            .endMetadata()
            .editSpec()
            .addNewVolume()
            .withName("html")
            .withNewConfigMap()
            .withName("web")
            .addNewItem()
            .withKey("index.html")
            .withPath("site/index.html")
            .endItem()
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("creds")
            .withNewSecret()
            .withSecretName("creds")
            .withDefaultMode(0400)
            .endSecret()
            .endVolume()
            .addNewVolume()
            .withName("info")
            .withNewDownwardAPI()
            .addNewItem()
            .withPath("labels")
            .withNewFieldRef()
            .withFieldPath("metadata.labels")
            .endFieldRef()
            .endItem()
            .endDownwardAPI()
            .endVolume()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .editFirstContainer()
            .addNewVolumeMount()
            .withName("html")
            .withMountPath("/usr/share/html")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("creds")
            .withMountPath("/etc/creds")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("info")
            .withMountPath("/etc/info")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("scratch")
            .withMountPath("/tmp/scratch")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build());
    cluster.awaitPod("vols", x -> "Running".equals(x.getStatus().getPhase()));
    Map<String, Mount> mounts =
        runningConfig("vols").mounts().stream()
            .collect(Collectors.toMap(Mount::containerPath, m -> m));
    Path html = Path.of(mounts.get("/usr/share/html").hostPath());
    assertEquals("<h1>hi</h1>", Files.readString(html.resolve("site/index.html")));
    assertTrue(!Files.exists(html.resolve("other")), "only the listed items");
    assertTrue(mounts.get("/usr/share/html").readonly());
    Path creds = Path.of(mounts.get("/etc/creds").hostPath());
    assertEquals("s3cret", Files.readString(creds.resolve("password")));
    assertEquals(
        "r--------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(creds.resolve("password"))));
    assertEquals(
        "tier=\"web\"",
        Files.readString(Path.of(mounts.get("/etc/info").hostPath()).resolve("labels")));
    Path scratch = Path.of(mounts.get("/tmp/scratch").hostPath());
    assertTrue(Files.isDirectory(scratch));
    assertTrue(!mounts.get("/tmp/scratch").readonly());

    cluster.client().pods().inNamespace("default").withName("vols").withGracePeriod(0).delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !Files.exists(scratch) && !Files.exists(html));
  }
}
