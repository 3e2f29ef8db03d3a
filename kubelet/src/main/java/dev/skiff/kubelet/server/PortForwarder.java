package dev.skiff.kubelet.server;

import dev.skiff.kubelet.server.spdy.Frame;
import dev.skiff.kubelet.server.spdy.SpdySession;
import dev.skiff.kubelet.server.spdy.SpdyStream;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.PortForwardStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The port-forward protocol on a SPDY session ({@code portforward.k8s.io}): for each forwarded
 * connection the client opens an error stream and a data stream with the same {@code requestID} and
 * {@code port}; once both are there, the data stream's bytes go to that port inside the pod and the
 * port's bytes come back on it. A failure is told on the error stream, whose end tells the client
 * the connection is over.
 */
final class PortForwarder implements SpdySession.StreamHandler {
  /** How long the second stream of a pair may keep the client waiting, as upstream's kubelet. */
  static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

  /** Bytes a data stream may send before its pod connection exists. */
  private static final int MAX_EARLY_BYTES = 1024 * 1024;

  private final ContainerRuntime runtime;
  private final String sandboxId;
  private final Duration pairTimeout;
  private final Map<String, Pair> pending = new ConcurrentHashMap<>();

  PortForwarder(ContainerRuntime runtime, String sandboxId, Duration pairTimeout) {
    this.runtime = runtime;
    this.sandboxId = sandboxId;
    this.pairTimeout = pairTimeout;
  }

  @Override
  public void onStream(SpdyStream stream) throws SpdySession.Refused {
    String type = stream.header("streamtype");
    boolean data = "data".equals(type);
    if (!data && !"error".equals(type)) {
      throw new SpdySession.Refused("invalid stream type " + type);
    }
    int port = port(stream.header("port"));
    String requestId = stream.header("requestid");
    if (requestId == null || requestId.isEmpty()) {
      // Clients before request IDs open the error stream right before its data stream.
      requestId = Integer.toString(data ? stream.id() - 2 : stream.id());
    }
    Pair pair = pending.computeIfAbsent(requestId, id -> newPair(id, port));
    if (pair.port != port) {
      throw new SpdySession.Refused("request " + requestId + " names two ports");
    }
    if (!pair.add(stream, data)) {
      throw new SpdySession.Refused(type + " stream already assigned to request " + requestId);
    }
    if (pair.complete() && pending.remove(requestId, pair)) {
      pair.start();
    }
  }

  private Pair newPair(String requestId, int port) {
    Pair pair = new Pair(port);
    CompletableFuture.delayedExecutor(pairTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (pending.remove(requestId, pair)) {
                pair.timedOut();
              }
            });
    return pair;
  }

  private static int port(String text) throws SpdySession.Refused {
    try {
      int port = Integer.parseInt(text == null ? "" : text);
      if (port > 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // Refused below with the same message.
    }
    throw new SpdySession.Refused("invalid port " + text);
  }

  /** One forwarded connection: its two streams and, once both arrived, the pod connection. */
  private final class Pair implements SpdyStream.Receiver {
    final int port;
    private SpdyStream error;
    private SpdyStream data;
    private PortForwardStream connection;
    private final ByteArrayOutputStream early = new ByteArrayOutputStream();
    private boolean finishedEarly;
    private boolean abandoned;

    Pair(int port) {
      this.port = port;
    }

    synchronized boolean add(SpdyStream stream, boolean isData) {
      if (isData ? data != null : error != null) {
        return false;
      }
      if (isData) {
        data = stream;
        stream.receiver(this);
      } else {
        error = stream;
      }
      return true;
    }

    synchronized boolean isAbandoned() {
      return abandoned;
    }

    synchronized boolean complete() {
      return error != null && data != null;
    }

    void start() {
      PortForwardStream c;
      try {
        c = runtime.portForward(sandboxId, port);
      } catch (ContainerRuntimeException e) {
        fail(e.getMessage());
        closeQuietly(data);
        return;
      }
      synchronized (this) {
        connection = c;
        try {
          if (early.size() > 0) {
            c.output().write(early.toByteArray());
            c.output().flush();
          }
          if (finishedEarly) {
            c.output().close();
          }
        } catch (IOException e) {
          // The pod side already ended; the pump below finds out and reports.
        }
        if (abandoned) {
          c.close();
        }
      }
      Thread.ofVirtual().name("kubelet-portforward-" + port).start(() -> pump(c));
    }

    private void pump(PortForwardStream c) {
      String failure = null;
      byte[] buffer = new byte[32 * 1024];
      try (InputStream in = c.input()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!send(buffer, n)) {
            break;
          }
        }
      } catch (IOException e) {
        // A connection the client gave up on fails as a matter of course; that is no news.
        failure = isAbandoned() ? null : e.getMessage();
      } finally {
        c.close();
      }
      closeQuietly(data);
      if (failure != null) {
        fail(failure);
      } else {
        closeQuietly(error);
      }
    }

    /** False once the client no longer takes data on this connection. */
    private boolean send(byte[] buffer, int n) {
      try {
        data.write(buffer, 0, n);
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /** Tells the client why the connection failed, then ends the error stream. */
    private void fail(String reason) {
      String message =
          "error forwarding port " + port + " to pod " + sandboxId + ", uid : " + reason;
      try {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        error.write(bytes, 0, bytes.length);
      } catch (IOException e) {
        // The client is gone; there is nobody to tell.
      }
      closeQuietly(error);
    }

    synchronized void timedOut() {
      if (error != null) {
        byte[] bytes = "timed out waiting for streams".getBytes(StandardCharsets.UTF_8);
        try {
          error.write(bytes, 0, bytes.length);
        } catch (IOException e) {
          // The client is gone; there is nobody to tell.
        }
        closeQuietly(error);
      }
      if (data != null) {
        data.reset(Frame.STATUS_CANCEL);
      }
    }

    @Override
    public synchronized void onData(byte[] bytes) {
      if (connection == null) {
        if (early.size() + bytes.length > MAX_EARLY_BYTES) {
          data.reset(Frame.STATUS_CANCEL);
          return;
        }
        early.writeBytes(bytes);
        return;
      }
      try {
        connection.output().write(bytes);
        connection.output().flush();
      } catch (IOException e) {
        // The pod closed its side; what it sent is still relayed back by the pump.
      }
    }

    @Override
    public synchronized void onFinished() {
      if (connection == null) {
        finishedEarly = true;
        return;
      }
      try {
        connection.output().close();
      } catch (IOException e) {
        // Already closed by the pod side.
      }
    }

    @Override
    public synchronized void onReset() {
      abandoned = true;
      if (connection != null) {
        connection.close();
      }
    }
  }

  private static void closeQuietly(SpdyStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // The session is gone and the stream with it.
    }
  }
}
