package dev.skiff.kubelet.volume;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a volume's files so that readers never see a mix of old and new content, in upstream's
 * layout: the payload goes to a fresh {@code ..<timestamp>} directory, the {@code ..data} symlink
 * is swapped to it in one rename, and each top-level name is a symlink through {@code ..data}.
 */
public final class AtomicWriter {
  static final String DATA = "..data";

  private AtomicWriter() {}

  /** A file of the payload: its bytes and permission bits. */
  public record FileContent(byte[] data, int mode) {}

  /** Replaces the directory's content with {@code payload} (paths relative to it). */
  public static void write(Path dir, Map<String, FileContent> payload) throws IOException {
    Files.createDirectories(dir);
    Path current = readData(dir);
    if (current != null && same(dir.resolve(current), payload)) {
      return;
    }
    Path fresh = Files.createTempDirectory(dir, "..");
    for (var e : payload.entrySet()) {
      Path f = fresh.resolve(e.getKey()).normalize();
      if (!f.startsWith(fresh)) {
        throw new VolumeError("invalid path " + e.getKey() + ": must not contain '..'");
      }
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue().data());
      Files.setPosixFilePermissions(f, permissions(e.getValue().mode()));
    }
    Files.setPosixFilePermissions(fresh, permissions(0755));
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, fresh.getFileName());
    try {
      Files.move(
          tmp,
          dir.resolve(DATA),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(DATA), StandardCopyOption.REPLACE_EXISTING);
    }
    Set<String> top = new HashSet<>();
    for (String p : payload.keySet()) {
      top.add(Path.of(p).getName(0).toString());
    }
    for (String name : top) {
      Path link = dir.resolve(name);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(DATA).resolve(name));
      }
    }
    try (var entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("..")) {
          if (!n.equals(DATA) && !p.getFileName().equals(fresh.getFileName())) {
            deleteTree(p);
          }
        } else if (!top.contains(n)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static Path readData(Path dir) throws IOException {
    Path data = dir.resolve(DATA);
    return Files.isSymbolicLink(data) ? Files.readSymbolicLink(data) : null;
  }

  private static boolean same(Path current, Map<String, FileContent> payload) throws IOException {
    Set<String> files = new HashSet<>();
    try (var walk = Files.walk(current)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.add(current.relativize(p).toString());
      }
    }
    if (!files.equals(payload.keySet())) {
      return false;
    }
    for (var e : payload.entrySet()) {
      Path f = current.resolve(e.getKey());
      if (!java.util.Arrays.equals(Files.readAllBytes(f), e.getValue().data())
          || !Files.getPosixFilePermissions(f).equals(permissions(e.getValue().mode()))) {
        return false;
      }
    }
    return true;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = new HashSet<>();
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(bits[i]);
      }
    }
    return s;
  }

  /** Deletes a tree without following symlinks. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
