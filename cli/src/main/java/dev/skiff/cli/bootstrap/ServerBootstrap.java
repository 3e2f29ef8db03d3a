package dev.skiff.cli.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.auth.AuthOptions;
import dev.skiff.apiserver.auth.ServiceAccountKey;
import dev.skiff.apiserver.encryption.EncryptingStore;
import dev.skiff.apiserver.encryption.EncryptionConfiguration;
import dev.skiff.cli.UserError;
import dev.skiff.cli.host.AtomicFile;
import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every server of one cluster must share (the cluster CA, the front-proxy CA, the
 * service-account key and the encryption config), kept in the datastore encrypted with the server
 * token, as k3s keeps its bootstrap data: the first server on a datastore publishes its files, and
 * a server joining later with the same {@code --token} writes the missing ones into its data dir.
 */
public final class ServerBootstrap {
  /** Outside {@code /registry/}: no API resource lists it. */
  static final String KEY = "/skiff/bootstrap";

  /** Where a server keeps the token, as k3s keeps {@code server/token}. */
  public static final String TOKEN_FILE = "token";

  /** The one shared file a server may change (secrets-encrypt rotate): its copy is published. */
  static final String ENCRYPTION_FILE = EncryptionConfiguration.FILE;

  /** Shared files, relative to the data dir. */
  static final List<String> FILES =
      List.of(
          "tls/ca.crt",
          "tls/ca.key",
          "tls/front-proxy-ca.crt",
          "tls/front-proxy-ca.key",
          "tls/service.key",
          ENCRYPTION_FILE);

