package dev.skiff.network.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniConfigWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void conflistChainsBridgeWithHairpinHostLocalOverThePodCidrAndPortmap() throws Exception {
    Path written = CniConfigWriter.write(dir, "10.42.3.0/24", 1450);
    assertEquals(dir.resolve("10-skiff.conflist"), written);
    JsonNode conf = JSON.readTree(Files.readString(written));
    assertEquals("1.0.0", conf.get("cniVersion").asText());
    assertEquals("skiff", conf.get("name").asText());
    JsonNode bridge = conf.get("plugins").get(0);
    assertEquals("bridge", bridge.get("type").asText());
    assertEquals("skiff0", bridge.get("bridge").asText());
    assertTrue(bridge.get("hairpinMode").asBoolean());
    assertTrue(bridge.get("isGateway").asBoolean());
    assertFalse(bridge.get("ipMasq").asBoolean());
    assertEquals(1450, bridge.get("mtu").asInt());
    JsonNode ipam = bridge.get("ipam");
    assertEquals("host-local", ipam.get("type").asText());
    assertEquals("10.42.3.0/24", ipam.get("ranges").get(0).get(0).get("subnet").asText());
    assertEquals("0.0.0.0/0", ipam.get("routes").get(0).get("dst").asText());
    JsonNode portmap = conf.get("plugins").get(1);
    assertEquals("portmap", portmap.get("type").asText());
    assertTrue(portmap.get("capabilities").get("portMappings").asBoolean());

    JsonNode lo = JSON.readTree(Files.readString(dir.resolve("99-loopback.conf")));
    assertEquals("loopback", lo.get("type").asText());
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void rewritingForANewPodCidrReplacesTheFile() throws Exception {
    CniConfigWriter.write(dir, "10.42.3.0/24", 1500);
    CniConfigWriter.write(dir, "10.42.4.0/24", 1500);
    assertTrue(Files.readString(dir.resolve("10-skiff.conflist")).contains("10.42.4.0/24"));
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsWritten() throws Exception {
    assertThrows(
        IllegalArgumentException.class, () -> CniConfigWriter.write(dir, "10.42.3.0", 1500));
    assertThrows(
        IllegalArgumentException.class, () -> CniConfigWriter.write(dir, "10.42.3.0/24", 100));
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void hostMtuIsReadFromSysfs() throws Exception {
    Files.createDirectories(dir.resolve("eth0"));
    Files.writeString(dir.resolve("eth0/mtu"), "9001\n");
    assertEquals(9001, HostMtu.of(dir, "eth0"));
  }
}
