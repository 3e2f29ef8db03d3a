package dev.skiff.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code skiff} binary run as a child process, as a user runs it. */
final class SkiffProcess implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  static final Path JAR = REPO.resolve("cli/target/skiff.jar");

  static final String UP_READY = "Skiff is ready";
  static final String SERVER_READY = "control plane is ready";

  private final Process process;
  private final Path log;

  private SkiffProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static SkiffProcess start(Path log, String... args) throws IOException {
    return start(List.of(), log, args);
  }

  /** Runs skiff behind {@code prefix}, such as a command that enters a network namespace. */
  static SkiffProcess start(List<String> prefix, Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SKIFF_"));
    return new SkiffProcess(pb.start(), log);
  }

  /**
   * Starts {@code skiff up} on {@code dataDir} serving the API on {@code port}, leaving the user's
   * kubeconfig alone; {@code flags} are added. It prints {@link #UP_READY} once its node is ready.
   */
  static SkiffProcess up(Path log, Path dataDir, int port, String... flags) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--data-dir",
                dataDir.toString(),
                "--https-listen-port",
                String.valueOf(port),
                "--no-kube-config-merge"));
    args.addAll(List.of(flags));
    return start(log, args.toArray(String[]::new));
  }

  /**
   * The arguments of {@code skiff server} on {@code dataDir} serving the API on loopback {@code
   * port}, and {@code flags}. It prints {@link #SERVER_READY} once it serves.
   */
  static String[] serverArgs(Path dataDir, int port, String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "server",
                "--data-dir",
                dataDir.toString(),
                "--bind-address",
                "127.0.0.1",
                "--https-listen-port",
                String.valueOf(port)));
    args.addAll(List.of(flags));
    return args.toArray(String[]::new);
  }

  /** Starts {@code skiff server} with {@link #serverArgs}. */
  static SkiffProcess server(Path log, Path dataDir, int port, String... flags) throws IOException {
    return start(log, serverArgs(dataDir, port, flags));
  }

  /** Removes what a node left on the host and its data ({@code skiff reset --delete-data}). */
  static void reset(Path dataDir) throws Exception {
    Result reset =
        run(Duration.ofSeconds(180), "reset", "--data-dir", dataDir.toString(), "--delete-data");
    if (reset.exitCode() != 0) {
      throw new AssertionError("skiff reset failed: " + reset.output());
    }
  }

  /** Runs skiff to completion and returns its exit code and output. */
  static Result run(Duration timeout, String... args) throws Exception {
    return run(List.of(), timeout, args);
  }

  /** Imports an image archive into a node's data dir ({@code skiff images import}). */
  static void importImage(Path archive, Path dataDir) throws Exception {
    Result imported =
        run(
            Duration.ofSeconds(120),
            "images",
            "import",
            archive.toString(),
            "--data-dir",
            dataDir.toString());
    if (imported.exitCode() != 0) {
      throw new AssertionError("skiff images import failed: " + imported.output());
    }
  }

  /** Runs skiff behind {@code prefix} to completion. */
  static Result run(List<String> prefix, Duration timeout, String... args) throws Exception {
    Path log = Files.createTempFile("skiff-run", ".log");
    try (var p = start(prefix, log, args)) {
      if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("skiff " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.process.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Waits for the line a server prints once it serves. */
  void awaitOutput(String text, Duration timeout) throws Exception {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      if (Files.readString(log).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("skiff exited early:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("skiff did not print '" + text + "':\n" + Files.readString(log));
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  /** Stops it as Ctrl-C would, and waits; a server that ignores SIGTERM is killed. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills it with SIGKILL, as a crashed machine stops, and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Sends SIGTERM, as systemd stops a service, and returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("skiff did not exit within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  record Result(int exitCode, String output) {}
}
