package dev.skiff.runtime.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Named network namespaces, made as ip-netns(8) makes them (a bind mount under /var/run/netns, on a
 * shared mount so that mount namespaces copied later see it), with system calls rather than an ip
 * process per pod.
 */
public class NetworkNamespaces {
  public static final Path DIR = Path.of("/var/run/netns");

  public Path create(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("invalid network namespace name \"" + name + "\"");
    }
    Path path = DIR.resolve(name);
    try {
      Files.createDirectories(DIR);
      shareDir();
      Files.createFile(path);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(
          "cannot create network namespace file \"" + path + "\": File exists", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create network namespace " + name, e);
    }
    try {
      bindNewNamespace(path);
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return path;
  }

  /** Deletes the namespace mount; absent is fine. */
  public void delete(Path path) {
    if (!Files.exists(path)) return;
    try {
      LinuxCalls.umount(path.toString(), LinuxCalls.MNT_DETACH);
    } catch (LinuxCalls.CallException e) {
      // EINVAL: not mounted (a half-made namespace); the file still goes.
      if (e.errno() != LinuxCalls.EINVAL) throw e;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove network namespace " + path, e);
    }
  }

  /** Makes the namespace directory a shared mount point, binding it onto itself if need be. */
  private static void shareDir() {
    String dir = DIR.toString();
    try {
      LinuxCalls.mount("", dir, "none", LinuxCalls.MS_SHARED | LinuxCalls.MS_REC, null);
    } catch (LinuxCalls.CallException e) {
      if (e.errno() != LinuxCalls.EINVAL) throw e;
      LinuxCalls.mount(dir, dir, "none", LinuxCalls.MS_BIND | LinuxCalls.MS_REC, null);
      LinuxCalls.mount("", dir, "none", LinuxCalls.MS_SHARED | LinuxCalls.MS_REC, null);
    }
  }

  /**
   * A new network namespace, held by a bind mount on {@code path}. It is made by a thread of its
   * own that ends afterwards, so no other code ever runs in it.
   */
  private static void bindNewNamespace(Path path) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .name("netns-" + path.getFileName())
            .start(
                () -> {
                  try {
                    LinuxCalls.unshare(LinuxCalls.CLONE_NEWNET);
                    LinuxCalls.mount(
                        "/proc/thread-self/ns/net",
                        path.toString(),
                        "none",
                        LinuxCalls.MS_BIND,
                        null);
                  } catch (RuntimeException e) {
                    failure.set(e);
                  }
                });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating network namespace " + path, e);
    }
    if (failure.get() != null) throw failure.get();
  }
}
