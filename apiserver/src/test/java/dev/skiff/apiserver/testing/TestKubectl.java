package dev.skiff.apiserver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl against a test server that trusts every request. Its kubeconfig and HOME (so its
 * discovery cache) are in a directory of the test's own.
 */
public final class TestKubectl {
  public static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  /** How kubectl ended, with what it wrote to each stream, trimmed. */
  public record Result(int exit, String out, String err) {}

  private final Path dir;
  private final Path kubeconfig;

  /** A kubectl whose context is {@code namespace} on the server at {@code serverUrl}. */
  public TestKubectl(Path dir, String serverUrl, String namespace) throws IOException {
    this.dir = dir;
    this.kubeconfig = writeKubeconfig(dir.resolve("kubeconfig"), serverUrl, namespace);
  }

  public static boolean installed() {
    return Files.isExecutable(KUBECTL);
  }

  /** kubectl with these arguments, not started yet. */
  public ProcessBuilder command(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", dir.toString());
    return pb;
  }

  /**
   * Runs kubectl to its end with {@code stdin}, or none when null. Three minutes at most: enough
   * for a command given its own {@code --timeout} of two, as {@code kubectl drain} is.
   */
  public Result run(String stdin, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", "");
    Path err = Files.createTempFile(dir, "err", "");
    Process p = command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
    }
    Result r =
        new Result(p.exitValue(), Files.readString(out).trim(), Files.readString(err).trim());
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /** Runs kubectl, fails the test unless it exits 0, and returns its standard output. */
  public String ok(String... args) throws IOException, InterruptedException {
    Result r = run(null, args);
    assertEquals(0, r.exit(), r.err());
    return r.out();
  }

  /** Writes a kubeconfig for the server at {@code serverUrl} with an empty user. */
  public static Path writeKubeconfig(Path file, String serverUrl, String namespace)
      throws IOException {
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
        contexts:
        - name: test
          context:
            cluster: test
            user: test
            namespace: %s
        current-context: test
        users:
        - name: test
          user: {}
        """
            .formatted(serverUrl, namespace));
  }
}
