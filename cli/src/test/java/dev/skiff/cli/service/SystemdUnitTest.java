package dev.skiff.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.testing.SkiffRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code skiff install-service} prints a unit that runs this skiff with the flags given. */
class SystemdUnitTest {

  @Test
  void serverUnitRunsThisSkiffWithTheGivenFlags() {
    SkiffRun r =
        SkiffRun.of(
            "install-service",
            "server",
            "--datastore-endpoint",
            "etcd://10.0.0.1:2379",
            "--tls-san",
            "k8s.example",
            "-v");
    assertEquals(0, r.exit(), r.err());
    String unit = r.out();
    assertTrue(unit.startsWith("[Unit]\nDescription=Skiff server\n"), unit);
    for (String line :
        List.of(
            "Type=simple",
            "KillMode=process",
            "Delegate=yes",
            "LimitNOFILE=1048576",
            "Restart=always",
            "WantedBy=multi-user.target",
            "After=network-online.target")) {
      assertTrue(unit.lines().anyMatch(line::equals), line + " missing in\n" + unit);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String exec = unit.substring(unit.indexOf("ExecStart=") + "ExecStart=".length());
    List<String> words = List.of(exec.replace("\\\n", " ").trim().split("\\s+"));
    assertEquals(java, words.getFirst(), exec);
    assertTrue(Path.of(words.getFirst()).isAbsolute(), exec);
    // After the Java command line come the role and the flags, in order, -v included.
    assertEquals(
        List.of(
            "server",
            "--datastore-endpoint",
            "etcd://10.0.0.1:2379",
            "--tls-san",
            "k8s.example",
            "-v"),
        words.subList(words.indexOf("dev.skiff.cli.Skiff") + 1, words.size()));
  }

  @Test
  void agentUnitQuotesWordsSystemdWouldSplitOrExpand() {
    SkiffRun r =
        SkiffRun.of("install-service", "agent", "--node-label", "team=a b", "--token", "K10$x%y");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Description=Skiff agent\n"), r.out());
    assertTrue(r.out().contains(" agent \\\n"), r.out());
    assertTrue(r.out().contains("\"team=a b\""), r.out());
    assertTrue(r.out().contains("K10$$x%%y"), r.out());
  }

  @Test
  void unknownRoleIsRefusedAndPrintsNoUnit() {
    SkiffRun r = SkiffRun.of("install-service", "worker");
    assertEquals(1, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().contains("unknown service \"worker\": want server or agent"), r.err());
  }
}
