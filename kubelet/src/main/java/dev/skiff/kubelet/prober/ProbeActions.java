package dev.skiff.kubelet.prober;

import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ExecSyncResponse;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The actions behind probes and lifecycle hooks: exec in the container, HTTP GET and TCP connect to
 * the pod. HTTPS probes do not verify certificates, as upstream's.
 */
public final class ProbeActions {
  private final ContainerRuntime runtime;
  private final HttpClient http;

  /** The outcome of one action; {@code output} explains a failure. */
  public record Result(boolean success, String output) {}

  public ProbeActions(ContainerRuntime runtime) {
    this.runtime = runtime;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .sslContext(trustAll())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  public Result exec(String containerId, List<String> command, Duration timeout) {
    try {
      ExecSyncResponse r = runtime.execSync(containerId, command, timeout);
      String out = (r.stdoutText() + r.stderrText()).strip();
      if (r.exitCode() == 0) {
        return new Result(true, out);
      }
      return new Result(
          false, "command " + quote(command) + " exited with " + r.exitCode() + ": " + out);
    } catch (RuntimeException e) {
      return new Result(false, "command " + quote(command) + " failed: " + e.getMessage());
    }
  }

  public Result httpGet(HTTPGetAction a, Container c, String podIp, Duration timeout) {
    String host = a.getHost() == null || a.getHost().isEmpty() ? podIp : a.getHost();
    String scheme = a.getScheme() == null ? "http" : a.getScheme().toLowerCase(Locale.ROOT);
    String path = a.getPath() == null || a.getPath().isEmpty() ? "/" : a.getPath();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    int port;
    try {
      port = port(a.getPort(), c);
    } catch (IllegalArgumentException e) {
      return new Result(false, e.getMessage());
    }
    String url = scheme + "://" + hostPort(host, port) + path;
    try {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("User-Agent", "kube-probe/1.32")
              .GET();
      a.getHttpHeaders().forEach(h -> req.setHeader(h.getName(), h.getValue()));
      HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      int code = resp.statusCode();
      if (code >= 200 && code < 400) {
        return new Result(true, "");
      }
      return new Result(false, "HTTP probe failed with statuscode: " + code);
    } catch (IOException e) {
      return new Result(false, "Get \"" + url + "\": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }

  public Result tcp(String host, IntOrString portRef, Container c, Duration timeout) {
    int port;
    try {
      port = port(portRef, c);
    } catch (IllegalArgumentException e) {
      return new Result(false, e.getMessage());
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return new Result(true, "");
    } catch (IOException e) {
      return new Result(false, "dial tcp " + hostPort(host, port) + ": " + e.getMessage());
    }
  }

  /** A numeric port, or a named one looked up in the container's ports. */
  static int port(IntOrString ref, Container c) {
    if (ref == null) {
      throw new IllegalArgumentException("probe has no port");
    }
    if (ref.getIntVal() != null) {
      return ref.getIntVal();
    }
    String name = ref.getStrVal();
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return c.getPorts().stream()
          .filter(p -> name.equals(p.getName()))
          .map(p -> p.getContainerPort())
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "couldn't find port: " + name + " in " + c.getName()));
    }
  }

  static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String quote(List<String> command) {
    return "'" + String.join(" ", command) + "'";
  }

  private static SSLContext trustAll() {
    TrustManager tm =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
