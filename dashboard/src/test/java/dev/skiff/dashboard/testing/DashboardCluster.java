package dev.skiff.dashboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.auth.AuthOptions;
import dev.skiff.dashboard.DashboardHandler;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * A real API server on a loopback port (plain HTTP, SQLite in a temporary directory) serving the
 * dashboard at /ui/, with one fake node whose kubelet serves logs, and helpers that write objects
 * as the controllers and kubelet would, so pages have something to show.
 */
public final class DashboardCluster implements AutoCloseable {
  public static final String NODE = "node-a";

  /** With {@link #withAuth()}: a token of a user in system:masters. */
  public static final String ADMIN_TOKEN = "dashboard-test-admin-token-0123456789";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Store store;
  private final ApiServer api;
  private final LogKubelet kubelet;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String token;

  /** Trusts every request, as in-process tests do. */
  public static DashboardCluster open() throws Exception {
    return new DashboardCluster(false);
  }

  /** Authenticates every request; {@link #ADMIN_TOKEN} is an admin's bearer token. */
  public static DashboardCluster withAuth() throws Exception {
    return new DashboardCluster(true);
  }

  private DashboardCluster(boolean auth) throws Exception {
    dir = Files.createTempDirectory("skiff-dashboard-test");
    store = Stores.open(null, dir);
    ApiServerConfig config = ApiServerConfig.plainHttp(0);
    if (auth) {
      Files.writeString(
          dir.resolve("tokens.csv"), ADMIN_TOKEN + ",dashboard-admin,admin-uid,system:masters\n");
      config =
          config.withAuth(AuthOptions.forDataDir(dir).withTokenAuthFile(dir.resolve("tokens.csv")));
    }
    token = auth ? ADMIN_TOKEN : null;
    api = new ApiServer(config, store, new BuiltinRegistry());
    api.addPublicHandler(new DashboardHandler());
    LogKubelet started = null;
    try {
      api.start();
      started = new LogKubelet(dir);
      kubelet = started;
      addNode(NODE);
      if (auth) {
        addServiceAccount("default");
      }
    } catch (Exception | Error e) {
      if (started != null) {
        started.close();
      }
      api.close();
      store.close();
      deleteTree(dir);
      throw e;
    }
  }

  public String url() {
    return "http://127.0.0.1:" + api.port();
  }

  public LogKubelet kubelet() {
    return kubelet;
  }

  /** A Ready node with 4 CPUs, 8 GiB and room for 110 pods, whose kubelet is {@link #kubelet}. */
  public void addNode(String name) {
    String node =
        """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kubernetes.io/hostname":"%s"}},
         "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},
          "allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
          "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady",
            "lastHeartbeatTime":"%s","lastTransitionTime":"%s"}],
          "addresses":[{"type":"InternalIP","address":"127.0.0.1"},{"type":"Hostname","address":"%s"}],
          "daemonEndpoints":{"kubeletEndpoint":{"Port":%d}}}}
        """
            .formatted(name, name, now(), now(), name, kubelet.port());
    send("POST", "/api/v1/nodes", node);
    send("PUT", "/api/v1/nodes/" + name + "/status", node);
  }

  /**
   * A Deployment whose pods all run and are ready, as its controllers and the kubelet would have
   * made it: the Deployment with its status, and {@code replicas} Running pods it owns.
   */
  public void addRunningDeployment(String namespace, String name, int replicas) {
    String deployment =
        """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
          "template":{"metadata":{"labels":{"app":"%s"}},
           "spec":{"containers":[{"name":"app","image":"busybox:1.35",
             "resources":{"requests":{"cpu":"250m","memory":"128Mi"}}}]}}}}
        """
            .formatted(name, namespace, replicas, name, name);
    JsonNode created =
        send("POST", "/apis/apps/v1/namespaces/" + namespace + "/deployments", deployment);
    ((com.fasterxml.jackson.databind.node.ObjectNode) created)
        .set(
            "status",
            JSON.createObjectNode()
                .put("observedGeneration", created.path("metadata").path("generation").asLong(1))
                .put("replicas", replicas)
                .put("updatedReplicas", replicas)
                .put("readyReplicas", replicas)
                .put("availableReplicas", replicas));
    send(
        "PUT",
        "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + name + "/status",
        created.toString());
    for (int i = 0; i < replicas; i++) {
      addRunningPod(
          namespace,
          name + "-7d9c5b-" + (char) ('a' + i),
          name,
          created.path("metadata").path("uid").asText());
    }
  }

