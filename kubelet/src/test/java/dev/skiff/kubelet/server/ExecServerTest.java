package dev.skiff.kubelet.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExecServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private LoopbackStreamingServer server;

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackStreamingServer(ScriptedRuntime.create());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void execPrintsStdoutAndReportsSuccess() throws Exception {
    Channels c = open("/exec/default/pod-a/app?command=hostname&output=1&error=1");
    c.closed.get();
    assertEquals("v5.channel.k8s.io", c.socket.getSubprotocol());
    assertEquals("pod-a\n", c.text(1));
    assertEquals("Success", c.status().path("status").asText());
  }

  @Test
  void nonZeroExitIsAFailureStatusCarryingTheCode() throws Exception {
    Channels c = open("/exec/default/pod-a/app?command=fail&output=1&error=1");
    c.closed.get();
    assertEquals("oops\n", c.text(2));
    JsonNode status = c.status();
    assertEquals("Failure", status.path("status").asText());
    assertEquals("NonZeroExitCode", status.path("reason").asText());
    JsonNode cause = status.path("details").path("causes").get(0);
    assertEquals("ExitCode", cause.path("reason").asText());
    assertEquals("3", cause.path("message").asText());
  }

  @Test
  void stdinReachesTheProcessAndItsCloseEndsIt() throws Exception {
    Channels c = open("/exec/default/pod-a/app?command=cat&input=1&output=1&error=1");
    c.socket.sendBinary(ByteBuffer.wrap(new byte[] {0, 'h', 'i', '\n'}), true).get();
    c.socket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true).get();
    c.closed.get();
    assertEquals("hi\n", c.text(1));
    assertEquals("Success", c.status().path("status").asText());
  }

  @Test
  void resizeReachesTheTerminal() throws Exception {
    Channels c = open("/exec/default/pod-a/app?command=size&input=1&output=1&tty=1");
    byte[] size = "{\"Width\":120,\"Height\":40}".getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[size.length + 1];
    message[0] = 4;
    System.arraycopy(size, 0, message, 1, size.length);
    c.socket.sendBinary(ByteBuffer.wrap(message), true).get();
    c.closed.get();
    assertEquals("120x40\n", c.text(1));
  }

  @Test
  void attachStreamsTheContainersOutput() throws Exception {
    Channels c = open("/attach/default/pod-a/app?output=1&error=1");
    c.closed.get();
    assertEquals("attached to " + ScriptedRuntime.CONTAINER_ID + "\n", c.text(1));
  }

  @Test
  void v4IsAcceptedWhenThatIsAllTheClientSpeaks() throws Exception {
    Channels c = open("/exec/default/pod-a/app?command=hostname&output=1", "v4.channel.k8s.io");
    c.closed.get();
    assertEquals("v4.channel.k8s.io", c.socket.getSubprotocol());
    assertEquals("pod-a\n", c.text(1));
  }

  @Test
  void unknownContainerIsNotFoundBeforeTheUpgrade() {
    var e =
        assertThrows(
            ExecutionException.class,
            () -> open("/exec/default/pod-a/nope?command=hostname&output=1"));
    var handshake = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
    assertEquals(404, handshake.getResponse().statusCode());
    assertTrue(String.valueOf(handshake.getResponse().body()).contains("\"nope\""));
  }

  @Test
  void withoutAChannelSubprotocolTheHandshakeIsRefused() {
    var e =
        assertThrows(
            ExecutionException.class,
            () -> open("/exec/default/pod-a/app?command=hostname&output=1", "chat"));
    var handshake = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
    assertEquals(400, handshake.getResponse().statusCode());
  }

  private Channels open(String path) throws Exception {
    return open(path, "v5.channel.k8s.io", "v4.channel.k8s.io");
  }

  private Channels open(String path, String protocol, String... more) throws Exception {
    Channels c = new Channels();
    c.socket =
        http.newWebSocketBuilder()
            .subprotocols(protocol, more)
            .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), c)
            .get();
    return c;
  }

  /** Collects what arrives per channel until the server closes the socket. */
  private static final class Channels implements WebSocket.Listener {
    final Map<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    volatile WebSocket socket;
    private ByteArrayOutputStream message = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      message.writeBytes(chunk);
      if (last) {
        byte[] whole = message.toByteArray();
        message = new ByteArrayOutputStream();
        received
            .computeIfAbsent(whole[0] & 0xff, k -> new ByteArrayOutputStream())
            .write(whole, 1, whole.length - 1);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }

    String text(int channel) {
      var out = received.get(channel);
      return out == null ? "" : out.toString(StandardCharsets.UTF_8);
    }

    JsonNode status() throws Exception {
      return JSON.readTree(text(3));
    }
  }
}
