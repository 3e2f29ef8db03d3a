package dev.skiff.cli.kubeconfig;

import dev.skiff.cli.host.AtomicFile;
import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.cli.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * A kubeconfig for one cluster, user and context, all named after the cluster; written on its own
 * and merged into an existing kubeconfig the way {@code kubectl config} would.
 */
public final class Kubeconfig {
  private final String name;
  private final Map<String, Object> cluster;
  private final Map<String, Object> user;

  public Kubeconfig(String name, String server, ClusterPki pki, ClusterPki.Leaf client) {
    this(name, server, pki.caCertificate(), client.certificate(), client.key());
  }

  /** For a client whose certificate came from elsewhere, such as a joined node's. */
  public Kubeconfig(
      String name, String server, X509Certificate ca, X509Certificate certificate, PrivateKey key) {
    this.name = name;
    this.cluster = new LinkedHashMap<>();
    cluster.put("certificate-authority-data", base64(Pem.encode(ca)));
    cluster.put("server", server);
    this.user = new LinkedHashMap<>();
    user.put("client-certificate-data", base64(Pem.encode(certificate)));
    user.put("client-key-data", base64(Pem.encode(key)));
  }

  /** Writes a kubeconfig holding only this cluster. */
  public void write(Path file) throws IOException {
    save(file, mergeInto(new LinkedHashMap<>()));
  }

  /**
   * Adds or replaces this cluster, user and context in {@code file} (created if absent) and makes
   * it the current context; other entries are kept as they were.
   */
  public void merge(Path file) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      Object loaded =
          new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      if (loaded instanceof Map<?, ?> m) {
        m.forEach((k, v) -> doc.put(String.valueOf(k), v));
      }
    }
    save(file, mergeInto(doc));
  }

  private Map<String, Object> mergeInto(Map<String, Object> doc) {
    doc.put("apiVersion", "v1");
    doc.put("kind", "Config");
    upsert(doc, "clusters", "cluster", cluster);
    upsert(doc, "users", "user", user);
    upsert(doc, "contexts", "context", Map.of("cluster", name, "user", name));
    doc.put("current-context", name);
    doc.putIfAbsent("preferences", Map.of());
    return doc;
  }

  private void upsert(Map<String, Object> doc, String listKey, String itemKey, Object value) {
    List<Object> items = new ArrayList<>();
    if (doc.get(listKey) instanceof List<?> existing) {
      for (Object item : existing) {
        if (!(item instanceof Map<?, ?> m && name.equals(m.get("name")))) {
          items.add(item);
        }
      }
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", name);
    entry.put(itemKey, value);
    items.add(entry);
    doc.put(listKey, items);
  }

  private static void save(Path file, Map<String, Object> doc) throws IOException {
    String yaml =
        new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build())
            .dumpToString(doc);
    AtomicFile.write(file, yaml, true);
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
