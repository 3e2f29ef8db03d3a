package dev.skiff.network.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.network.proxy.IptablesCommand;
import dev.skiff.network.testing.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real iptables in namespaces this test makes: a "node" routing between a pod (10.42.5.2), a pod of
 * another node's range (10.42.6.2) and an "outside" host (192.168.90.2) that has no route to the
 * pod network. The web servers answer with the client address they saw.
 */
class EgressMasqueradeNetnsTest {
  @TempDir Path dir;

  @Test
  void podsReachOutsideBehindTheNodeAddressAndOtherPodsWithTheirOwn() throws Exception {
    assumeTrue(TestNetns.available(), "needs root, ip and iptables");
    try (TestNetns net = new TestNetns()) {
      String node = net.add("node");
      String pod = net.add("pod");
      String otherPod = net.add("other");
      String outside = net.add("outside");
      net.veth(node, "10.42.5.1/24", pod, "10.42.5.2/24");
      net.veth(node, "10.42.6.1/24", otherPod, "10.42.6.2/24");
      net.veth(node, "192.168.90.1/24", outside, "192.168.90.2/24");
      net.exec(pod, "ip", "route", "add", "default", "via", "10.42.5.1");
      net.exec(otherPod, "ip", "route", "add", "default", "via", "10.42.6.1");
      net.exec(node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
      Path root = Files.createDirectories(dir.resolve("www/cgi-bin"));
      Path script = root.resolve("addr");
      Files.writeString(
          script, "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REMOTE_ADDR\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
      String www = dir.resolve("www").toString();
      net.start(outside, "busybox", "httpd", "-f", "-p", "192.168.90.2:80", "-h", www);
      net.start(otherPod, "busybox", "httpd", "-f", "-p", "10.42.6.2:80", "-h", www);

      // Without the rule the outside host cannot answer a pod address.
      assertNotEquals(0, get(net, pod, "192.168.90.2").exit());

      IptablesCommand iptables = IptablesCommand.inNetns(node);
      EgressMasquerade egress = EgressMasquerade.install(iptables, "10.42.0.0/16");
      try {
        assertEquals("192.168.90.1", body(net, pod, "192.168.90.2"));
        assertEquals("10.42.5.2", body(net, pod, "10.42.6.2"));
        // Installing again (a restarted agent) rewrites the chain instead of doubling it.
        EgressMasquerade.install(iptables, "10.42.0.0/16");
        String nat = net.exec(node, "iptables-save", "-t", "nat");
        assertEquals(
            1, nat.lines().filter(l -> l.contains("-j " + EgressMasquerade.CHAIN)).count());
        assertEquals(
            2, nat.lines().filter(l -> l.startsWith("-A " + EgressMasquerade.CHAIN)).count());
      } finally {
        egress.close();
      }

      String nat = net.exec(node, "iptables-save", "-t", "nat");
      assertFalse(nat.contains(EgressMasquerade.CHAIN), nat);
      assertNotEquals(0, get(net, pod, "192.168.90.2").exit());
      // Removing what is already gone (reset after a clean shutdown) is not an error.
      EgressMasquerade.remove(iptables);
      assertTrue(
          net.exec(node, "iptables-save", "-t", "nat").lines().noneMatch(l -> l.contains("SKIFF")));
    }
  }

  private static String body(TestNetns net, String client, String ip) throws Exception {
    TestNetns.Outcome o = get(net, client, ip);
    assertEquals(0, o.exit(), o.output());
    String out = o.output().replace("\r", "");
    return out.substring(out.indexOf("\n\n") + 2).strip();
  }

  private static TestNetns.Outcome get(TestNetns net, String client, String ip) throws Exception {
    return net.tryExec(
        client,
        "sh",
        "-c",
        "printf 'GET /cgi-bin/addr HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + ip + " 80");
  }
}
