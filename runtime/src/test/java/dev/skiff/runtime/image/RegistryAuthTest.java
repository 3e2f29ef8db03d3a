package dev.skiff.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.skiff.runtime.AuthConfig;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token auth, manifest lists and digest checks against a scripted registry on loopback that serves
 * the busybox test image and demands a bearer token from its token realm.
 */
class RegistryAuthTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "tok-" + System.nanoTime();
  @TempDir Path dir;
  HttpServer server;
  String host;
  final Map<String, byte[]> manifests = new HashMap<>();
  final Map<String, byte[]> blobs = new HashMap<>();

  @BeforeEach
  void serve() throws Exception {
    TestImages.assumeRoot();
    Path archive = dir.resolve("archive");
    Files.createDirectories(archive);
    new LayerUnpacker().extract(TestImages.busyboxArchive(), archive);
    var entry = JSON.readTree(archive.resolve("manifest.json").toFile()).get(0);
    byte[] config = Files.readAllBytes(archive.resolve(entry.get("Config").asText()));
    byte[] layer = Files.readAllBytes(archive.resolve(entry.get("Layers").get(0).asText()));
    blobs.put(LayerUnpacker.digest(config), config);
    blobs.put(LayerUnpacker.digest(layer), layer);
    byte[] manifest = manifest(config, LayerUnpacker.digest(layer), layer.length);
    manifests.put("1.35", manifest);
    manifests.put(LayerUnpacker.digest(manifest), manifest);
    ObjectNode list =
        JSON.createObjectNode()
            .put("schemaVersion", 2)
            .put("mediaType", "application/vnd.docker.distribution.manifest.list.v2+json");
    var entries = list.putArray("manifests");
    entries
        .addObject()
        .put("digest", "sha256:" + "1".repeat(64))
        .put("size", 10)
        .putObject("platform")
        .put("os", "linux")
        .put("architecture", "arm64");
    entries
        .addObject()
        .put("digest", LayerUnpacker.digest(manifest))
        .put("size", manifest.length)
        .putObject("platform")
        .put("os", "linux")
        .put("architecture", "amd64");
    manifests.put("multi", JSON.writeValueAsBytes(list));
    byte[] corruptLayer = "not the layer".getBytes(StandardCharsets.UTF_8);
    String lie = "sha256:" + "2".repeat(64);
    blobs.put(lie, corruptLayer);
    manifests.put("corrupt", manifest(config, lie, corruptLayer.length));

    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    host = "127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::registry);
    server.start();
  }

  static byte[] manifest(byte[] config, String layerDigest, long layerSize) throws IOException {
    ObjectNode m =
        JSON.createObjectNode()
            .put("schemaVersion", 2)
            .put("mediaType", "application/vnd.docker.distribution.manifest.v2+json");
    m.putObject("config")
        .put("mediaType", "application/vnd.docker.container.image.v1+json")
        .put("digest", LayerUnpacker.digest(config))
        .put("size", config.length);
    m.putArray("layers")
        .addObject()
        .put("mediaType", "application/vnd.docker.image.rootfs.diff.tar")
        .put("digest", layerDigest)
        .put("size", layerSize);
    return JSON.writeValueAsBytes(m);
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  void token(HttpExchange x) throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
    boolean ok =
        expected.equals(x.getRequestHeaders().getFirst("Authorization"))
            && x.getRequestURI()
                .getRawQuery()
                .contains("scope=repository%3Alibrary%2Fbusybox%3Apull")
            && x.getRequestURI().getRawQuery().contains("service=skiff-test");
    reply(
        x,
        ok ? 200 : 401,
        ok ? ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8) : new byte[0]);
  }

  void registry(HttpExchange x) throws IOException {
    if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
      x.getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer realm=\"http://"
                  + host
                  + "/token\",service=\"skiff-test\",scope=\"repository:library/busybox:pull\"");
      reply(x, 401, new byte[0]);
      return;
    }
    String path = x.getRequestURI().getPath();
    String prefix = "/v2/library/busybox/";
    byte[] body = null;
    if (path.startsWith(prefix + "manifests/"))
      body = manifests.get(path.substring((prefix + "manifests/").length()));
    if (path.startsWith(prefix + "blobs/"))
      body = blobs.get(path.substring((prefix + "blobs/").length()));
    reply(x, body == null ? 404 : 200, body == null ? new byte[0] : body);
  }

  static void reply(HttpExchange x, int status, byte[] body) throws IOException {
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) x.getResponseBody().write(body);
    x.close();
  }

  LocalImageService images() {
    return new LocalImageService(
        new ImageStore(dir.resolve("store"), new LayerUnpacker()), new RegistryClient(), null);
  }

  @Test
  void getsABearerTokenWithBasicCredentials() {
    var images = images();
    String id =
        images.pullImage(
            new ImageSpec(host + "/library/busybox:1.35"),
            AuthConfig.basic("alice", "secret"),
            null);
    assertEquals(
        List.of(host + "/library/busybox:1.35"),
        images.imageStatus(new ImageSpec(id)).orElseThrow().repoTags());
  }

  @Test
  void wrongPasswordIsAccessDenied() {
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () ->
                images()
                    .pullImage(
                        new ImageSpec(host + "/library/busybox:1.35"),
                        AuthConfig.basic("alice", "wrong"),
                        null));
    assertTrue(
        e.getMessage().startsWith("pull access denied for " + host + "/library/busybox"),
        e.getMessage());
  }

  @Test
  void manifestListResolvesToThisPlatform() {
    var images = images();
    String id =
        images.pullImage(
            new ImageSpec(host + "/library/busybox:multi"),
            AuthConfig.basic("alice", "secret"),
            null);
    assertTrue(
        images
            .imageStatus(new ImageSpec(id))
            .orElseThrow()
            .repoDigests()
            .getFirst()
            .equals(host + "/library/busybox@" + LayerUnpacker.digest(manifests.get("multi"))));
  }

  @Test
  void corruptLayerIsRejectedAndNothingStored() {
    var images = images();
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () ->
                images.pullImage(
                    new ImageSpec(host + "/library/busybox:corrupt"),
                    AuthConfig.basic("alice", "secret"),
                    null));
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
    assertTrue(images.listImages(null).isEmpty());
  }
}
