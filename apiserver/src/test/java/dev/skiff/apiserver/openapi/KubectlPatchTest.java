package dev.skiff.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The patches the real kubectl computes (from our OpenAPI v3 patch strategies, as kubectl 1.32
 * does) applied by our patch code: what a user sees after apply, set, label and patch.
 */
class KubectlPatchTest {
  private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/default/deployments/web";
  private KubectlHarness cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new KubectlHarness();
    cluster.kubectl(
        "apply",
        "-f",
        manifest(
                web(
                    """
                    replicas: 2
                    strategy:
                      type: RollingUpdate
                      rollingUpdate: {maxSurge: 1}
                    """,
                    """
                    containers:
                    - name: web
                      image: nginx:1.14
                      env:
                      - {name: A, value: "1"}
                      - {name: B, value: "2"}
                      ports:
                      - containerPort: 80
                    - name: sidecar
                      image: busybox
                    """))
            .toString());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** The Deployment web (pods labelled app=web) with these spec fields and this pod spec. */
  private static String web(String specFields, String podSpec) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
        %s  template:
            metadata:
              labels: {app: web}
            spec:
        %s"""
        .formatted(specFields.indent(2), podSpec.indent(6));
  }

  private Path manifest(String yaml) throws Exception {
    return cluster.write("deployment.yaml", yaml);
  }

  private JsonNode stored() {
    return cluster.resources.objects.get(DEPLOYMENT);
  }

  private JsonNode container(int i) {
    return stored().at("/spec/template/spec/containers/" + i);
  }

  @Test
  void applyUpdatePrunesRemovedFieldsAndMergesContainers() throws Exception {
    String out =
        cluster.kubectl(
            "apply",
            "-f",
            manifest(
                    web(
                        """
                        strategy:
                          type: Recreate
                        """,
                        """
                        containers:
                        - name: web
                          image: nginx:1.16
                          env:
                          - {name: B, value: "2"}
                          ports:
                          - containerPort: 80
                        - name: log
                          image: fluentd
                        - name: sidecar
                          image: busybox
                        """))
                .toString());

    assertTrue(out.contains("deployment.apps/web configured"), out);
    FakeResources.Sent patch = cluster.resources.requests.getLast();
    assertEquals("application/strategic-merge-patch+json", patch.contentType());
    assertTrue(patch.body().contains("\"$setElementOrder/containers\""), patch.body());
    assertTrue(patch.body().contains("\"$retainKeys\""), patch.body());
    assertTrue(patch.body().contains("\"replicas\":null"), patch.body());
    assertFalse(stored().path("spec").has("replicas"), stored().toString());
    assertEquals("{\"type\":\"Recreate\"}", stored().at("/spec/strategy").toString());
    assertEquals("nginx:1.16", container(0).path("image").asText());
    assertEquals("[{\"name\":\"B\",\"value\":\"2\"}]", container(0).path("env").toString());
    assertEquals("log", container(1).path("name").asText());
    assertEquals("sidecar", container(2).path("name").asText());
    assertFalse(stored().toString().contains("$setElementOrder"), stored().toString());
    assertFalse(stored().toString().contains("$retainKeys"), stored().toString());
  }

  @Test
  void applySwitchingAVolumeSourceKeepsOnlyTheNewSource() throws Exception {
    String volumes =
        web(
            "replicas: 2\n",
            """
            containers:
            - name: web
              image: nginx:1.14
            volumes:
            - name: data
              %s
            """);
    cluster.kubectl("apply", "-f", manifest(volumes.formatted("emptyDir: {}")).toString());
    cluster.kubectl(
        "apply", "-f", manifest(volumes.formatted("hostPath: {path: /srv}")).toString());

    assertEquals(
        "[{\"name\":\"data\",\"hostPath\":{\"path\":\"/srv\"}}]",
        stored().at("/spec/template/spec/volumes").toString());
  }

  @Test
  void annotateAndRemoveAnnotation() throws Exception {
    cluster.kubectl("annotate", "deployment", "web", "note=hello");
    cluster.kubectl("annotate", "deployment", "web", "note-");

    assertFalse(stored().at("/metadata/annotations").has("note"), stored().toString());
    assertTrue(
        stored()
            .at("/metadata/annotations")
            .has("kubectl.kubernetes.io/last-applied-configuration"));
  }

  @Test
  void setImageChangesOneContainer() throws Exception {
    cluster.kubectl("set", "image", "deployment/web", "web=nginx:2");

    assertEquals("nginx:2", container(0).path("image").asText());
    assertEquals(80, container(0).at("/ports/0/containerPort").asInt());
    assertEquals("busybox", container(1).path("image").asText());
  }

  @Test
  void setEnvAddsAndRemovesVariables() throws Exception {
    cluster.kubectl("set", "env", "deployment/web", "-c", "web", "C=3");
    cluster.kubectl("set", "env", "deployment/web", "-c", "web", "A-");

    assertEquals(
        "[{\"name\":\"B\",\"value\":\"2\"},{\"name\":\"C\",\"value\":\"3\"}]",
        container(0).path("env").toString());
  }

  @Test
  void labelAndUnlabel() throws Exception {
    cluster.kubectl("label", "deployment", "web", "tier=fe", "team=x");
    cluster.kubectl("label", "deployment", "web", "team-");

    assertEquals("{\"tier\":\"fe\"}", stored().at("/metadata/labels").toString());
  }

  @Test
  void patchOfEachType() throws Exception {
    cluster.kubectl(
        "patch", "deployment", "web", "--type=merge", "-p", "{\"spec\":{\"replicas\":5}}");
    cluster.kubectl(
        "patch",
        "deployment",
        "web",
        "--type=json",
        "-p",
        "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":5},"
            + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"x\":\"y\"}}]");
    cluster.kubectl(
        "patch",
        "deployment",
        "web",
        "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"$patch\":\"delete\"}]}}}}");

    assertEquals(5, stored().at("/spec/replicas").asInt());
    assertEquals("y", stored().at("/metadata/labels/x").asText());
    assertEquals(1, stored().at("/spec/template/spec/containers").size());
  }

  @Test
  void failingJsonPatchTestIsReportedToTheUser() throws Exception {
    KubectlHarness.Result r =
        cluster.tryKubectl(
            "patch",
            "deployment",
            "web",
            "--type=json",
            "-p",
            "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":9}]");

    assertEquals(1, r.exit());
    assertTrue(r.output().contains("testing value /spec/replicas failed"), r.output());
    assertEquals(2, stored().at("/spec/replicas").asInt());
  }
}