  /** A pod on {@link #NODE} that runs and is ready; owned by a Deployment when owner is given. */
  public void addRunningPod(String namespace, String name, String app, String ownerUid) {
    String owner =
        ownerUid == null
            ? ""
            : ",\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\""
                + app
                + "\",\"uid\":\""
                + ownerUid
                + "\",\"controller\":true}]";
    String pod =
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","labels":{"app":"%s"}%s},
         "spec":{"nodeName":"%s","containers":[{"name":"app","image":"busybox:1.35",
           "resources":{"requests":{"cpu":"250m","memory":"128Mi"}}}]},
         "status":{"phase":"Running","podIP":"10.42.0.%d",
          "conditions":[{"type":"Ready","status":"True"}],
          "containerStatuses":[{"name":"app","image":"busybox:1.35","imageID":"","ready":true,
            "restartCount":0,"started":true,"state":{"running":{"startedAt":"%s"}}}]}}
        """
            .formatted(
                name, namespace, app, owner, NODE, 10 + Math.floorMod(name.hashCode(), 200), now());
    send("POST", "/api/v1/namespaces/" + namespace + "/pods", pod);
    send("PUT", "/api/v1/namespaces/" + namespace + "/pods/" + name + "/status", pod);
  }

  /** A pending pod that waits for a node. */
  public void addPendingPod(String namespace, String name) {
    send(
        "POST",
        "/api/v1/namespaces/" + namespace + "/pods",
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"containers":[{"name":"app","image":"busybox:1.35"}]}}
        """
            .formatted(name, namespace));
  }

  /** A Warning event about a pod, as the scheduler or kubelet records one. */
  public void addWarning(String namespace, String pod, String reason, String message) {
    send(
        "POST",
        "/api/v1/namespaces/" + namespace + "/events",
        """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s.%s","namespace":"%s"},
         "involvedObject":{"kind":"Pod","namespace":"%s","name":"%s","apiVersion":"v1"},
         "reason":"%s","message":"%s","type":"Warning","count":1,
         "firstTimestamp":"%s","lastTimestamp":"%s","source":{"component":"kubelet"}}
        """
            .formatted(
                pod,
                reason.toLowerCase(),
                namespace,
                namespace,
                pod,
                reason,
                message,
                now(),
                now()));
  }

  public void createNamespace(String name) {
    send(
        "POST",
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}");
    if (token != null) {
      addServiceAccount(name);
    }
  }

  /** ServiceAccount admission (on with access control) wants the default account for pods. */
  private void addServiceAccount(String namespace) {
    send(
        "POST",
        "/api/v1/namespaces/" + namespace + "/serviceaccounts",
        "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}");
  }

  /** The object at path, or null when it does not exist. */
  public JsonNode get(String path) {
    HttpResponse<String> r = exchange("GET", path, null, null);
    if (r.statusCode() == 404) {
      return null;
    }
    return parse(r, "GET", path);
  }

  public JsonNode patch(String path, String mergePatch) {
    HttpResponse<String> r = exchange("PATCH", path, mergePatch, "application/merge-patch+json");
    return parse(r, "PATCH", path);
  }

  public JsonNode send(String method, String path, String body) {
    return parse(exchange(method, path, body, "application/json"), method, path);
  }

  private HttpResponse<String> exchange(String method, String path, String body, String type) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(HttpResponse<String> r, String method, String path) {
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() throws IOException {
    try {
      kubelet.close();
    } finally {
      api.close();
      store.close();
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
