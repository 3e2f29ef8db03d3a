package dev.skiff.kubelet.server;

import dev.skiff.kubelet.stats.SummaryProvider;
import dev.skiff.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kubelet's streaming server for node-a on a free loopback port, over a test's runtime. */
final class LoopbackStreamingServer implements AutoCloseable {
  private final Path logDir;
  private final StreamingServer server;

  LoopbackStreamingServer(ContainerRuntime runtime) throws IOException {
    logDir = Files.createTempDirectory("streaming-server");
    server =
        new StreamingServer(
            new ContainerLogs(runtime, logDir), new SummaryProvider(runtime, "node-a"), 0);
    server.start();
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(logDir);
  }
}
