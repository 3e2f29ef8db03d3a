package dev.skiff.cli.kubeconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.pki.ClusterPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

@SuppressWarnings("unchecked")
class KubeconfigTest {
  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Path file) throws Exception {
    return (Map<String, Object>)
        new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
  }

  private Kubeconfig kubeconfig(String server) throws Exception {
    var pki = ClusterPki.loadOrCreate(tmp.resolve("data"));
    return new Kubeconfig(
        "skiff", server, pki, pki.client("admin", "system:admin", List.of("system:masters")));
  }

  @Test
  void mergeKeepsOtherClustersAndReplacesOurOwn() throws Exception {
    Path user = tmp.resolve("config");
    Files.writeString(
        user,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod
          cluster: {server: https://prod.example:6443}
        - name: skiff
          cluster: {server: https://old:1}
        contexts:
        - name: prod
          context: {cluster: prod, user: prod}
        users:
        - name: prod
          user: {token: abc}
        current-context: prod
        """);
    kubeconfig("https://127.0.0.1:6443").merge(user);

    var doc = load(user);
    var clusters = (List<Map<String, Object>>) doc.get("clusters");
    assertEquals(List.of("prod", "skiff"), clusters.stream().map(c -> c.get("name")).toList());
    var skiff = (Map<String, Object>) clusters.get(1).get("cluster");
    assertEquals("https://127.0.0.1:6443", skiff.get("server"));
    assertTrue(((String) skiff.get("certificate-authority-data")).length() > 100);
    assertEquals("skiff", doc.get("current-context"));
    assertEquals(2, ((List<?>) doc.get("contexts")).size());
    assertEquals(2, ((List<?>) doc.get("users")).size());
  }

  @Test
  void writesAStandaloneConfigWhenNoneExists() throws Exception {
    Path file = tmp.resolve("kube/new-config");
    kubeconfig("https://127.0.0.1:7443").write(file);
    var doc = load(file);
    assertEquals("skiff", doc.get("current-context"));
    assertEquals(1, ((List<?>) doc.get("users")).size());
  }
}
