package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The runc command line, with its state under {@code root}. */
public class Runc {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

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
            new State(Files.exists(dir.resolve("exec.fifo")) ? "created" : "running", pid));
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

  public void start(String id) {
    Command.run(command("start", id), TIMEOUT).check();
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
