package dev.skiff.runtime.image;

import dev.skiff.runtime.os.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writable overlayfs snapshots of image layers, one per container: {@code <key>/upper} holds the
 * container's changes and {@code <key>/rootfs} is the mounted view.
 */
public final class Snapshots {
  private final Path root;
  private final Mounts mounts;

  public Snapshots(Path root, Mounts mounts) {
    this.root = root;
    this.mounts = mounts;
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Mounts (if not yet) and returns the rootfs of snapshot {@code key} over {@code lowers}. */
  public Path prepare(String key, List<Path> lowers) {
    Path dir = dir(key);
    Path rootfs = dir.resolve("rootfs");
    try {
      Files.createDirectories(dir.resolve("upper"));
      Files.createDirectories(dir.resolve("work"));
      Files.createDirectories(rootfs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!mounts.isMounted(rootfs)) {
      mounts.overlay(lowers, dir.resolve("upper"), dir.resolve("work"), rootfs);
    }
    return rootfs;
  }

  public Path rootfs(String key) {
    return dir(key).resolve("rootfs");
  }

  /** Unmounts and deletes the snapshot; absent is fine. */
  public void remove(String key) {
    Path dir = dir(key);
    mounts.unmount(dir.resolve("rootfs"));
    ImageStore.deleteTree(dir);
  }

  /** Bytes the container wrote (its upper layer). */
  public long usage(String key) {
    Path upper = dir(key).resolve("upper");
    if (!Files.isDirectory(upper)) return 0;
    try (Stream<Path> files = Files.walk(upper)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private Path dir(String key) {
    if (!key.matches("[A-Za-z0-9_.-]+"))
      throw new IllegalArgumentException("invalid snapshot key " + key);
    return root.resolve(key);
  }
}
