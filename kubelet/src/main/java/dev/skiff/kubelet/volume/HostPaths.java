package dev.skiff.kubelet.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/** hostPath {@code type} checks, with upstream's messages; the *OrCreate types create the path. */
final class HostPaths {
  private HostPaths() {}

  static void check(Path p, String type) throws IOException {
    if (type == null || type.isEmpty()) {
      return;
    }
    switch (type) {
      case "DirectoryOrCreate" -> {
        if (!Files.exists(p)) {
          Files.createDirectories(p);
          Files.setPosixFilePermissions(p, AtomicWriter.permissions(0755));
        } else if (!Files.isDirectory(p)) {
          throw new VolumeError("hostPath type check failed: " + p + " is not a directory");
        }
      }
      case "Directory" -> {
        if (!Files.isDirectory(p)) {
          throw new VolumeError("hostPath type check failed: " + p + " is not a directory");
        }
      }
      case "FileOrCreate" -> {
        if (!Files.exists(p)) {
          Files.createDirectories(p.getParent());
          Files.createFile(p);
          Files.setPosixFilePermissions(p, AtomicWriter.permissions(0644));
        } else if (!Files.isRegularFile(p)) {
          throw new VolumeError("hostPath type check failed: " + p + " is not a file");
        }
      }
      case "File" -> {
        if (!Files.isRegularFile(p)) {
          throw new VolumeError("hostPath type check failed: " + p + " is not a file");
        }
      }
      case "Socket", "CharDevice", "BlockDevice" -> {
        if (!Files.exists(p)) {
          throw new VolumeError("hostPath type check failed: " + p + " is not a " + kind(type));
        }
        var attrs = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isOther()) {
          throw new VolumeError("hostPath type check failed: " + p + " is not a " + kind(type));
        }
      }
      default -> throw new VolumeError("invalid HostPathType " + type);
    }
  }

  private static String kind(String type) {
    return switch (type) {
      case "Socket" -> "socket file";
      case "CharDevice" -> "character device";
      default -> "block device";
    };
  }
}
