package dev.skiff.kubelet.server.spdy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;

/**
 * What an HTTP/1.1 connection becomes after answering {@code Upgrade: SPDY/3.1} with 101: the raw
 * bytes both ways are one SPDY session.
 */
public final class UpgradedConnection extends AbstractConnection implements Connection.UpgradeTo {
  private static final int BUFFER_SIZE = 32 * 1024;

  private final ChunkedInput input = new ChunkedInput();
  private final SpdySession session;
  private final Duration idleTimeout;

  public UpgradedConnection(
      EndPoint endPoint,
      Executor executor,
      SpdySession.StreamHandler handler,
      Duration idleTimeout) {
    super(endPoint, executor);
    this.idleTimeout = idleTimeout;
    this.session =
        new SpdySession(
            input,
            new EndPointOutput(endPoint),
            () -> {
              input.close();
              endPoint.close();
            },
            handler);
  }

  @Override
  public void onUpgradeTo(ByteBuffer buffer) {
    // Bytes the client sent right behind its upgrade request, already read by the HTTP parser.
    if (BufferUtil.hasContent(buffer)) {
      queue(buffer);
    }
  }

  @Override
  public void onOpen() {
    super.onOpen();
    // A forwarded connection may sit quiet for long; the client's pings are the keep-alive.
    getEndPoint().setIdleTimeout(idleTimeout.toMillis());
    fillInterested();
    Thread.ofVirtual().name("kubelet-spdy").start(session::serve);
  }

  @Override
  public void onFillable() {
    ByteBuffer buffer = BufferUtil.allocate(BUFFER_SIZE);
    try {
      while (true) {
        BufferUtil.clear(buffer);
        int n = getEndPoint().fill(buffer);
        if (n > 0) {
          if (!queue(buffer)) {
            return;
          }
        } else if (n == 0) {
          fillInterested();
          return;
        } else {
          input.finish();
          return;
        }
      }
    } catch (IOException e) {
      input.finish();
    }
  }

  private boolean queue(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    try {
      input.put(bytes);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.close();
      return false;
    }
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    input.finish();
  }

  /** Writes straight to the client connection, each call complete before it returns. */
  private static final class EndPointOutput extends OutputStream {
    private final EndPoint endPoint;

    EndPointOutput(EndPoint endPoint) {
      this.endPoint = endPoint;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      FutureCallback written = new FutureCallback();
      endPoint.write(written, ByteBuffer.wrap(b, off, len));
      try {
        written.get();
      } catch (ExecutionException e) {
        throw new IOException("write to the client failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
