package dev.skiff.kubelet.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.kubelet.server.spdy.Frame;
import dev.skiff.kubelet.server.spdy.SpdyTestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortForwarderTest {
  private final LoopbackPods pods = new LoopbackPods();
  private SpdyTestClient client;

  @AfterEach
  void close() throws Exception {
    if (client != null) {
      client.close();
    }
    pods.close();
  }

  private void connect(Duration pairTimeout) {
    client =
        SpdyTestClient.connect(
            new PortForwarder(pods.runtime(), LoopbackPods.SANDBOX_ID, pairTimeout));
  }

  /** Opens the error and then the data stream of one forwarded connection, as kubectl does. */
  private void forward(int errorStream, int port, String requestId) {
    client.open(
        errorStream, Map.of("streamtype", "error", "port", "" + port, "requestid", requestId));
    client.next(Frame.SynReply.class, r -> r.streamId() == errorStream);
    client.data(errorStream, "", true);
    client.open(
        errorStream + 2, Map.of("streamtype", "data", "port", "" + port, "requestid", requestId));
    client.next(Frame.SynReply.class, r -> r.streamId() == errorStream + 2);
  }

  @Test
  void relaysBothWaysAndEndsTheErrorStreamWithoutAMessage() throws Exception {
    connect(PortForwarder.STREAM_CREATION_TIMEOUT);
    int port = pods.echo("web");
    forward(1, port, "0");
    client.data(3, "hello ", false);
    client.data(3, "pod", true);
    assertEquals("web:HELLO POD", client.readUntilFin(3));
    assertEquals("", client.readUntilFin(1));
  }

  @Test
  void forwardsTwoPortsAndSeveralConnectionsAtOnce() throws Exception {
    connect(PortForwarder.STREAM_CREATION_TIMEOUT);
    int a = pods.echo("a");
    int b = pods.echo("b");
    forward(1, a, "0");
    forward(5, b, "1");
    forward(9, a, "2");
    forward(13, b, "3");
    client.data(15, "four", true);
    client.data(3, "one", true);
    client.data(11, "three", true);
    client.data(7, "two", true);
    assertEquals("a:ONE", client.readUntilFin(3));
    assertEquals("b:TWO", client.readUntilFin(7));
    assertEquals("a:THREE", client.readUntilFin(11));
    assertEquals("b:FOUR", client.readUntilFin(15));
    for (int errorStream : new int[] {1, 5, 9, 13}) {
      assertEquals("", client.readUntilFin(errorStream));
    }
  }

  @Test
  void aPortNobodyListensOnIsExplainedOnTheErrorStream() throws Exception {
    connect(PortForwarder.STREAM_CREATION_TIMEOUT);
    int port = LoopbackPods.closedPort();
    forward(1, port, "0");
    assertEquals(
        "error forwarding port "
            + port
            + " to pod sandbox-a, uid : connect to port "
            + port
            + " in the pod: Connection refused",
        client.readUntilFin(1));
    assertEquals("", client.readUntilFin(3));
  }

  @Test
  void theClientResettingItsDataStreamHangsUpOnThePod() throws Exception {
    connect(PortForwarder.STREAM_CREATION_TIMEOUT);
    forward(1, pods.greeter(), "0");
    assertEquals(
        "hello\n",
        new String(client.next(Frame.Data.class, d -> d.streamId() == 3).data(), "UTF-8"));
    client.send(new Frame.RstStream(3, Frame.STATUS_CANCEL));
    await().until(() -> pods.hangUps.contains("hung up"));
    assertEquals("", client.readUntilFin(1));
  }

  @Test
  void aStreamWhosePartnerNeverComesTimesOut() throws Exception {
    connect(Duration.ofMillis(100));
    client.open(1, Map.of("streamtype", "error", "port", "80", "requestid", "0"));
    assertEquals("timed out waiting for streams", client.readUntilFin(1));
  }

  @Test
  void streamsWithoutAUsableTypeOrPortAreRefused() {
    connect(PortForwarder.STREAM_CREATION_TIMEOUT);
    client.open(1, Map.of("streamtype", "stdin", "port", "80", "requestid", "0"));
    client.open(3, Map.of("streamtype", "data", "port", "http", "requestid", "0"));
    client.open(5, Map.of("streamtype", "data", "port", "70000", "requestid", "0"));
    for (int id : new int[] {1, 3, 5}) {
      assertEquals(
          new Frame.RstStream(id, Frame.STATUS_REFUSED_STREAM),
          client.next(Frame.RstStream.class, r -> r.streamId() == id));
    }
  }

  @Test
  void aSecondStreamOfTheSameKindForOneRequestIsRefused() throws Exception {
    connect(PortForwarder.STREAM_CREATION_TIMEOUT);
    client.open(1, Map.of("streamtype", "error", "port", "80", "requestid", "7"));
    client.open(3, Map.of("streamtype", "error", "port", "80", "requestid", "7"));
    assertEquals(
        new Frame.RstStream(3, Frame.STATUS_REFUSED_STREAM), client.next(Frame.RstStream.class));
  }
}
