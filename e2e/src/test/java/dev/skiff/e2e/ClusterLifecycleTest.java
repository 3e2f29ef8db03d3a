package dev.skiff.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees starting, restarting and misusing a server. */
class ClusterLifecycleTest {
  @TempDir Path tmp;

  @Test
  void restartKeepsObjectsAndASecondServerOnTheSameDataDirIsRefused() throws Exception {
    Path data = tmp.resolve("data");
    var kubectl = new Kubectl(data.resolve("kubeconfig.yaml"));
    try (var first = SkiffProcess.server(tmp.resolve("first.log"), data, SkiffProcess.freePort())) {
      first.awaitOutput(SkiffProcess.SERVER_READY, Duration.ofSeconds(60));
      var version = kubectl.run("version");
      assertTrue(version.output().contains("Server Version: v1.32"), version.output());
      assertEquals(0, kubectl.run("create", "configmap", "keep", "--from-literal=a=b").exitCode());

      var second =
          SkiffProcess.run(
              Duration.ofSeconds(60), SkiffProcess.serverArgs(data, SkiffProcess.freePort()));
      assertEquals(1, second.exitCode(), second.output());
      assertTrue(second.output().contains("already running"), second.output());
      assertFalse(second.output().contains("Exception"), second.output());
      first.stop();
    }
    try (var again = SkiffProcess.server(tmp.resolve("again.log"), data, SkiffProcess.freePort())) {
      again.awaitOutput(SkiffProcess.SERVER_READY, Duration.ofSeconds(60));
      var cm = kubectl.run("get", "configmap", "keep", "-o", "jsonpath={.data.a}");
      assertEquals("b", cm.output(), cm.output());
    }
  }

  @Test
  void snapshotSavedOnlineRestoresDeletedObjects() throws Exception {
    Path data = tmp.resolve("data");
    Path snapshot = tmp.resolve("backup.db");
    var kubectl = new Kubectl(data.resolve("kubeconfig.yaml"));
    try (var server = SkiffProcess.server(tmp.resolve("a.log"), data, SkiffProcess.freePort())) {
      server.awaitOutput(SkiffProcess.SERVER_READY, Duration.ofSeconds(60));
      assertEquals(
          0, kubectl.run("create", "configmap", "precious", "--from-literal=k=v").exitCode());
      var save = snapshot("save", snapshot, data);
      assertEquals(0, save.exitCode(), save.output());
      assertEquals(0, kubectl.run("delete", "configmap", "precious").exitCode());

      var refused = snapshot("restore", snapshot, data);
      assertEquals(1, refused.exitCode(), "restore under a running server: " + refused.output());
      server.stop();
    }
    var restore = snapshot("restore", snapshot, data);
    assertEquals(0, restore.exitCode(), restore.output());
    try (var server = SkiffProcess.server(tmp.resolve("b.log"), data, SkiffProcess.freePort())) {
      server.awaitOutput(SkiffProcess.SERVER_READY, Duration.ofSeconds(60));
      var cm = kubectl.run("get", "configmap", "precious", "-o", "jsonpath={.data.k}");
      assertEquals("v", cm.output(), cm.output());
    }
  }

  /** {@code skiff snapshot save|restore FILE} on a data dir. */
  private static SkiffProcess.Result snapshot(String verb, Path file, Path data) throws Exception {
    return SkiffProcess.run(
        Duration.ofSeconds(60), "snapshot", verb, file.toString(), "--data-dir", data.toString());
  }

  @Test
  void aBusyPortIsOneSentenceWithoutAStackTrace() throws Exception {
    try (var busy = new ServerSocket(0)) {
      var r =
          SkiffProcess.run(
              Duration.ofSeconds(60),
              SkiffProcess.serverArgs(tmp.resolve("data"), busy.getLocalPort()));
      assertEquals(1, r.exitCode(), r.output());
      assertTrue(r.output().contains("already in use"), r.output());
      assertFalse(r.output().contains("\tat "), r.output());
    }
  }

  @Test
  void everySubcommandExplainsItself() throws Exception {
    for (String sub : new String[] {"up", "server", "snapshot", "images", "reset", "version"}) {
      var r = SkiffProcess.run(Duration.ofSeconds(60), sub, "--help");
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("Usage: skiff " + sub), r.output());
    }
    var top = SkiffProcess.run(Duration.ofSeconds(60), "--help");
    assertTrue(top.output().contains("Commands:"), top.output());
  }

  @Test
  void imagesImportListAndRemove() throws Exception {
    Path archive = BusyboxImage.archive();
    String dataDir = tmp.resolve("data").toString();

    var imported =
        SkiffProcess.run(
            Duration.ofSeconds(120), "images", "import", archive.toString(), "--data-dir", dataDir);
    assertEquals(0, imported.exitCode(), imported.output());
    assertTrue(imported.output().contains("docker.io/library/busybox:1.35"), imported.output());
    var ls = SkiffProcess.run(Duration.ofSeconds(60), "images", "ls", "--data-dir", dataDir);
    assertTrue(ls.output().matches("(?s).*docker.io/library/busybox\\s+1\\.35.*"), ls.output());
    var rm =
        SkiffProcess.run(
            Duration.ofSeconds(60), "images", "rm", "busybox:1.35", "--data-dir", dataDir);
    assertEquals(0, rm.exitCode(), rm.output());
    var missing =
        SkiffProcess.run(
            Duration.ofSeconds(60), "images", "rm", "busybox:1.35", "--data-dir", dataDir);
    assertEquals(1, missing.exitCode(), missing.output());
    assertTrue(missing.output().contains("no such image: busybox:1.35"), missing.output());
  }

  @Test
  void anUnknownFlagIsNamed() throws Exception {
    var r = SkiffProcess.run(Duration.ofSeconds(60), "server", "--no-such-flag");
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(r.output().contains("--no-such-flag"), r.output());
    assertFalse(r.output().contains("\tat "), r.output());
  }
}
