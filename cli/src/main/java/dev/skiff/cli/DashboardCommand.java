package dev.skiff.cli;

import dev.skiff.cli.host.DataDir;
import dev.skiff.dashboard.proxy.ApiProxy;
import dev.skiff.dashboard.proxy.Upstream;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff dashboard}: the web dashboard on a loopback port, signed in with the admin
 * kubeconfig's credentials, as {@code kubectl proxy} serves the API. The same UI is at {@code /ui/}
 * on the API server for users who sign in with a bearer token.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the web dashboard on this machine, acting as the kubeconfig's user (as kubectl"
          + " proxy does), and print its URL.",
      "Only loopback clients are served. Users without the kubeconfig can open /ui/ on the API"
          + " server and sign in with a bearer token."
    })
final class DashboardCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Loopback port to serve on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = 8001;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The server's data dir (default: ${DEFAULT-VALUE}).")
  Path dataDir = DataDir.defaultPath();

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig whose current context to act as (default: <data-dir>/kubeconfig.yaml).")
  Path kubeconfig;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new UserError("--port must be between 0 and 65535, not " + port);
    }
    Upstream upstream = upstream();
    ApiProxy proxy;
    try {
      proxy = ApiProxy.start(port, upstream);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage() + "; pass another --port", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "dashboard-shutdown"));
    System.out.println("Dashboard for " + upstream.server() + " at " + proxy.url());
    System.out.println("Open it in a browser on this machine; Ctrl-C stops it.");
    System.out.flush();
    proxy.join();
    return 0;
  }

  private Upstream upstream() {
    Path file = kubeconfig != null ? kubeconfig : dataDir.resolve("kubeconfig.yaml");
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          "no kubeconfig at " + file + "; is the server set up here? (or pass --kubeconfig)");
    }
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return new Upstream(
          URI.create(config.getMasterUrl()),
          SSLUtils.sslContext(config),
          config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken());
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new UserError("cannot use the credentials in " + file + ": " + e.getMessage(), e);
    }
  }
}
