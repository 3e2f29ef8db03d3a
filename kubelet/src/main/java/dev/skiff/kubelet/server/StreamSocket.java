package dev.skiff.kubelet.server;

import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One exec or attach over the channel protocol: the process's stdout and stderr go out on their
 * channels, stdin and resize messages come in, and when the process ends its exit status goes out
 * on the error channel before the socket closes. Public because Jetty calls the listener
 * reflectively.
 */
public final class StreamSocket implements Session.Listener.AutoDemanding {
  private final Supplier<StreamSession> start;
  private final List<String> command;
  private final boolean v5;
  private final Object sendLock = new Object();
  private volatile StreamSession streams;

  /**
   * The started process, or null when it could not start: input that arrives while the process is
   * still starting waits for it instead of being lost (kubectl cp sends its tar at once).
   */
  private final CompletableFuture<StreamSession> started = new CompletableFuture<>();

  private volatile Session socket;

  StreamSocket(Supplier<StreamSession> start, List<String> command, String protocol) {
    this.start = start;
    this.command = command;
    this.v5 = ChannelProtocol.V5.equals(protocol);
  }

  @Override
  public void onWebSocketOpen(Session session) {
    socket = session;
    Thread.ofVirtual().name("kubelet-stream").start(this::run);
  }

  private void run() {
    try {
      StreamSession s;
      try {
        s = start.get();
      } catch (ContainerRuntimeException e) {
        started.complete(null);
        send(ChannelProtocol.ERROR, ChannelProtocol.failure(e.getMessage()));
        return;
      }
      streams = s;
      started.complete(s);
      Thread out = Thread.ofVirtual().start(() -> pump(s.stdout(), ChannelProtocol.STDOUT));
      Thread err = Thread.ofVirtual().start(() -> pump(s.stderr(), ChannelProtocol.STDERR));
      int exitCode = s.exitCode().get();
      out.join();
      err.join();
      if (exitCode >= 0) {
        send(ChannelProtocol.ERROR, ChannelProtocol.exitStatus(command, exitCode));
      }
    } catch (IOException e) {
      // The client went away; closing below releases the process's streams.
    } catch (ExecutionException e) {
      trySend(ChannelProtocol.failure(String.valueOf(e.getCause().getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      started.complete(null);
      StreamSession s = streams;
      if (s != null) {
        s.close();
      }
      socket.close(StatusCode.NORMAL, null, Callback.NOOP);
    }
  }

  private void pump(InputStream in, byte channel) {
    byte[] buffer = new byte[32 * 1024];
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sendMessage(ChannelProtocol.frame(channel, buffer, n));
      }
    } catch (IOException e) {
      // The process or the client closed the stream; the exit status decides what is reported.
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      receive(payload);
    } catch (IOException e) {
      // The process closed its stdin; further input has nowhere to go.
    }
    callback.succeed();
  }

  private void receive(ByteBuffer payload) throws IOException {
    StreamSession s = started.join();
    if (s == null || !payload.hasRemaining()) {
      return;
    }
    byte channel = payload.get();
    byte[] body = new byte[payload.remaining()];
    payload.get(body);
    switch (channel) {
      case ChannelProtocol.STDIN -> {
        OutputStream stdin = s.stdin();
        stdin.write(body);
        stdin.flush();
      }
      case ChannelProtocol.RESIZE ->
          ChannelProtocol.terminalSize(body, 0, body.length)
              .ifPresent(size -> s.resize(size[0], size[1]));
      case ChannelProtocol.CLOSE -> {
        if (v5 && body.length == 1 && body[0] == ChannelProtocol.STDIN) {
          s.stdin().close();
        }
      }
      default -> {
        // Unknown channels are ignored, as the kubelet does.
      }
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    started.complete(null);
    StreamSession s = streams;
    if (s != null) {
      s.close();
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    StreamSession s = streams;
    if (s != null) {
      s.close();
    }
  }

  private void trySend(byte[] status) {
    try {
      send(ChannelProtocol.ERROR, status);
    } catch (IOException e) {
      // Nobody left to tell.
    }
  }

  private void send(byte channel, byte[] body) throws IOException {
    sendMessage(ChannelProtocol.frame(channel, body, body.length));
  }

  /** Sends one whole message; the lock keeps messages of different channels from interleaving. */
  private void sendMessage(byte[] message) throws IOException {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    synchronized (sendLock) {
      socket.sendBinary(
          ByteBuffer.wrap(message),
          new Callback() {
            @Override
            public void succeed() {
              sent.complete(null);
            }

            @Override
            public void fail(Throwable x) {
              sent.completeExceptionally(x);
            }
          });
      try {
        sent.get();
      } catch (ExecutionException e) {
        throw new IOException("channel " + message[0] + " send failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
