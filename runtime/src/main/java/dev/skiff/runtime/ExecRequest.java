package dev.skiff.runtime;

import java.util.List;

/** A streaming exec (CRI {@code ExecRequest}); with a TTY, stderr is merged into stdout. */
public record ExecRequest(
    String containerId,
    List<String> cmd,
    boolean tty,
    boolean stdin,
    boolean stdout,
    boolean stderr) {
  public ExecRequest {
    if (cmd == null || cmd.isEmpty()) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "exec needs a command");
    }
    cmd = List.copyOf(cmd);
  }
}
