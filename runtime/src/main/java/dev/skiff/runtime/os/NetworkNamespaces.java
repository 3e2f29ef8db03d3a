package dev.skiff.runtime.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Named network namespaces, as ip-netns(8) makes them (a bind mount under /var/run/netns). */
public class NetworkNamespaces {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  public static final Path DIR = Path.of("/var/run/netns");

  public Path create(String name) {
    Command.run(List.of("ip", "netns", "add", name), TIMEOUT).check();
    return DIR.resolve(name);
  }

  /** Deletes the namespace mount; absent is fine. */
  public void delete(Path path) {
    if (!Files.exists(path)) return;
    Command.Result r =
        Command.run(List.of("ip", "netns", "delete", path.getFileName().toString()), TIMEOUT);
    if (r.exitCode() != 0 && Files.exists(path)) r.check();
  }
}
