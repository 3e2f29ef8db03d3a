package dev.skiff.apiserver.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Upstream's {@code apiserver.config.k8s.io/v1} EncryptionConfiguration, the file {@code
 * --encryption-provider-config} names: for each group of resources, its providers in order; the
 * first encrypts new writes, all of them are tried to read. Skiff reads any such file and writes
 * the one it manages itself (AES-GCM keys, newest first, then identity).
 *
 * @param resources the resources covered, as upstream spells them ({@code secrets})
 * @param providers in order; the first encrypts
 */
public record EncryptionConfiguration(Set<String> resources, List<Provider> providers) {
  /** The file Skiff keeps in its data dir. */
  public static final String FILE = "encryption-config.yaml";

  /**
   * One provider: {@code aesgcm}, {@code aescbc} or {@code identity}, with its keys (none for
   * identity), the first of which encrypts.
   */
  public record Provider(String type, List<Key> keys) {}

  /** A named 16, 24 or 32 byte AES key. */
  public record Key(String name, byte[] secret) {}

  /**
   * Reads an EncryptionConfiguration; only the first resources entry that covers {@code secrets} is
   * used, since secrets are what Skiff encrypts.
   *
   * @throws IllegalArgumentException with a message naming what is wrong in the file
   */
  public static EncryptionConfiguration read(Path file) throws IOException {
    JsonNode doc = new YAMLMapper().readTree(file.toFile());
    if (doc == null || !"EncryptionConfiguration".equals(doc.path("kind").asText())) {
      throw new IllegalArgumentException(file + ": not an EncryptionConfiguration");
    }
    for (JsonNode entry : doc.path("resources")) {
      Set<String> covered = new java.util.TreeSet<>();
      entry.path("resources").forEach(r -> covered.add(r.asText()));
      if (!covered.contains("secrets") && !covered.contains("*.*")) {
        continue;
      }
      List<Provider> providers = new ArrayList<>();
      for (JsonNode p : entry.path("providers")) {
        providers.add(provider(file, p));
      }
      if (providers.isEmpty()) {
        throw new IllegalArgumentException(file + ": no providers for secrets");
      }
      return new EncryptionConfiguration(covered, providers);
    }
    throw new IllegalArgumentException(file + ": no resources entry covers secrets");
  }

  private static Provider provider(Path file, JsonNode p) {
    if (p.has("identity")) {
      return new Provider("identity", List.of());
    }
    for (String type : List.of("aesgcm", "aescbc")) {
      if (!p.has(type)) {
        continue;
      }
      List<Key> keys = new ArrayList<>();
      for (JsonNode k : p.path(type).path("keys")) {
        byte[] secret;
        try {
          secret = Base64.getDecoder().decode(k.path("secret").asText());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              file + ": key " + k.path("name").asText() + " is not base64");
        }
        if (secret.length != 16 && secret.length != 24 && secret.length != 32) {
          throw new IllegalArgumentException(
              file
                  + ": key "
                  + k.path("name").asText()
                  + " must be 16, 24 or 32 bytes, not "
                  + secret.length);
        }
        keys.add(new Key(k.path("name").asText(), secret));
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(file + ": " + type + " provider without keys");
      }
      return new Provider(type, keys);
    }
    throw new IllegalArgumentException(
        file + ": unsupported provider " + p.fieldNames().next() + " (aesgcm, aescbc, identity)");
  }

  /** A configuration with one new AES-GCM key that reads data written before encryption. */
  public static EncryptionConfiguration generate() {
    return new EncryptionConfiguration(
        Set.of("secrets"),
        List.of(
            new Provider("aesgcm", List.of(newKey("key-1"))), new Provider("identity", List.of())));
  }

  /** This configuration with a new AES-GCM key first; every old key stays to read old data. */
  public EncryptionConfiguration rotated() {
    int highest = 0;
    for (Provider p : providers) {
      for (Key k : p.keys()) {
        if (k.name().matches("key-[0-9]{1,9}")) {
          highest = Math.max(highest, Integer.parseInt(k.name().substring(4)));
        }
      }
    }
    List<Provider> next = new ArrayList<>();
    List<Key> gcm = new ArrayList<>();
    gcm.add(newKey("key-" + (highest + 1)));
    for (Provider p : providers) {
      if (p.type().equals("aesgcm")) {
        gcm.addAll(p.keys());
      }
    }
    next.add(new Provider("aesgcm", gcm));
    for (Provider p : providers) {
      if (!p.type().equals("aesgcm")) {
        next.add(p);
      }
    }
    return new EncryptionConfiguration(resources, next);
  }

  private static Key newKey(String name) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new Key(name, secret);
  }

  /** The provider type and key that encrypt new writes, e.g. {@code aesgcm/key-1}. */
  public String primary() {
    Provider first = providers.getFirst();
    return first.keys().isEmpty()
        ? first.type()
        : first.type() + "/" + first.keys().getFirst().name();
  }

  /** Writes the file atomically, readable by its owner only, as it holds the keys. */
  public void write(Path file) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: apiserver.config.k8s.io/v1\n");
    y.append("kind: EncryptionConfiguration\n");
    y.append("resources:\n  - resources:\n");
    for (String r : new java.util.TreeSet<>(resources)) {
      y.append("      - ").append(r).append('\n');
    }
    y.append("    providers:\n");
    for (Provider p : providers) {
      if (p.keys().isEmpty()) {
        y.append("      - ").append(p.type()).append(": {}\n");
        continue;
      }
      y.append("      - ").append(p.type()).append(":\n          keys:\n");
      for (Key k : p.keys()) {
        y.append("            - name: ").append(k.name()).append('\n');
        y.append("              secret: ")
            .append(Base64.getEncoder().encodeToString(k.secret()))
            .append('\n');
      }
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, y);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
