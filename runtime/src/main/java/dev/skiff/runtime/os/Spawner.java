package dev.skiff.runtime.os;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs programs through a small helper process ({@code skiff-monitor -Z SOCKET}) that forks them:
 * starting each program from this large JVM costs an extra helper process and exec per program,
 * which adds up when pod starts run CNI plugins and monitors by the dozen. The helper exits when
 * this JVM does (its stdin, held here, closes).
 */
final class Spawner {
  private static final int EXITED = 0;
  private static final int NOT_STARTED = 1;

  private final Process helper;
  private final UnixDomainSocketAddress address;

  /** The helper could not be reached before the request was sent: nothing ran. */
  static final class UnavailableException extends IOException {
    UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Spawner(Process helper, Path socket) {
    this.helper = helper;
    this.address = UnixDomainSocketAddress.of(socket);
  }

  /** Starts the helper and waits until it listens. */
  static Spawner start(Path helperBinary) throws IOException {
    // Owner-only (as temporary directories are made): nobody else may have programs run as us.
    Path dir = Files.createTempDirectory("skiff-spawn");
    dir.toFile().deleteOnExit();
    Path socket = dir.resolve("spawn.sock");
    socket.toFile().deleteOnExit();
    Process p =
        new ProcessBuilder(helperBinary.toString(), "-Z", socket.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String line =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    if (!"ready".equals(line)) {
      p.destroyForcibly();
      throw new IOException("spawn helper " + helperBinary + " did not start");
    }
    return new Spawner(p, socket);
  }

  boolean alive() {
    return helper.isAlive();
  }

  /** Stops the helper without waiting (programs it started keep running). */
  void destroy() {
    helper.destroy();
  }

  /** Stops the helper and waits for it to exit (programs it started keep running). */
  void stop() throws InterruptedException {
    helper.destroy();
    helper.waitFor(30, TimeUnit.SECONDS);
  }

  /** Runs {@code command} with this JVM's environment plus {@code env}, as ProcessBuilder would. */
  Command.Result run(List<String> command, Duration timeout, byte[] stdin, Map<String, String> env)
      throws IOException {
    SocketChannel ch;
    try {
      ch = SocketChannel.open(address);
    } catch (IOException e) {
      throw new UnavailableException("spawn helper unreachable: " + e.getMessage(), e);
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    CompletableFuture<Void> timer = new CompletableFuture<>();
    timer
        .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenRun(
            () -> {
              if (ch.isOpen() && timedOut.compareAndSet(false, true)) close(ch);
            });
    try (ch) {
      ch.write(ByteBuffer.wrap(request(command, stdin, env)));
      DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
      int kind = in.readInt();
      if (kind == NOT_STARTED) {
        throw new Command.CommandException(
            "cannot run "
                + command.getFirst()
                + ": "
                + new String(block(in), StandardCharsets.UTF_8),
            -1);
      }
      if (kind != EXITED) throw new IOException("spawn helper sent answer kind " + kind);
      int exit = in.readInt();
      byte[] out = block(in);
      byte[] err = block(in);
      timedOut.set(true);
      return new Command.Result(List.copyOf(command), exit, out, err);
    } catch (ClosedByInterruptException e) {
      Thread.currentThread().interrupt();
      throw new Command.CommandException("interrupted while running " + command.getFirst(), -1);
    } catch (IOException e) {
      if (timedOut.get() && !ch.isOpen()) {
        throw new Command.CommandException(
            String.join(" ", command) + " timed out after " + timeout.toSeconds() + "s", -1);
      }
      throw e;
    } finally {
      timer.complete(null);
    }
  }

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Closing is all the timeout needs; the helper kills the program on hang-up.
    }
  }

  private static byte[] request(List<String> command, byte[] stdin, Map<String, String> env)
      throws IOException {
    Map<String, String> all = new HashMap<>(System.getenv());
    all.putAll(env);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buf);
    out.writeInt(command.size());
    for (String s : command) string(out, s);
    out.writeInt(all.size());
    for (var e : all.entrySet()) string(out, e.getKey() + "=" + e.getValue());
    byte[] in = stdin == null ? new byte[0] : stdin;
    out.writeInt(in.length);
    out.write(in);
    return buf.toByteArray();
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] block(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) throw new IOException("spawn helper sent a block of " + n + " bytes");
    return in.readNBytes(n);
  }
}