  private static final Logger log = LoggerFactory.getLogger(ServerBootstrap.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ITERATIONS = 100_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ServerBootstrap() {}

  /**
   * Makes {@code dataDir} hold the cluster's shared files: from the datastore when another server
   * published them, else {@code createLocal} makes them here and they are published; files a later
   * server adds (encryption enabled on it) are published too. The token is {@code flagToken}, else
   * the one kept in {@code <data-dir>/token}, else (first server only) a new one; it is kept in
   * {@code <data-dir>/token} for restarts and further servers.
   *
   * @throws UserError when no token or a wrong one is given for a datastore that serves a cluster,
   *     or a local file differs from the cluster's
   */
  public static void sync(Store store, Path dataDir, String flagToken, LocalFiles createLocal)
      throws IOException {
    Path tokenFile = dataDir.resolve(TOKEN_FILE);
    String token = flagToken;
    if (token == null && Files.exists(tokenFile)) {
      token = Files.readString(tokenFile).trim();
    }
    Optional<KeyValue> published = store.get(KEY);
    if (token == null && published.isPresent()) {
      throw new UserError(
          "the datastore already serves a cluster: pass its server token with --token (in"
              + " <data-dir>/"
              + TOKEN_FILE
              + " on its first server)");
    }
    if (token == null) {
      token = newToken();
    }
    if (published.isPresent()) {
      Map<String, String> cluster = decrypt(published.get().value(), token);
      restore(dataDir, cluster);
      createLocal.create();
      // Encryption enabled here since (skiff secrets-encrypt) reaches servers that join later.
      Map<String, String> local = collect(dataDir);
      if (!cluster.keySet().containsAll(local.keySet())) {
        local.putAll(cluster);
        try {
          store.update(KEY, encrypt(local, token), published.get().modRevision(), 0);
        } catch (StorageException e) {
          throw new UserError(
              "cannot publish this server's shared files in the datastore: " + e.getMessage(), e);
        }
      }
    } else {
      createLocal.create();
      try {
        store.create(KEY, encrypt(collect(dataDir), token), 0);
      } catch (StorageException.KeyExists e) {
        // Another server published first: join its cluster instead.
        restore(dataDir, decrypt(store.get(KEY).orElseThrow().value(), token));
      }
    }
    if (!Files.exists(tokenFile) || !Files.readString(tokenFile).trim().equals(token)) {
      AtomicFile.write(tokenFile, token + "\n", true);
    }
  }

  /**
   * {@link #sync} for a server on an external datastore (a lone server on its embedded SQLite file
   * shares nothing): makes the first server's CAs, service-account key and, with {@code
   * secretsEncryption}, encryption config, or fetches them.
   */
  public static void syncThroughDatastore(
      Path dataDir,
      String endpoint,
      Path caFile,
      Path certFile,
      Path keyFile,
      String flagToken,
      boolean secretsEncryption)
      throws IOException {
    if (endpoint.isEmpty()) {
      return;
    }
    try (Store store = Stores.open(endpoint, dataDir, caFile, certFile, keyFile)) {
      sync(
          store,
          dataDir,
          flagToken,
          () -> {
            ClusterPki.loadOrCreate(dataDir);
            ServiceAccountKey.loadOrCreate(AuthOptions.forDataDir(dataDir).serviceAccountKeyFile());
            if (secretsEncryption) {
              EncryptingStore.ensureConfiguration(dataDir.resolve(EncryptionConfiguration.FILE));
            }
          });
    } catch (StorageException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /**
   * Makes the shared files a data dir still lacks: all of them on the first server; on a later one,
   * after the cluster's were written, only what it enables itself (encryption).
   */
  @FunctionalInterface
  public interface LocalFiles {
    void create() throws IOException;
  }

  /** A new random server token: 32 bytes, hex. */
  public static String newToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static Map<String, String> collect(Path dataDir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (String name : FILES) {
      Path p = dataDir.resolve(name);
      if (Files.exists(p)) {
        files.put(name, Files.readString(p));
      }
    }
    return files;
  }

  /** Writes the missing files, after checking that none present differs from the cluster's. */
  private static void restore(Path dataDir, Map<String, String> files) throws IOException {
    Map<Path, String> missing = new TreeMap<>();
    for (var e : files.entrySet()) {
      if (!FILES.contains(e.getKey())) {
        continue;
      }
      Path p = dataDir.resolve(e.getKey());
      if (!Files.exists(p)) {
        missing.put(p, e.getValue());
      } else if (Files.readString(p).equals(e.getValue())) {
        continue;
      } else if (e.getKey().equals(ENCRYPTION_FILE)) {
        // Rotated on this server since: each server keeps its own until rotated everywhere.
        log.warn("{} differs from the one other servers were given; rotate it on every server", p);
      } else {
        throw new UserError(
            p + " differs from the cluster's in the datastore; a server joins with a new data dir");
      }
    }
    for (var e : missing.entrySet()) {
      Files.createDirectories(e.getKey().getParent());
      AtomicFile.write(e.getKey(), e.getValue(), !e.getKey().toString().endsWith(".crt"));
    }
  }

  static byte[] encrypt(Map<String, String> files, String token) {
    try {
      byte[] salt = new byte[16];
      byte[] iv = new byte[12];
      RANDOM.nextBytes(salt);
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key(token, salt), new GCMParameterSpec(128, iv));
      byte[] sealed = c.doFinal(JSON.writeValueAsBytes(files));
      ObjectNode o = JSON.createObjectNode();
      o.put("salt", Base64.getEncoder().encodeToString(salt));
      o.put("iv", Base64.getEncoder().encodeToString(iv));
      o.put("data", Base64.getEncoder().encodeToString(sealed));
      return JSON.writeValueAsBytes(o);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot seal bootstrap data", e);
    }
  }

  static Map<String, String> decrypt(byte[] value, String token) {
    byte[] plain;
    try {
      var o = JSON.readTree(value);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          key(token, Base64.getDecoder().decode(o.path("salt").asText())),
          new GCMParameterSpec(128, Base64.getDecoder().decode(o.path("iv").asText())));
      plain = c.doFinal(Base64.getDecoder().decode(o.path("data").asText()));
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new UserError(
          "the datastore already serves a cluster and --token does not match its server token"
              + " (<data-dir>/token on its first server)");
    }
    try {
      Map<String, String> files = new TreeMap<>();
      JSON.readTree(plain).properties().forEach(e -> files.put(e.getKey(), e.getValue().asText()));
      return files;
    } catch (IOException e) {
      throw new IllegalStateException("bootstrap data in the datastore is not readable", e);
    }
  }

  private static SecretKeySpec key(String token, byte[] salt) throws GeneralSecurityException {
    var spec = new PBEKeySpec(token.toCharArray(), salt, ITERATIONS, 256);
    byte[] k =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    return new SecretKeySpec(k, "AES");
  }
}
