package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
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

  /** The container's state, or empty when runc does not know it. */
  public Optional<State> state(String id) {
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
