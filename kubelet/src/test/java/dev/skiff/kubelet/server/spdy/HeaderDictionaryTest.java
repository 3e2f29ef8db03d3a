package dev.skiff.kubelet.server.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HeaderDictionaryTest {
  @Test
  void isByteForByteTheDictionaryKubernetesClientsCompressWith() throws Exception {
    byte[] dictionary = HeaderDictionary.bytes();
    assertEquals(1423, dictionary.length);
    // The digest of moby/spdystream's headerDictionary: any drift breaks every header block.
    assertEquals(
        "51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dictionary)));
  }
}
