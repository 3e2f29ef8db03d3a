package dev.skiff.runtime.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PortMapping;
import dev.skiff.runtime.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNI calling convention, against scripted plugins (no root, no network). */
class CniPluginsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  Path plugin(String name, String script) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  static PodSandboxConfig pod(List<PortMapping> ports) {
    return new PodSandboxConfig(
        new PodSandboxMetadata("web", "uid-1", "ns1", 0),
        "web",
        null,
        null,
        ports,
        null,
        null,
        null);
  }

  @Test
  void passesEnvironmentAndConfigAndChainsResults() throws Exception {
    String record =
        "echo \"$CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_ARGS $CNI_PATH\" >> "
            + dir
            + "/calls; cat > "
            + dir
            + "/stdin-$(basename $0)-$CNI_IFNAME\n";
    plugin("loopback", record + "echo '{\"cniVersion\":\"1.0.0\"}'\n");
    plugin(
        "first",
        record
            + "echo '{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/ns\"},"
            + "{\"name\":\"br0\"}],\"ips\":[{\"address\":\"10.1.0.5/24\",\"interface\":0},"
            + "{\"address\":\"10.9.9.9/24\",\"interface\":1}]}'\n");
    plugin(
        "second",
        record
            + "cat "
            + dir
            + "/stdin-second-$CNI_IFNAME | sed 's/.*\"prevResult\":\\(.*\\)}$/\\1/'\n");
    JsonNode list =
        JSON.readTree(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"plugins\":[{\"type\":\"first\","
                + "\"x\":1},{\"type\":\"second\",\"capabilities\":{\"portMappings\":true}}]}");
    var net = new CniPodNetwork(new CniPlugins(List.of(dir)), list);
    var status =
        net.setUp("sb1", "/ns", pod(List.of(new PortMapping(Protocol.TCP, 80, 8080, null))), dir);
    assertEquals(List.of("10.1.0.5"), status.ips());

    List<String> calls = Files.readAllLines(dir.resolve("calls"));
    String args =
        "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=sb1;K8S_POD_UID=uid-1";
    // loopback is set up beside the eth0 chain, so its ADD may come at any point.
    String lo = "ADD sb1 /ns lo " + args + " " + dir;
    String eth0 = "ADD sb1 /ns eth0 " + args + " " + dir;
    assertEquals(
        java.util.stream.Stream.of(lo, eth0, eth0).sorted().toList(),
        calls.subList(0, 3).stream().sorted().toList());
    JsonNode second = JSON.readTree(dir.resolve("stdin-second-eth0").toFile());
    assertEquals("net1", second.path("name").asText());
    assertEquals("1.0.0", second.path("cniVersion").asText());
    assertEquals("10.1.0.5/24", second.at("/prevResult/ips/0/address").asText());
    assertEquals(8080, second.at("/runtimeConfig/portMappings/0/hostPort").asInt());
    assertEquals("tcp", second.at("/runtimeConfig/portMappings/0/protocol").asText());
    assertTrue(Files.exists(dir.resolve(CniPodNetwork.RESULT_FILE)));

    net.tearDown("sb1", "/ns", pod(List.of()), dir);
    calls = Files.readAllLines(dir.resolve("calls"));
    assertEquals(
        List.of("DEL", "DEL", "DEL"),
        calls.subList(3, 6).stream().map(c -> c.split(" ")[0]).toList());
    assertTrue(calls.get(3).contains(" eth0 ") && calls.get(5).contains(" lo "));
    JsonNode delFirst = JSON.readTree(dir.resolve("stdin-first-eth0").toFile());
    assertEquals(
        "10.1.0.5/24",
        delFirst.at("/prevResult/ips/0/address").asText(),
        "DEL gets the cached result");
  }

  @Test
  void nodeListSkipsPortMappingWithoutHostPortsAndDelRunsWhatAddRan() throws Exception {
    String record = "echo \"$CNI_COMMAND $(basename $0) $CNI_IFNAME\" >> " + dir + "/calls\n";
    String result = "echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.0.7/24\"}]}'\n";
    plugin("loopback", record + "echo '{\"cniVersion\":\"1.0.0\"}'\n");
    plugin("bridge", record + result);
    plugin("portmap", record + result);
    JsonNode list =
        JSON.readTree(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"plugins\":[{\"type\":\"bridge\"},"
                + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
    var plugins = new CniPlugins(List.of(dir));
    Path plain = Files.createDirectories(dir.resolve("plain"));
    Path ported = Files.createDirectories(dir.resolve("ported"));
    var node = CniPodNetwork.portMappingOnlyForHostPorts(plugins, list);

    node.setUp("sb1", "/ns", pod(List.of()), plain);
    node.setUp("sb2", "/ns", pod(List.of(new PortMapping(Protocol.TCP, 80, 8080, null))), ported);
    assertEquals(
        List.of("ADD bridge eth0", "ADD bridge eth0", "ADD portmap eth0"),
        Files.readAllLines(dir.resolve("calls")).stream().filter(c -> c.endsWith("eth0")).toList());

    // A list that changed since (or a differently built network) still tears down what ran.
    Files.delete(dir.resolve("calls"));
    var asWritten = new CniPodNetwork(plugins, list);
    asWritten.tearDown("sb1", "/ns", pod(List.of()), plain);
    assertEquals(
        List.of("DEL bridge eth0", "DEL loopback lo"), Files.readAllLines(dir.resolve("calls")));
    Files.delete(dir.resolve("calls"));
    asWritten.tearDown("sb2", "/ns", pod(List.of()), ported);
    assertEquals(
        List.of("DEL portmap eth0", "DEL bridge eth0", "DEL loopback lo"),
        Files.readAllLines(dir.resolve("calls")));
    assertTrue(!Files.exists(plain.resolve(CniPodNetwork.NETWORK_FILE)));

    // A list run as written calls every plugin, hostPorts or not.
    Files.delete(dir.resolve("calls"));
    asWritten.setUp("sb3", "/ns", pod(List.of()), plain);
    assertEquals(
        List.of("ADD bridge eth0", "ADD portmap eth0"),
        Files.readAllLines(dir.resolve("calls")).stream().filter(c -> c.endsWith("eth0")).toList());
  }

  @Test
  void errorResultsBecomeClearExceptions() throws Exception {
    plugin(
        "broken",
        "echo '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"no addresses left\",\"details\":\"range full\"}'; exit 1\n");
    var plugins = new CniPlugins(List.of(dir));
    JsonNode conf = JSON.readTree("{\"type\":\"broken\",\"name\":\"n\",\"cniVersion\":\"1.0.0\"}");
    var e =
        assertThrows(CniException.class, () -> plugins.invoke("ADD", conf, "c", "/ns", "eth0", ""));
    assertEquals(11, e.code());
    assertEquals("CNI plugin broken ADD failed: no addresses left (range full)", e.getMessage());
    JsonNode missing = JSON.readTree("{\"type\":\"nosuch\"}");
    assertTrue(
        assertThrows(
                CniException.class, () -> plugins.invoke("ADD", missing, "c", "/ns", "eth0", ""))
            .getMessage()
            .startsWith("failed to find plugin \"nosuch\""));
  }
}
