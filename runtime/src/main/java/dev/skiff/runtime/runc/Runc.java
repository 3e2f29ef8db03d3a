package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The runc command line, with its state under {@code root}. */
public class Runc {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String EXEC_FIFO = "exec.fifo";

  private final String binary;
  private final Path root;

  public Runc(String binary, Path root) {
    this.binary = binary;
    this.root = root;
  }

  public String binary() {
    return binary;
  }

  public Path root() {
    return root;
  }

  /**
   * A container's runc state: {@code created}, {@code running}, {@code paused} or {@code stopped}.
   */
  public record State(String status, int pid) {}

  /**
   * The container's state, or empty when runc does not know it. Read from runc's own state file as
   * {@code runc state} decides it (init alive with the recorded start time, exec fifo present until
   * started), which saves a process per query; falls back to {@code runc state} when the file is
   * not in the expected shape.
   */
  public Optional<State> state(String id) {
    Path dir = root.resolve(id);
    Path file = dir.resolve("state.json");
    if (!Files.exists(file)) return Optional.empty();
    try {
      JsonNode s = JSON.readTree(file.toFile());
      int pid = s.path("init_process_pid").asInt(-1);
      long start = s.path("init_process_start").asLong(-1);
      if (pid > 0 && start >= 0) {
        if (startTime(pid) != start) return Optional.of(new State("stopped", pid));
        return Optional.of(
            new State(Files.exists(dir.resolve(EXEC_FIFO)) ? "created" : "running", pid));
      }
    } catch (IOException e) {
      // Being rewritten by runc right now; ask runc itself.
    }
    return stateFromRunc(id);
  }

  /** Field 22 of /proc/PID/stat (start time in clock ticks), or -1 when the process is gone. */
  static long startTime(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[19]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private Optional<State> stateFromRunc(String id) {
    Command.Result r = Command.run(command("state", id), TIMEOUT);
    if (r.exitCode() != 0) {
      if (r.err().contains("does not exist")) return Optional.empty();
      r.check();
    }
    try {
      JsonNode s = JSON.readTree(r.stdout());
      return Optional.of(new State(s.path("status").asText(), s.path("pid").asInt()));
    } catch (IOException e) {
      throw new Command.CommandException("runc state: unreadable output: " + r.out(), -1);
    }
  }

  /**
   * Starts a created container as {@code runc start} does, without its process: runc's init waits
   * to write to the container's exec fifo, and reading it lets init exec the user's process;
   * removing the fifo then marks the container running (see {@link #state}). Falls back to {@code
   * runc start} when there is no fifo to read.
   */
  public void start(String id) {
    Path fifo = root.resolve(id).resolve(EXEC_FIFO);
    if (!Files.exists(fifo)) {
      Command.run(command("start", id), TIMEOUT).check();
      return;
    }
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (InputStream in = Files.newInputStream(fifo)) {
                read.complete(in.readAllBytes());
              } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
              }
            });
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    byte[] data = null;
    while (data == null) {
      try {
        data = read.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // The open blocks until init opens the other end; if init is gone it never will.
        boolean waiting = state(id).map(s -> s.status().equals("created")).orElse(false);
        if (!waiting || System.nanoTime() > deadline) {
          unblock(fifo);
          throw new Command.CommandException(
              "runc start " + id + ": container init " + (waiting ? "did not start" : "exited"),
              -1);
        }
      } catch (ExecutionException e) {
        throw new Command.CommandException(
            "runc start " + id + ": cannot read exec fifo: " + e.getCause().getMessage(), -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unblock(fifo);
        throw new Command.CommandException("runc start " + id + ": interrupted", -1);
      }
    }
    if (data.length == 0) {
      throw new Command.CommandException(
          "runc start " + id + ": cannot start an already running container", 1);
    }
    try {
      Files.deleteIfExists(fifo);
    } catch (IOException e) {
      throw new Command.CommandException(
          "runc start " + id + ": cannot remove exec fifo: " + e.getMessage(), -1);
    }
  }

  /**
   * Opens the fifo as a writer so a reader blocked in open returns (with nothing to read); read and
   * write, as Linux then never blocks the opener, whether or not anyone is reading.
   */
  private static void unblock(Path fifo) {
    try {
      // Closing at once leaves the reader at end of file.
      Files.newByteChannel(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
    } catch (IOException e) {
      // Gone already: nobody is blocked on it.
    }
  }

  /** Signals the container's init, or with {@code all} every process in it. */
  public void kill(String id, String signal, boolean all) {
    List<String> args = new ArrayList<>(List.of("kill"));
    if (all) args.add("--all");
    args.add(id);
    args.add(signal);
    Command.Result r = Command.run(command(args.toArray(String[]::new)), TIMEOUT);
    if (r.exitCode() != 0
        && !r.err().contains("not running")
        && !r.err().contains("does not exist")
        && !r.err().contains("process already finished")) {
      r.check();
    }
  }

  /** Deletes the container (killing it first with {@code force}); absent is fine. */
  public void delete(String id, boolean force) {
    Command.Result r =
        Command.run(force ? command("delete", "--force", id) : command("delete", id), TIMEOUT);
    if (r.exitCode() != 0 && !r.err().contains("does not exist")) r.check();
  }

  /** Changes a running container's cgroup limits ({@code runc update --resources -}). */
  public void update(String id, Map<String, Object> resources) {
    try {
      Command.run(
              command("update", "--resources", "-", id),
              TIMEOUT,
              JSON.writeValueAsBytes(resources),
              Map.of())
          .check();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command in the container to completion. */
  public Command.Result exec(String id, List<String> cmd, Duration timeout) {
    List<String> args = new ArrayList<>(List.of("exec", id));
    args.addAll(cmd);
    return Command.run(command(args.toArray(String[]::new)), timeout);
  }

  /** The argv of a runc invocation, for callers that need the process itself. */
  public List<String> command(String... args) {
    List<String> out = new ArrayList<>(List.of(binary, "--root", root.toString()));
    out.addAll(List.of(args));
    return out;
  }
}
