package dev.skiff.apiserver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kubeconfig for a test server that trusts every request: one cluster and a user with nothing.
 */
public final class PlainKubeconfig {
  private PlainKubeconfig() {}

  /** Writes it to {@code file}, its context in {@code namespace}, and returns the file. */
  public static Path write(Path file, String serverUrl, String namespace) throws IOException {
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
