package dev.skiff.kubelet.server.spdy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] encode(Frame f) {
    return new FrameWriter(new HeaderCodec()).encode(f);
  }

  private static Frame decode(byte[] bytes) throws Exception {
    return new FrameReader(new ByteArrayInputStream(bytes), new HeaderCodec()).read().orElseThrow();
  }

  @Test
  void controlAndDataFramesHaveTheSpdy3Layout() {
    assertEquals("800300060000000400000007", HEX.formatHex(encode(new Frame.Ping(7))));
    assertEquals(
        "800300030000000800000003" + "00000005",
        HEX.formatHex(encode(new Frame.RstStream(3, Frame.STATUS_CANCEL))));
    assertEquals(
        "0000000501000003616263",
        HEX.formatHex(encode(new Frame.Data(5, true, "abc".getBytes(StandardCharsets.US_ASCII)))));
    assertEquals(
        "80030007000000080000000900000001",
        HEX.formatHex(encode(new Frame.GoAway(9, Frame.GOAWAY_PROTOCOL_ERROR))));
  }

  @Test
  void readsASynStreamWhoseHeadersWereCompressedByAnotherZlib() throws Exception {
    ByteBuffer raw = ByteBuffer.allocate(4 + 4 + 4 + 4 + 4);
    raw.putInt(1).putInt(4).put("port".getBytes(StandardCharsets.US_ASCII));
    raw.putInt(4).put("8080".getBytes(StandardCharsets.US_ASCII));
    Deflater zlib = new Deflater(Deflater.BEST_SPEED);
    zlib.setDictionary(HeaderDictionary.bytes());
    zlib.setInput(raw.array());
    byte[] block = new byte[256];
    int n = zlib.deflate(block, 0, block.length, Deflater.SYNC_FLUSH);
    zlib.end();
    ByteBuffer frame = ByteBuffer.allocate(8 + 10 + n);
    frame.putShort((short) 0x8003).putShort((short) 1).putInt((0x01 << 24) | (10 + n));
    frame.putInt(1).putInt(0).put((byte) (3 << 5)).put((byte) 0).put(block, 0, n);

    Frame.SynStream syn = (Frame.SynStream) decode(frame.array());

    assertEquals(1, syn.streamId());
    assertEquals(3, syn.priority());
    assertTrue(syn.fin());
    assertEquals(Map.of("port", List.of("8080")), syn.headers());
  }

  @Test
  void headerBlocksShareOneCompressionContextPerDirection() throws Exception {
    FrameWriter writer = new FrameWriter(new HeaderCodec());
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    byte[] second = null;
    for (int id = 1; id <= 5; id += 2) {
      byte[] f =
          writer.encode(
              new Frame.SynStream(
                  id,
                  0,
                  0,
                  false,
                  false,
                  Map.of(
                      "streamtype", List.of("data"), "requestid", List.of(Integer.toString(id)))));
      wire.writeBytes(f);
      if (id == 3) {
        second = f;
      }
    }
    FrameReader reader =
        new FrameReader(new ByteArrayInputStream(wire.toByteArray()), new HeaderCodec());
    for (int id = 1; id <= 5; id += 2) {
      Frame.SynStream syn = (Frame.SynStream) reader.read().orElseThrow();
      assertEquals(id, syn.streamId());
      assertEquals(List.of(Integer.toString(id)), syn.headers().get("requestid"));
    }
    assertTrue(reader.read().isEmpty());
    // Without the first block's context the second cannot be read.
    byte[] alone = second;
    assertThrows(ProtocolException.class, () -> decode(alone));
  }

  @Test
  void multipleValuesOfAHeaderTravelNulSeparated() throws Exception {
    var headers = Map.of("x-stream-protocol-version", List.of("v4.channel.k8s.io", "v1"));
    Frame.SynReply reply = (Frame.SynReply) decode(encode(new Frame.SynReply(2, true, headers)));
    assertEquals(headers, reply.headers());
    assertTrue(reply.fin());
  }

  @Test
  void settingsAndWindowUpdatesRoundTrip() throws Exception {
    var settings = new Frame.Settings(false, Map.of(7, 65536, 4, 100));
    Frame.Settings back = (Frame.Settings) decode(encode(settings));
    assertEquals(settings.values(), back.values());
    assertEquals(new Frame.WindowUpdate(3, 1024), decode(encode(new Frame.WindowUpdate(3, 1024))));
  }

  @Test
  void refusesWhatBreaksTheProtocol() {
    byte[] version2Ping = HEX.parseHex("800200060000000400000001");
    assertThrows(ProtocolException.class, () -> decode(version2Ping));
    byte[] truncated = HEX.parseHex("8003000600000004000000");
    assertThrows(ProtocolException.class, () -> decode(truncated));
    byte[] shortRst = HEX.parseHex("800300030000000400000001");
    assertThrows(ProtocolException.class, () -> decode(shortRst));
    // A header name in upper case, which SPDY/3 forbids.
    Deflater zlib = new Deflater();
    zlib.setDictionary(HeaderDictionary.bytes());
    ByteBuffer raw = ByteBuffer.allocate(16);
    raw.putInt(1)
        .putInt(2)
        .put("Ab".getBytes(StandardCharsets.US_ASCII))
        .putInt(2)
        .put((byte) 'x')
        .put((byte) 'y');
    zlib.setInput(raw.array());
    byte[] block = new byte[128];
    int n = zlib.deflate(block, 0, block.length, Deflater.SYNC_FLUSH);
    zlib.end();
    ByteBuffer frame = ByteBuffer.allocate(12 + n);
    frame.putShort((short) 0x8003).putShort((short) 2).putInt(4 + n).putInt(1).put(block, 0, n);
    assertThrows(ProtocolException.class, () -> decode(frame.array()));
  }

  @Test
  void skipsControlFramesOfUnknownTypes() throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(HEX.parseHex("8003000a00000002abcd"));
    wire.writeBytes(encode(new Frame.Ping(1)));
    FrameReader reader =
        new FrameReader(new ByteArrayInputStream(wire.toByteArray()), new HeaderCodec());
    assertEquals(new Frame.Unknown(10), reader.read().orElseThrow());
    assertEquals(new Frame.Ping(1), reader.read().orElseThrow());
  }

  @Test
  void dataFramesKeepTheirBytes() throws Exception {
    byte[] payload = new byte[70_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    Frame.Data d = (Frame.Data) decode(encode(new Frame.Data(7, false, payload)));
    assertEquals(7, d.streamId());
    assertArrayEquals(payload, d.data());
  }
}
