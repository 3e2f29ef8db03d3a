package dev.skiff.storage.etcd;

import dev.skiff.storage.StorageException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An etcd cluster of one or more members run from the {@code etcd} binary on loopback ports, for
 * tests and benchmarks. {@link #close()} kills every member and deletes all their data.
 */
public final class LocalEtcd implements AutoCloseable {
  /** Where Debian's {@code etcd-server} package installs the binary. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/etcd");

  /**
   * Client-side TLS of the members: they serve https and require client certificates signed by
   * {@code caFile}.
   */
  public record ServerTls(Path certFile, Path keyFile, Path caFile) {}

  private final Path dir;
  private final ServerTls tls;
  private final List<Process> members = new ArrayList<>();
  private final List<ProcessBuilder> commands = new ArrayList<>();
  private final List<String> clientUrls = new ArrayList<>();

  private LocalEtcd(Path dir, ServerTls tls) {
    this.dir = dir;
    this.tls = tls;
  }

  /**
   * Starts {@code size} members and waits until every one reports healthy.
   *
   * @throws StorageException if the binary is missing or the cluster does not come up
   */
  public static LocalEtcd start(Path binary, int size) {
    return start(binary, size, null);
  }

  /** As {@link #start(Path, int)}, serving clients over TLS when {@code tls} is not null. */
  public static LocalEtcd start(Path binary, int size, ServerTls tls) {
    if (!Files.isExecutable(binary)) {
      throw new StorageException(
          "etcd binary not found at "
              + binary
              + "; install it with: apt-get install -y etcd-server");
    }
    // the free ports are picked before etcd binds them, so another process may take one first
    for (int attempt = 1; ; attempt++) {
      LocalEtcd etcd;
      try {
        etcd = new LocalEtcd(Files.createTempDirectory("skiff-etcd"), tls);
      } catch (IOException e) {
        throw new StorageException("cannot create a data directory for etcd", e);
      }
      try {
        etcd.launch(binary, size);
        return etcd;
      } catch (MemberExited e) {
        etcd.close();
        if (attempt == 3) {
          throw e;
        }
      } catch (RuntimeException e) {
        etcd.close();
        throw e;
      }
    }
  }

  /** A member died while starting; its log tail says why. */
  private static final class MemberExited extends StorageException {
    MemberExited(String message) {
      super(message);
    }
  }

  private void launch(Path binary, int size) {
    List<Integer> peerPorts = new ArrayList<>();
    StringJoiner cluster = new StringJoiner(",");
    for (int i = 0; i < size; i++) {
      int peer = freePort();
      peerPorts.add(peer);
      cluster.add("m" + i + "=http://127.0.0.1:" + peer);
      clientUrls.add((tls == null ? "http" : "https") + "://127.0.0.1:" + freePort());
    }
    for (int i = 0; i < size; i++) {
      String peerUrl = "http://127.0.0.1:" + peerPorts.get(i);
      Path data = dir.resolve("m" + i);
      List<String> command =
          new ArrayList<>(
              List.of(
                  binary.toString(),
                  "--name=m" + i,
                  "--data-dir=" + data,
                  "--listen-client-urls=" + clientUrls.get(i),
                  "--advertise-client-urls=" + clientUrls.get(i),
                  "--listen-peer-urls=" + peerUrl,
                  "--initial-advertise-peer-urls=" + peerUrl,
                  "--initial-cluster=" + cluster,
                  "--initial-cluster-state=new",
                  "--initial-cluster-token=skiff-" + dir.getFileName()));
      if (tls != null) {
        command.addAll(
            List.of(
                "--cert-file=" + tls.certFile(),
                "--key-file=" + tls.keyFile(),
                "--trusted-ca-file=" + tls.caFile(),
                "--client-cert-auth=true"));
      }
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("m" + i + ".log").toFile());
      commands.add(pb);
      try {
        members.add(pb.start());
      } catch (IOException e) {
        throw new StorageException("cannot start etcd: " + e.getMessage(), e);
      }
    }
    for (int i = 0; i < size; i++) {
      awaitHealthy(i);
    }
  }

  private void awaitHealthy(int member) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!members.get(member).isAlive()) {
        throw new MemberExited("etcd member m" + member + " exited: " + logTail(member));
      }
      if (healthy(http, member)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted while waiting for etcd", e);
      }
    }
    throw new StorageException(
        "etcd member m" + member + " not healthy in 60 s: " + logTail(member));
  }

  /**
   * Plain members answer {@code /health} once they have a leader; TLS members want a client
   * certificate there, so for them the log line that the client port is served has to do.
   */
  private boolean healthy(HttpClient http, int member) {
    if (tls != null) {
      return logSays(member, "ready to serve client requests");
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(clientUrls.get(member) + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"true\"");
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for etcd", e);
    }
  }

  private boolean logSays(int member, String line) {
    try {
      return Files.exists(log(member)) && Files.readString(log(member)).contains(line);
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail(int member) {
    try {
      List<String> lines = Files.readAllLines(log(member));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private Path log(int member) {
    return dir.resolve("m" + member + ".log");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new StorageException("no free loopback port", e);
    }
  }

  /** Client URLs of all members, e.g. for {@code Stores.open("etcd://...")}. */
  public List<String> clientUrls() {
    return List.copyOf(clientUrls);
  }

  /** The endpoint string {@code etcd://127.0.0.1:p1,127.0.0.1:p2}. */
  public String endpoint() {
    StringJoiner hosts = new StringJoiner(",", "etcd://", "");
    clientUrls.forEach(u -> hosts.add(u.substring(u.indexOf("://") + 3)));
    return hosts.toString();
  }

  /** Kills one member with SIGKILL, as a crashed machine would stop it. */
  public void kill(int member) {
    Process p = members.get(member);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts a member again on its old ports and data (killing it first if it runs) and waits until
   * it is healthy; its log starts afresh.
   */
  public void restart(int member) {
    kill(member);
    ProcessBuilder pb = commands.get(member);
    try {
      members.set(member, pb.start());
    } catch (IOException e) {
      throw new StorageException("cannot restart etcd: " + e.getMessage(), e);
    }
    awaitHealthy(member);
  }

  @Override
  public void close() {
    for (int i = 0; i < members.size(); i++) {
      kill(i);
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new StorageException("cannot delete etcd data in " + dir + ": " + e.getMessage(), e);
    }
  }
}
