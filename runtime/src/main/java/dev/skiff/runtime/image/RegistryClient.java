package dev.skiff.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.AuthConfig;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerRuntimeException.Code;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls images over the registry HTTP API v2: resolves manifest lists/OCI indexes to linux/amd64,
 * accepts Docker and OCI media types, authenticates with bearer tokens (from the registry's token
 * realm) or basic auth, verifies every digest, and skips layers already stored. Registries on
 * loopback are spoken to over plain HTTP, others over HTTPS.
 */
public final class RegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json");
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final HttpClient http;

  public RegistryClient(HttpClient http) {
    this.http = http;
  }

  public RegistryClient() {
    this(
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build());
  }

  /** Pulls {@code ref} into {@code store}; returns the stored image. */
  public StoredImage pull(
      ImageReference ref, AuthConfig auth, ImageStore store, Consumer<PullProgress> progress) {
    Session s = new Session(ref, auth);
    String reference = ref.digest() != null ? ref.digest() : ref.tag();
    byte[] top = s.get("/manifests/" + reference, ACCEPT, "manifest for " + ref);
    String topDigest = LayerUnpacker.digest(top);
    if (ref.digest() != null && !ref.digest().equals(topDigest)) {
      throw new ContainerRuntimeException(
          Code.INVALID_ARGUMENT, "manifest digest mismatch for " + ref + ": got " + topDigest);
    }
    JsonNode manifest = parse(top, ref);
    if (manifest.has("manifests")) {
      String digest = Platforms.select(manifest).path("digest").asText();
      byte[] body = s.get("/manifests/" + digest, ACCEPT, "manifest " + digest);
      verify(body, digest);
      manifest = parse(body, ref);
    }
    if (manifest.path("schemaVersion").asInt() != 2 || !manifest.has("config")) {
      throw new ContainerRuntimeException(
          Code.INVALID_ARGUMENT,
          "unsupported manifest for "
              + ref
              + " (only schema 2 Docker and OCI images are supported)");
    }
    String configDigest = manifest.path("config").path("digest").asText();
    byte[] config = s.get("/blobs/" + configDigest, "*/*", "config " + configDigest);
    verify(config, configDigest);
    List<String> diffIds = new ArrayList<>();
    parse(config, ref).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
    JsonNode layers = manifest.path("layers");
    if (layers.size() != diffIds.size()) {
      throw new ContainerRuntimeException(
          Code.INVALID_ARGUMENT,
          "manifest of "
              + ref
              + " lists "
              + layers.size()
              + " layers, its config "
              + diffIds.size());
    }
    Path work = store.tempDir();
    try {
      List<Path> blobs = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        if (store.hasLayer(diffIds.get(i))) {
          blobs.add(null);
          continue;
        }
        JsonNode layer = layers.get(i);
        String digest = layer.path("digest").asText();
        Path blob = work.resolve(ImageStore.hex(digest));
        s.download("/blobs/" + digest, blob, digest, layer.path("size").asLong(-1), progress);
        blobs.add(blob);
      }
      List<String> tags = ref.tag() == null ? List.of() : List.of(ref.tagged());
      return store.addImage(config, blobs, tags, List.of(ref.name() + "@" + topDigest));
    } finally {
      ImageStore.deleteTree(work);
    }
  }

  private static void verify(byte[] body, String digest) {
    String actual = LayerUnpacker.digest(body);
    if (!actual.equals(digest)) {
      throw new ContainerRuntimeException(
          Code.INVALID_ARGUMENT, "digest mismatch: expected " + digest + ", got " + actual);
    }
  }

  private static JsonNode parse(byte[] body, ImageReference ref) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new ContainerRuntimeException(Code.INVALID_ARGUMENT, "invalid manifest for " + ref);
    }
  }

  /** One pull's connection state: the repository's base URL and the credential that works. */
  private final class Session {
    private final ImageReference ref;
    private final AuthConfig auth;
    private final String base;
    private String authorization;

    Session(ImageReference ref, AuthConfig auth) {
      this.ref = ref;
      this.auth = auth;
      String host =
          ref.registry().equals(ImageReference.DEFAULT_REGISTRY)
              ? "registry-1.docker.io"
              : ref.registry();
      boolean loopback =
          host.startsWith("localhost") || host.startsWith("127.") || host.startsWith("[::1]");
      this.base = (loopback ? "http://" : "https://") + host + "/v2/" + ref.repository();
      if (auth != null && auth.registryToken() != null && !auth.registryToken().isEmpty()) {
        authorization = "Bearer " + auth.registryToken();
      }
    }

    byte[] get(String path, String accept, String what) {
      HttpResponse<byte[]> r = send(path, accept, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 404) {
        throw new ContainerRuntimeException(
            Code.NOT_FOUND, "failed to resolve reference \"" + ref + "\": " + what + " not found");
      }
      check(r.statusCode(), what);
      return r.body();
    }

    void download(
        String path, Path target, String digest, long size, Consumer<PullProgress> progress) {
      HttpResponse<InputStream> r = send(path, "*/*", HttpResponse.BodyHandlers.ofInputStream());
      check(r.statusCode(), "layer " + digest);
      MessageDigest md = LayerUnpacker.sha256();
      long total = 0;
      try (InputStream in = r.body();
          OutputStream out = Files.newOutputStream(target)) {
        byte[] buf = new byte[1 << 16];
        int n;
        long reported = 0;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          md.update(buf, 0, n);
          total += n;
          if (progress != null && total - reported >= 1 << 20) {
            progress.accept(new PullProgress(ref.toString(), digest, total, size, false));
            reported = total;
          }
        }
      } catch (IOException e) {
        throw new ContainerRuntimeException(
            Code.UNAVAILABLE, "downloading " + digest + ": " + e.getMessage(), e);
      }
      String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
      if (!actual.equals(digest)) {
        throw new ContainerRuntimeException(
            Code.INVALID_ARGUMENT, "layer digest mismatch: expected " + digest + ", got " + actual);
      }
      if (progress != null)
        progress.accept(new PullProgress(ref.toString(), digest, total, size, true));
    }

    private void check(int status, String what) {
      if (status == 401 || status == 403) {
        throw new ContainerRuntimeException(
            Code.FAILED_PRECONDITION,
            "pull access denied for " + ref.name() + ": " + what + ": unauthorized");
      }
      if (status / 100 != 2) {
        throw new ContainerRuntimeException(
            Code.UNAVAILABLE, "registry answered " + status + " for " + what);
      }
    }

    private <T> HttpResponse<T> send(
        String path, String accept, HttpResponse.BodyHandler<T> handler) {
      HttpResponse<T> r = request(path, accept, handler);
      if (r.statusCode() == 401) {
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (authenticate(challenge)) r = request(path, accept, handler);
      }
      return r;
    }

    private <T> HttpResponse<T> request(
        String path, String accept, HttpResponse.BodyHandler<T> handler) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Accept", accept);
      if (authorization != null) b.header("Authorization", authorization);
      try {
        return http.send(b.GET().build(), handler);
      } catch (IOException e) {
        throw new ContainerRuntimeException(
            Code.UNAVAILABLE, "cannot reach registry " + ref.registry() + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerRuntimeException(Code.UNAVAILABLE, "interrupted");
      }
    }

    /** Answers a 401 challenge; false when there is nothing (new) to try. */
    private boolean authenticate(String challenge) {
      String basic = basicCredentials();
      if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
        if (basic == null || ("Basic " + basic).equals(authorization)) return false;
        authorization = "Basic " + basic;
        return true;
      }
      if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) return false;
      Map<String, String> params = new HashMap<>();
      Matcher m = PARAM.matcher(challenge);
      while (m.find()) params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
      String realm = params.get("realm");
      if (realm == null) return false;
      String scope = params.getOrDefault("scope", "repository:" + ref.repository() + ":pull");
      StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
      if (params.containsKey("service"))
        url.append("service=").append(enc(params.get("service"))).append('&');
      url.append("scope=").append(enc(scope));
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).timeout(TIMEOUT);
      if (basic != null) b.header("Authorization", "Basic " + basic);
      try {
        HttpResponse<byte[]> r =
            http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
          throw new ContainerRuntimeException(
              Code.FAILED_PRECONDITION,
              "pull access denied for " + ref.name() + ": token server answered " + r.statusCode());
        }
        JsonNode token = JSON.readTree(r.body());
        String value = token.path("token").asText(token.path("access_token").asText(""));
        if (value.isEmpty() || ("Bearer " + value).equals(authorization)) return false;
        authorization = "Bearer " + value;
        return true;
      } catch (IOException e) {
        throw new ContainerRuntimeException(
            Code.UNAVAILABLE, "cannot reach token server " + realm, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ContainerRuntimeException(Code.UNAVAILABLE, "interrupted");
      }
    }

    private String basicCredentials() {
      if (auth == null) return null;
      if (auth.auth() != null && !auth.auth().isEmpty()) return auth.auth();
      if (auth.username() == null || auth.username().isEmpty()) return null;
      String pw = auth.password() == null ? "" : auth.password();
      return Base64.getEncoder()
          .encodeToString((auth.username() + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
