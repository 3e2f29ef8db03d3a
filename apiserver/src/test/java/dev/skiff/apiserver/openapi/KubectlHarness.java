package dev.skiff.apiserver.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.testing.TestKubectl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A loopback Jetty server with the OpenAPI handler, enough discovery for kubectl, and fake resource
 * endpoints; plus a kubeconfig and cache directory of its own so the real kubectl can talk to it.
 */
final class KubectlHarness {
  final BuiltinRegistry registry = new BuiltinRegistry();
  final FakeResources resources = new FakeResources(registry);
  final String base;
  final Path home;
  private final Server server = new Server();

  KubectlHarness() throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Sequence(
            new OpenApiHandler(registry), new LegacyDiscovery(registry), resources));
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
    home = Files.createTempDirectory("skiff-kubectl-test");
    TestKubectl.writeKubeconfig(home.resolve("kubeconfig"), base, "default");
  }

  /** Runs kubectl against the server; fails the test unless it exits 0. */
  String kubectl(String... args) throws IOException, InterruptedException {
    Result r = tryKubectl(args);
    assertEquals(0, r.exit(), r.output());
    return r.output();
  }

  record Result(int exit, String output) {}

  Result tryKubectl(String... args) throws IOException, InterruptedException {
    List<String> command =
        Stream.concat(
                Stream.of(
                    "kubectl",
                    "--kubeconfig",
                    home.resolve("kubeconfig").toString(),
                    "--cache-dir",
                    home.resolve("cache").toString()),
                Stream.of(args))
            .toList();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  Path write(String name, String content) throws IOException {
    return Files.writeString(home.resolve(name), content);
  }

  void close() throws Exception {
    server.stop();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
