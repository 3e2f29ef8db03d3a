package dev.skiff.apiserver.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProtobufDecoderTest {
  private final ProtobufDecoder decoder = new ProtobufDecoder(ProtobufSchema.get());

  // What kubectl 1.32 sends for `kubectl create namespace t1`.
  private static final String NAMESPACE =
      "6b3873000a0f0a0276311209 4e616d657370616365121a0a120a02743112001a0022002a003200380042"
          + "0012001a020a001a002200";

  @Test
  void decodesKubectlNamespaceToItsJsonForm() throws IOException {
    var obj = decoder.decode(HexFormat.of().parseHex(NAMESPACE.replace(" ", "")));
    assertEquals(
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"t1\"}}",
        obj.toString());
  }

  @Test
  void rejectsTruncatedBodies() {
    byte[] full = HexFormat.of().parseHex(NAMESPACE.replace(" ", ""));
    byte[] cut = java.util.Arrays.copyOf(full, 30);
    assertThrows(IOException.class, () -> decoder.decode(cut));
    assertThrows(IOException.class, () -> decoder.decode(new byte[] {1, 2, 3}));
  }
}
