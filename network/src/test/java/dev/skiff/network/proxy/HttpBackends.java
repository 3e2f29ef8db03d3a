package dev.skiff.network.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.network.testing.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two web servers for proxy tests, in namespaces of the test's own: a "node" that routes the
 * Service range (10.43.0.0/16) to a "pods" namespace, where 10.42.9.2:8080 answers backend-2 and
 * 10.42.9.3:8080 answers backend-3.
 */
final class HttpBackends {
  private HttpBackends() {}

  /** Starts both servers, serving files under {@code dir}, and returns the node namespace. */
  static String start(TestNetns net, Path dir) throws IOException {
    String node = net.add("node");
    String pods = net.add("pods");
    String[] links = net.veth(node, "10.42.9.1/24", pods, "10.42.9.2/24");
    net.exec(pods, "ip", "addr", "add", "10.42.9.3/24", "dev", links[1]);
    net.exec(node, "ip", "route", "add", "10.43.0.0/16", "dev", links[0]);
    for (String backend : List.of("2", "3")) {
      Path root = Files.createDirectories(dir.resolve("www" + backend));
      Files.writeString(root.resolve("index.html"), "backend-" + backend + "\n");
      net.start(
          pods,
          "busybox",
          "httpd",
          "-f",
          "-p",
          "10.42.9." + backend + ":8080",
          "-h",
          root.toString());
    }
    return node;
  }

  /** The body of {@code GET /} on port 80 of {@code ip}, asked from {@code ns}. */
  static String fetch(TestNetns net, String ns, String ip) throws IOException {
    var o = get(net, ns, ip);
    assertEquals(0, o.exit(), o.output());
    String out = o.output().replace("\r", "");
    return out.substring(out.indexOf("\n\n") + 2).strip();
  }

  /** {@code GET /} on port 80 (busybox nc: the static wget crashes on some hosts). */
  static TestNetns.Outcome get(TestNetns net, String ns, String ip) throws IOException {
    return net.tryExec(
        ns, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + ip + " 80");
  }
}
