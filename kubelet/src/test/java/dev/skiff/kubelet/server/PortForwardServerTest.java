package dev.skiff.kubelet.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.server.spdy.Frame;
import dev.skiff.kubelet.server.spdy.SpdyTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortForwardServerTest {
  private final LoopbackPods pods = new LoopbackPods();
  private LoopbackStreamingServer server;
  private Socket socket;

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackStreamingServer(pods.runtime());
  }

  @AfterEach
  void stop() throws Exception {
    if (socket != null) {
      socket.close();
    }
    server.close();
    pods.close();
  }

  private static void forwardOnce(SpdyTestClient client, int port) {
    client.open(1, Map.of("streamtype", "error", "port", "" + port, "requestid", "0"));
    client.next(Frame.SynReply.class, r -> r.streamId() == 1);
    client.data(1, "", true);
    client.open(3, Map.of("streamtype", "data", "port", "" + port, "requestid", "0"));
    client.data(3, "ping", true);
    assertEquals("web:PING", client.readUntilFin(3));
    assertEquals("", client.readUntilFin(1));
  }

  @Test
  void forwardsThroughSpdyTunnelledInAWebSocket() throws Exception {
    int port = pods.echo("web");
    Response r =
        request(
            "GET /portForward/default/pod-a HTTP/1.1",
            "Connection: Upgrade",
            "Upgrade: websocket",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString("sixteen byte key".getBytes(UTF_8)),
            "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io");
    assertEquals(101, r.status, r.head);
    assertTrue(
        r.head.contains("\r\nSec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n"), r.head);
    Socket s = socket;
    forwardOnce(
        new SpdyTestClient(
            WebSocketFraming.reader(r.body),
            WebSocketFraming.writer(s.getOutputStream()),
            () -> {}),
        port);
  }

  @Test
  void aWebSocketWithoutTheTunnelProtocolIsRefused() throws Exception {
    Response r =
        request(
            "GET /portForward/default/pod-a HTTP/1.1",
            "Connection: Upgrade",
            "Upgrade: websocket",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString("sixteen byte key".getBytes(UTF_8)),
            "Sec-WebSocket-Protocol: v4.channel.k8s.io");
    assertEquals(400, r.status);
    assertEquals(
        "port-forward over WebSocket needs subprotocol SPDY/3.1+portforward.k8s.io\n", r.text());
  }

  @Test
  void forwardsOverAPlainSpdyUpgradeAsKubectlFallsBackTo() throws Exception {
    int port = pods.echo("web");
    Response r =
        request(
            "POST /portForward/default/pod-a HTTP/1.1",
            "Connection: Upgrade",
            "Upgrade: SPDY/3.1",
            "X-Stream-Protocol-Version: portforward.k8s.io");
    assertEquals(101, r.status);
    assertTrue(r.head.contains("\r\nUpgrade: SPDY/3.1\r\n"), r.head);
    assertTrue(r.head.contains("\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n"), r.head);
    Socket s = socket;
    forwardOnce(new SpdyTestClient(r.body, s.getOutputStream(), () -> {}), port);
  }

  @Test
  void refusesUnknownPodsForeignProtocolsAndPlainRequests() throws Exception {
    Response missing =
        request(
            "POST /portForward/default/nope HTTP/1.1", "Connection: Upgrade", "Upgrade: SPDY/3.1");
    assertEquals(404, missing.status);
    assertEquals("pod does not exist\n", missing.text());

    Response foreign =
        request(
            "POST /portForward/default/pod-a HTTP/1.1",
            "Connection: Upgrade",
            "Upgrade: SPDY/3.1",
            "X-Stream-Protocol-Version: v4.channel.k8s.io");
    assertEquals(403, foreign.status);
    assertEquals(
        "unable to upgrade: unable to negotiate protocol: client supports [v4.channel.k8s.io],"
            + " server supports [portforward.k8s.io]\n",
        foreign.text());

    Response plain = request("GET /portForward/default/pod-a HTTP/1.1");
    assertEquals(400, plain.status);
    assertEquals("unable to upgrade: missing upgrade headers in request\n", plain.text());
  }

  private record Response(int status, String head, InputStream body) {
    String text() throws IOException {
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return new String(body.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  /** Sends a request on a fresh connection and reads the response head. */
  private Response request(String requestLine, String... headers) throws IOException {
    if (socket != null) {
      socket.close();
    }
    socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    StringBuilder sb = new StringBuilder(requestLine).append("\r\nHost: kubelet\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    sb.append("Content-Length: 0\r\n\r\n");
    socket.getOutputStream().write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the response head: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    return new Response(Integer.parseInt(text.split(" ", 3)[1]), text, in);
  }
}
