package dev.skiff.kubelet.pod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StaticPodsTest {
  @Test
  void manifestBecomesARunningMirrorPodAndGoesAwayWithIt() throws Exception {
    try (TestCluster cluster = new TestCluster("node-s")) {
      Path manifests = Files.createDirectories(cluster.dir.resolve("manifests"));
      Files.writeString(
          manifests.resolve("web.yaml"),
          """
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
            namespace: kube-system
          spec:
            containers:
            - name: web
              image: busybox:1.36
              command: ["sleep", "3600"]
          """);
      KubeletConfig c = cluster.config;
      cluster.startKubelet(
          new KubeletConfig(
              c.nodeName(),
              c.nodeIp(),
              null,
              c.rootDir(),
              c.podLogDir(),
              manifests,
              null,
              null,
              null,
              0,
              null,
              null));
      var pods = cluster.client().pods().inNamespace("kube-system");
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> "Running".equals(pods.withName("web-node-s").get().getStatus().getPhase()));
      Pod p = pods.withName("web-node-s").get();
      assertEquals("node-s", p.getSpec().getNodeName());
      assertEquals("file", p.getMetadata().getAnnotations().get(StaticPods.SOURCE_ANNOTATION));
      assertEquals("Node", p.getMetadata().getOwnerReferences().getFirst().getKind());

      Files.delete(manifests.resolve("web.yaml"));
      new StaticPods(cluster.client(), manifests, "node-s", () -> null).sync();
      await().atMost(Duration.ofSeconds(20)).until(() -> pods.withName("web-node-s").get() == null);
    }
  }
}
