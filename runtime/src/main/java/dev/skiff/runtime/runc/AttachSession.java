package dev.skiff.runtime.runc;

import dev.skiff.runtime.StreamSession;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * A client of the monitor's attach socket. Frames are a type byte, a 4-byte big-endian length and
 * the payload: 0 stdin, 1 stdout, 2 stderr, 3 close stdin, 4 resize (rows, cols as 16-bit).
 */
final class AttachSession implements StreamSession {
  private static final int PIPE = 1 << 16;
  private final SocketChannel channel;
  private final PipedInputStream stdout = new PipedInputStream(PIPE);
  private final PipedInputStream stderr = new PipedInputStream(PIPE);
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final OutputStream stdin;

  AttachSession(Path socket, boolean wantStdin, IntSupplier exitCode) {
    try {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      PipedOutputStream out = new PipedOutputStream(stdout);
      PipedOutputStream err = new PipedOutputStream(stderr);
      Thread.ofVirtual().start(() -> pump(out, err, exitCode));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot attach: " + e.getMessage(), e);
    }
    stdin =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (wantStdin) frame(0, ByteBuffer.wrap(b, off, len));
          }

          @Override
          public void close() throws IOException {
            if (wantStdin && channel.isOpen()) frame(3, ByteBuffer.allocate(0));
          }
        };
  }

  private void pump(PipedOutputStream out, PipedOutputStream err, IntSupplier exitCode) {
    try (DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
        out;
        err) {
      while (true) {
        int type = in.readUnsignedByte();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        (type == 2 ? err : out).write(payload);
        (type == 2 ? err : out).flush();
      }
    } catch (EOFException e) {
      exit.complete(exitCode.getAsInt());
    } catch (IOException e) {
      exit.complete(-1);
    }
  }

  private synchronized void frame(int type, ByteBuffer payload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5).put((byte) type).putInt(payload.remaining()).flip();
    while (head.hasRemaining()) channel.write(head);
    while (payload.hasRemaining()) channel.write(payload);
  }

  @Override
  public OutputStream stdin() {
    return stdin;
  }

  @Override
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public InputStream stderr() {
    return stderr;
  }

  @Override
  public void resize(int width, int height) {
    try {
      frame(4, ByteBuffer.allocate(4).putShort((short) height).putShort((short) width).flip());
    } catch (IOException e) {
      // Detached already.
    }
  }

  @Override
  public CompletableFuture<Integer> exitCode() {
    return exit;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    exit.complete(-1);
  }
}
