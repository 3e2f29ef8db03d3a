package dev.skiff.apiserver.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.Keytool;
import dev.skiff.apiserver.testing.MemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** The API server shows kubelets the client certificate it is configured with, and only that. */
class KubeletClientCertificateTest {
  private static final String SUBJECT = "CN=kube-apiserver-kubelet-client,O=system:masters";

  @Test
  void kubeletsSeeTheConfiguredClientCertificate() throws Exception {
    Path dir = Files.createTempDirectory("kubelet-client-cert-test");
    KeyStore keys =
        Keytool.addKey(dir.resolve("apiserver.p12"), "apiserver", SUBJECT, "SAN=ip:127.0.0.1");
    KeyStore clientCas = KeyStore.getInstance("PKCS12");
    clientCas.load(null, null);
    clientCas.setCertificateEntry("apiserver", keys.getCertificate("apiserver"));
    try (StandInKubelet kubelet = new StandInKubelet(dir, clientCas);
        MemoryStore store = new MemoryStore()) {
      ApiServer api =
          new ApiServer(
              ApiServerConfig.plainHttp(0).withKubeletClient(keys, "changeit".toCharArray()),
              store,
              new BuiltinRegistry());
      api.start();
      try {
        String base = "http://127.0.0.1:" + api.port();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String node =
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-a\"},"
                + "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
                + kubelet.port()
                + "}}}}";
        send(http, "POST", base + "/api/v1/nodes", node);
        send(http, "PUT", base + "/api/v1/nodes/node-a/status", node);
        String pod =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"nodeName\":\"node-a\",\"containers\":[{\"name\":\"app\",\"image\":\"x\"}]},"
                + "\"status\":{\"containerStatuses\":[{\"name\":\"app\",\"image\":\"x\",\"imageID\":\"\","
                + "\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]}}";
        send(http, "POST", base + "/api/v1/namespaces/default/pods", pod);
        send(http, "PUT", base + "/api/v1/namespaces/default/pods/web/status", pod);
        HttpResponse<String> logs =
            send(http, "GET", base + "/api/v1/namespaces/default/pods/web/log", null);
        assertEquals("first line\n", logs.body());
        assertEquals(SUBJECT, kubelet.clientSubjects.take());
      } finally {
        api.close();
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static HttpResponse<String> send(HttpClient http, String method, String url, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(true, r.statusCode() < 300, method + " " + url + ": " + r.body());
    return r;
  }
}
