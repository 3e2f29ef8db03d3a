package dev.skiff.runtime.runc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/** Installs the pause and monitor programs shipped in this jar into the runtime's bin dir. */
public final class NativeBinaries {
  public static final String PAUSE = "skiff-pause";
  public static final String MONITOR = "skiff-monitor";

  private NativeBinaries() {}

  /** Returns the installed path, (re)writing it when missing or different from the jar's. */
  public static synchronized Path install(String name, Path binDir) {
    try (InputStream in =
        NativeBinaries.class.getResourceAsStream("/dev/skiff/runtime/native/" + name)) {
      if (in == null) throw new IllegalStateException(name + " is missing from the runtime jar");
      byte[] bytes = in.readAllBytes();
      Path target = binDir.resolve(name);
      if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), bytes)) return target;
      Files.createDirectories(binDir);
      Path tmp = binDir.resolve(name + ".tmp" + ProcessHandle.current().pid());
      Files.write(tmp, bytes);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + name, e);
    }
  }
}
