package dev.skiff.network.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.network.testing.TestNetns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written conflist's bridge plugin, run as a runtime would (CNI ADD/DEL) by the distribution's
 * real plugin binary, with a "node" and a "pod" namespace this test makes: the pod gets an address
 * from the podCIDR, the MTU, and a hairpin bridge port.
 */
class CniPluginsNetnsTest {
  private static final Path PLUGINS = Path.of("/usr/lib/cni");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void bridgePluginFromTheConflistWiresAPodIntoThePodCidr() throws Exception {
    assumeTrue(TestNetns.available() && Files.isExecutable(PLUGINS.resolve("bridge")));
    JsonNode conflist =
        JSON.readTree(
            Files.readString(CniConfigWriter.write(dir.resolve("net.d"), "10.42.3.0/24", 1400)));
    ObjectNode bridge = (ObjectNode) conflist.get("plugins").get(0).deepCopy();
    bridge.put("cniVersion", conflist.get("cniVersion").asText());
    bridge.put("name", conflist.get("name").asText());
    // IPAM state in the test's directory rather than the host's /var/lib/cni.
    ((ObjectNode) bridge.get("ipam")).put("dataDir", dir.resolve("ipam").toString());
    String config = JSON.writeValueAsString(bridge);

    try (TestNetns net = new TestNetns()) {
      String node = net.add("node");
      String pod = net.add("pod");
      JsonNode result = JSON.readTree(cni(node, pod, "ADD", config));
      String podIp = result.get("ips").get(0).get("address").asText();
      assertTrue(podIp.startsWith("10.42.3.") && podIp.endsWith("/24"), podIp);
      assertEquals("10.42.3.1", result.get("ips").get(0).get("gateway").asText());

      assertTrue(net.exec(pod, "ip", "-4", "addr", "show", "eth0").contains(podIp));
      assertTrue(net.exec(pod, "ip", "link", "show", "eth0").contains("mtu 1400"));
      assertTrue(net.exec(node, "ip", "-4", "addr", "show", "skiff0").contains("10.42.3.1/24"));
      String ports = net.exec(node, "ip", "-d", "link", "show", "master", "skiff0");
      assertTrue(ports.contains("hairpin on"), ports);

      cni(node, pod, "DEL", config);
      assertTrue(!net.exec(pod, "ip", "link").contains("eth0"));
    }
  }

  /** Runs the bridge plugin inside {@code node} for a pod namespace, per the CNI spec. */
  private static String cni(String node, String pod, String command, String config)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", node, "env"));
    cmd.addAll(
        List.of(
            "CNI_COMMAND=" + command,
            "CNI_CONTAINERID=skiff-test-" + pod,
            "CNI_NETNS=/var/run/netns/" + pod,
            "CNI_IFNAME=eth0",
            "CNI_PATH=" + PLUGINS,
            PLUGINS.resolve("bridge").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(config.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
