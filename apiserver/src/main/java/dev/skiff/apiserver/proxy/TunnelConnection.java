package dev.skiff.apiserver.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;

/**
 * What a client connection becomes once the kubelet has switched protocols: bytes relayed both ways
 * unchanged, so WebSocket and SPDY streams pass through alike. Either side closing closes both.
 */
final class TunnelConnection extends AbstractConnection implements Connection.UpgradeTo {
  private static final int BUFFER_SIZE = 32 * 1024;

  private final Socket kubelet;
  private final InputStream fromKubelet;
  private final OutputStream toKubelet;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param fromKubelet the kubelet's stream, positioned after its 101 response (it may already hold
   *     bytes the kubelet sent right after it)
   */
  TunnelConnection(EndPoint client, Executor executor, Socket kubelet, InputStream fromKubelet)
      throws IOException {
    super(client, executor);
    this.kubelet = kubelet;
    this.fromKubelet = fromKubelet;
    this.toKubelet = kubelet.getOutputStream();
  }

  @Override
  public void onUpgradeTo(ByteBuffer buffer) {
    // Bytes the client sent right behind its upgrade request, already read by the HTTP parser.
    if (BufferUtil.hasContent(buffer)) {
      try {
        writeToKubelet(buffer);
      } catch (IOException e) {
        closeBoth();
      }
    }
  }

  @Override
  public void onOpen() {
    super.onOpen();
    fillInterested();
    Thread.ofVirtual().name("kubelet-tunnel").start(this::relayFromKubelet);
  }

  @Override
  public void onFillable() {
    ByteBuffer buffer = BufferUtil.allocate(BUFFER_SIZE);
    try {
      while (true) {
        BufferUtil.clear(buffer);
        int n = getEndPoint().fill(buffer);
        if (n > 0) {
          writeToKubelet(buffer);
        } else if (n == 0) {
          fillInterested();
          return;
        } else {
          closeBoth();
          return;
        }
      }
    } catch (IOException e) {
      closeBoth();
    }
  }

  private void writeToKubelet(ByteBuffer buffer) throws IOException {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    toKubelet.write(bytes);
    toKubelet.flush();
  }

  private void relayFromKubelet() {
    byte[] bytes = new byte[BUFFER_SIZE];
    try {
      int n;
      while ((n = fromKubelet.read(bytes)) >= 0) {
        if (n == 0) {
          continue;
        }
        FutureCallback written = new FutureCallback();
        getEndPoint().write(written, ByteBuffer.wrap(bytes, 0, n));
        written.get();
      }
    } catch (IOException | ExecutionException e) {
      // A broken side ends the session, as a close would.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeBoth();
  }

  private void closeBoth() {
    if (closed.compareAndSet(false, true)) {
      try {
        kubelet.close();
      } catch (IOException e) {
        // Already broken; nothing else to release.
      }
      getEndPoint().close();
    }
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    closeBoth();
  }
}
