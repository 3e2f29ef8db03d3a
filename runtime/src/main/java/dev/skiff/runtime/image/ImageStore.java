package dev.skiff.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.ContainerRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The node's image store: image configs under {@code blobs/sha256}, each layer unpacked once under
 * {@code layers/<diff-id hex>/fs}, and an image record per config digest under {@code images/}.
 * Thread-safe; records survive restarts.
 */
public final class ImageStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final LayerUnpacker unpacker;

  public ImageStore(Path root, LayerUnpacker unpacker) {
    this.root = root;
    this.unpacker = unpacker;
    try {
      for (String d : List.of("blobs/sha256", "layers", "images", "tmp")) {
        Files.createDirectories(root.resolve(d));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open image store " + root, e);
    }
  }

  /**
   * The image records on disk, read afresh: {@code skiff images import} runs in another process
   * while the node serves, and each record is written atomically, so the directory is the truth.
   */
  private Map<String, StoredImage> images() {
    Map<String, StoredImage> images = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(root.resolve("images"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try {
          StoredImage img = JSON.readValue(f.toFile(), StoredImage.class);
          images.put(img.id(), img);
        } catch (java.nio.file.NoSuchFileException e) {
          // Removed by another process between listing and reading.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image store " + root, e);
    }
    return images;
  }

  public Path root() {
    return root;
  }

  /** A layer to commit: its blob on disk and the diff id the image config promises. */
  public record LayerSource(Path blob, String diffId) {}

  /**
   * Imports a {@code docker save} or OCI-layout archive; returns the images it held. Layers already
   * present are not unpacked again; every layer's digest is checked against the config.
   */
  public synchronized List<StoredImage> importArchive(Path archive) {
    if (!Files.isRegularFile(archive)) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "no such archive: " + archive);
    }
    Path work = tempDir();
    try {
      unpacker.extract(archive, work);
      if (Files.exists(work.resolve("manifest.json"))) return importDockerArchive(work);
      if (Files.exists(work.resolve("index.json"))) return importOciLayout(work);
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT,
          archive + " is neither a docker save archive nor an OCI image layout");
    } finally {
      deleteTree(work);
    }
  }

  private List<StoredImage> importDockerArchive(Path work) {
    List<StoredImage> out = new ArrayList<>();
    for (JsonNode entry : readJson(work.resolve("manifest.json"))) {
      Path config = inside(work, entry.path("Config").asText());
      List<Path> layers = new ArrayList<>();
      entry.path("Layers").forEach(l -> layers.add(inside(work, l.asText())));
      List<String> tags = new ArrayList<>();
      entry.path("RepoTags").forEach(t -> tags.add(ImageReference.parse(t.asText()).tagged()));
      out.add(addImage(readBytes(config), layers, tags, List.of()));
    }
    return out;
  }

  private List<StoredImage> importOciLayout(Path work) {
    List<StoredImage> out = new ArrayList<>();
    for (JsonNode desc : readJson(work.resolve("index.json")).path("manifests")) {
      JsonNode manifest = readJson(blob(work, desc.path("digest").asText()));
      if (manifest.has("manifests")) {
        manifest = readJson(blob(work, Platforms.select(manifest).path("digest").asText()));
      }
      List<Path> layers = new ArrayList<>();
      manifest.path("layers").forEach(l -> layers.add(blob(work, l.path("digest").asText())));
      List<String> tags = new ArrayList<>();
      JsonNode annotations = desc.path("annotations");
      String name = annotations.path("io.containerd.image.name").asText("");
      // ref.name is often a bare tag ("1.35"), which names no repository; only a full name counts.
      String refName = annotations.path("org.opencontainers.image.ref.name").asText("");
      if (name.isEmpty() && (refName.contains(":") || refName.contains("/"))) name = refName;
      if (!name.isEmpty()) tags.add(ImageReference.parse(name).tagged());
      byte[] config = readBytes(blob(work, manifest.path("config").path("digest").asText()));
      out.add(addImage(config, layers, tags, List.of()));
    }
    return out;
  }

  /**
   * Adds an image from its config and layer blobs (bottom first; null for a layer already stored),
   * verifying each layer's diff id, and points {@code tags} at it (moving them off any other
   * image).
   */
  public synchronized StoredImage addImage(
      byte[] configJson, List<Path> layerBlobs, List<String> tags, List<String> digests) {
    JsonNode config = parse(configJson);
    List<String> diffIds = new ArrayList<>();
    config.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
    if (diffIds.size() != layerBlobs.size()) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT,
          "image config lists "
              + diffIds.size()
              + " layers but "
              + layerBlobs.size()
              + " were given");
    }
    long size = 0;
    for (int i = 0; i < diffIds.size(); i++) size += commitLayer(layerBlobs.get(i), diffIds.get(i));
    String id = LayerUnpacker.digest(configJson);
    writeAtomically(root.resolve("blobs/sha256").resolve(hex(id)), configJson);
    StoredImage existing = images().get(id);
    List<String> allTags = new ArrayList<>(existing == null ? List.of() : existing.repoTags());
    List<String> allDigests =
        new ArrayList<>(existing == null ? List.of() : existing.repoDigests());
    for (String t : tags) {
      untagOthers(t, id);
      if (!allTags.contains(t)) allTags.add(t);
    }
    for (String d : digests) if (!allDigests.contains(d)) allDigests.add(d);
    StoredImage img = new StoredImage(id, allTags, allDigests, diffIds, imageConfig(config), size);
    save(img);
    return img;
  }

  private void untagOthers(String tag, String keep) {
    for (StoredImage other : images().values()) {
      if (!other.id().equals(keep) && other.repoTags().contains(tag)) {
        List<String> rest = new ArrayList<>(other.repoTags());
        rest.remove(tag);
        save(
            new StoredImage(
                other.id(),
                rest,
                other.repoDigests(),
                other.diffIds(),
                other.config(),
                other.size()));
      }
    }
  }

  /** Unpacks a layer unless present; returns its uncompressed size. */
  private long commitLayer(Path blob, String expectedDiffId) {
    Path dir = layerDir(expectedDiffId);
    try {
      if (Files.exists(dir.resolve("size")))
        return Long.parseLong(Files.readString(dir.resolve("size")).trim());
      if (blob == null) {
        throw new ContainerRuntimeException(
            ContainerRuntimeException.Code.INVALID_ARGUMENT,
            "layer " + expectedDiffId + " is missing");
      }
      String actual = LayerUnpacker.diffId(blob);
      if (!actual.equals(expectedDiffId)) {
        throw new ContainerRuntimeException(
            ContainerRuntimeException.Code.INVALID_ARGUMENT,
            "layer digest mismatch: config says " + expectedDiffId + ", content is " + actual);
      }
      Path tmp = root.resolve("tmp").resolve("layer-" + UUID.randomUUID());
      Files.createDirectories(tmp.resolve("fs"));
      try {
        unpacker.unpack(blob, tmp.resolve("fs"));
        long size = Files.size(blob);
        Files.writeString(tmp.resolve("size"), Long.toString(size));
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return size;
      } finally {
        deleteTree(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized List<StoredImage> list() {
    return List.copyOf(images().values());
  }

  /** Finds an image by id (or id hex), tag, or digest reference; short names are normalised. */
  public synchronized Optional<StoredImage> find(String ref) {
    if (ref == null || ref.isBlank()) return Optional.empty();
    if (ImageReference.isId(ref)) {
      String id = ref.startsWith("sha256:") ? ref : "sha256:" + ref;
      return Optional.ofNullable(images().get(id));
    }
    ImageReference r = ImageReference.parse(ref);
    for (StoredImage img : images().values()) {
      if (r.digest() != null
          ? img.repoDigests().contains(r.digested())
          : img.repoTags().contains(r.tagged())) {
        return Optional.of(img);
      }
    }
    return Optional.empty();
  }

  /**
   * Removes the image a reference resolves to, with all its names (as CRI's RemoveImage) and the
   * layers no other image uses. Returns false if absent.
   */
  public synchronized boolean remove(String ref) {
    Optional<StoredImage> found = find(ref);
    if (found.isEmpty()) return false;
    StoredImage img = found.get();
    try {
      Files.deleteIfExists(root.resolve("images").resolve(hex(img.id()) + ".json"));
      Files.deleteIfExists(root.resolve("blobs/sha256").resolve(hex(img.id())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, StoredImage> remaining = images();
    for (String diffId : img.diffIds()) {
      boolean used = remaining.values().stream().anyMatch(o -> o.diffIds().contains(diffId));
      if (!used) deleteTree(layerDir(diffId));
    }
    return true;
  }

  /** The unpacked layer directories of an image, topmost first (overlayfs lowerdir order). */
  public List<Path> layerDirs(StoredImage img) {
    List<Path> dirs = new ArrayList<>();
    for (String d : img.diffIds()) dirs.addFirst(layerDir(d).resolve("fs"));
    return dirs;
  }

  /** Records that a container was just made from the image (the GC removes the least recent). */
  public void markUsed(String id) {
    try {
      Path record = root.resolve("images").resolve(hex(id) + ".json");
      if (Files.exists(record)) Files.setLastModifiedTime(record, FileTime.from(Instant.now()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** When the image was last used, or pulled/imported if never used. */
  public Instant lastUsed(String id) {
    try {
      return Files.getLastModifiedTime(root.resolve("images").resolve(hex(id) + ".json"))
          .toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  public boolean hasLayer(String diffId) {
    return Files.exists(layerDir(diffId).resolve("size"));
  }

  /** Bytes used by unpacked layers (their tar sizes). */
  public synchronized long usedBytes() {
    return images().values().stream()
        .flatMap(i -> i.diffIds().stream())
        .distinct()
        .mapToLong(
            d -> {
              try {
                return Long.parseLong(Files.readString(layerDir(d).resolve("size")).trim());
              } catch (IOException | NumberFormatException e) {
                return 0;
              }
            })
        .sum();
  }

  public Path tempDir() {
    try {
      return Files.createDirectories(root.resolve("tmp").resolve(UUID.randomUUID().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path layerDir(String diffId) {
    return root.resolve("layers").resolve(hex(diffId));
  }

  private void save(StoredImage img) {
    try {
      writeAtomically(
          root.resolve("images").resolve(hex(img.id()) + ".json"), JSON.writeValueAsBytes(img));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ImageConfig imageConfig(JsonNode config) {
    JsonNode c = config.path("config");
    return new ImageConfig(
        strings(c.path("Entrypoint")),
        strings(c.path("Cmd")),
        strings(c.path("Env")),
        c.path("WorkingDir").asText(""),
        c.path("User").asText(""));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static String hex(String digest) {
    if (!digest.matches("sha256:[a-f0-9]{64}")) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "unsupported digest: " + digest);
    }
    return digest.substring("sha256:".length());
  }

  private static Path blob(Path layout, String digest) {
    return inside(layout, "blobs/sha256/" + hex(digest));
  }

  /** Resolves a path named by an archive, refusing ones that escape it. */
  private static Path inside(Path dir, String relative) {
    Path p = dir.resolve(relative).normalize();
    if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT,
          "archive entry missing or invalid: " + relative);
    }
    return p;
  }

  private static JsonNode readJson(Path p) {
    return parse(readBytes(p));
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT,
          "invalid JSON in image: " + e.getMessage());
    }
  }

  private static byte[] readBytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeAtomically(Path target, byte[] bytes) {
    try {
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
