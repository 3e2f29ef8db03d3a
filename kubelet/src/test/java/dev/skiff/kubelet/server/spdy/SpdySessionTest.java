package dev.skiff.kubelet.server.spdy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpdySessionTest {
  /** What the handler saw, per stream, in order. */
  private final List<String> events = new CopyOnWriteArrayList<>();

  private SpdyTestClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  private SpdyStream.Receiver recording(SpdyStream stream) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    return new SpdyStream.Receiver() {
      @Override
      public void onData(byte[] data) {
        received.writeBytes(data);
      }

      @Override
      public void onFinished() {
        events.add(stream.id() + " fin " + received.toString(StandardCharsets.UTF_8));
      }

      @Override
      public void onReset() {
        events.add(stream.id() + " reset");
      }
    };
  }

  @Test
  void repliesToEachStreamAndDeliversItsBytesAndEnd() {
    client =
        SpdyTestClient.connect(
            stream -> {
              events.add(stream.id() + " open " + stream.header("streamtype"));
              stream.receiver(recording(stream));
            });
    client.open(1, Map.of("streamtype", "data"));
    assertEquals(1, client.next(Frame.SynReply.class).streamId());
    client.data(1, "hello ", false);
    client.data(1, "world", true);
    await().until(() -> events.contains("1 fin hello world"));
    assertEquals("1 open data", events.get(0));
  }

  @Test
  void theReplyPrecedesWhatTheHandlerWritesAtOnce() {
    client =
        SpdyTestClient.connect(
            stream -> {
              try {
                stream.write("early".getBytes(StandardCharsets.UTF_8), 0, 5);
                stream.close();
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    client.open(1, Map.of());
    client.next(Frame.class, f -> f instanceof Frame.SynReply r && r.streamId() == 1);
    assertTrue(client.backlog().isEmpty(), "nothing before the reply: " + client.backlog());
    assertEquals("early", client.readUntilFin(1));
  }

  @Test
  void answersTheClientsPings() {
    client = SpdyTestClient.connect(stream -> {});
    client.send(new Frame.Ping(1));
    client.send(new Frame.Ping(3));
    assertEquals(new Frame.Ping(1), client.next(Frame.Ping.class));
    assertEquals(new Frame.Ping(3), client.next(Frame.Ping.class));
  }

  @Test
  void aRefusedStreamIsResetWithoutAReply() {
    client =
        SpdyTestClient.connect(
            stream -> {
              if ("bad".equals(stream.header("streamtype"))) {
                throw new SpdySession.Refused("invalid stream type");
              }
            });
    client.open(1, Map.of("streamtype", "bad"));
    client.open(3, Map.of("streamtype", "data"));
    assertEquals(
        new Frame.RstStream(1, Frame.STATUS_REFUSED_STREAM), client.next(Frame.RstStream.class));
    assertEquals(3, client.next(Frame.SynReply.class).streamId());
    assertTrue(client.backlog().isEmpty(), "no reply for stream 1: " + client.backlog());
  }

  @Test
  void streamIdsMustBeOddAndIncreasing() {
    client = SpdyTestClient.connect(stream -> {});
    client.open(2, Map.of());
    assertEquals(
        new Frame.RstStream(2, Frame.STATUS_PROTOCOL_ERROR), client.next(Frame.RstStream.class));
    client.open(5, Map.of());
    assertEquals(5, client.next(Frame.SynReply.class).streamId());
    client.open(3, Map.of());
    assertEquals(
        new Frame.RstStream(3, Frame.STATUS_PROTOCOL_ERROR), client.next(Frame.RstStream.class));
  }

  @Test
  void theClientsResetAndTheTransportsEndAbandonStreams() {
    client = SpdyTestClient.connect(stream -> stream.receiver(recording(stream)));
    client.open(1, Map.of());
    client.open(3, Map.of());
    client.next(Frame.SynReply.class, r -> r.streamId() == 3);
    client.send(new Frame.RstStream(1, Frame.STATUS_CANCEL));
    await().until(() -> events.contains("1 reset"));
    client.close();
    await().until(() -> events.contains("3 reset"));
    assertEquals(List.of("1 reset", "3 reset"), events);
  }

  @Test
  void aProtocolErrorEndsTheSessionWithGoAway() throws Exception {
    client = SpdyTestClient.connect(stream -> {});
    client.open(1, Map.of());
    client.next(Frame.SynReply.class);
    client.sendRaw(HexFormat.of().parseHex("800200060000000400000001"));
    assertEquals(new Frame.GoAway(1, Frame.GOAWAY_PROTOCOL_ERROR), client.next(Frame.GoAway.class));
    assertTrue(client.awaitEnd());
  }

  @Test
  void writingAfterTheClientResetFails() {
    var opened = new java.util.concurrent.CompletableFuture<SpdyStream>();
    client = SpdyTestClient.connect(opened::complete);
    client.open(1, Map.of());
    client.next(Frame.SynReply.class);
    client.send(new Frame.RstStream(1, Frame.STATUS_CANCEL));
    SpdyStream stream = opened.join();
    await().until(stream::isReset);
    assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class, () -> stream.write(new byte[] {1}, 0, 1))
            .getMessage()
            .contains("closed"));
  }
}
