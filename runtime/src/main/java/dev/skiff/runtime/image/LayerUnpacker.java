package dev.skiff.runtime.image;

import dev.skiff.runtime.os.Command;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks layer tarballs with GNU tar (which keeps owners, modes, links and device nodes) and turns
 * OCI whiteouts into overlayfs ones: {@code .wh.NAME} becomes a 0/0 character device and {@code
 * .wh..wh..opq} the {@code trusted.overlay.opaque} xattr on its directory.
 */
public class LayerUnpacker {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  static final String WHITEOUT = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  /** Extracts a plain tar archive (an image archive's outer tar) into {@code dir}. */
  public void extract(Path archive, Path dir) {
    Command.run(List.of("tar", "-x", "-f", archive.toString(), "-C", dir.toString()), TIMEOUT)
        .check();
  }

  /** Unpacks a (possibly gzip-compressed) layer into {@code dir}, converting whiteouts. */
  public void unpack(Path layer, Path dir) {
    Command.run(
            List.of(
                "tar",
                "--numeric-owner",
                "--same-owner",
                "-p",
                "-x",
                "-f",
                layer.toString(),
                "-C",
                dir.toString()),
            TIMEOUT)
        .check();
    convertWhiteouts(dir);
  }

  void convertWhiteouts(Path dir) {
    List<Path> whiteouts;
    try (Stream<Path> files = Files.walk(dir)) {
      whiteouts = files.filter(p -> p.getFileName().toString().startsWith(WHITEOUT)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path w : whiteouts) {
      try {
        Files.delete(w);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String name = w.getFileName().toString();
      if (name.equals(OPAQUE)) {
        Command.run(
                List.of(
                    "setfattr",
                    "-n",
                    "trusted.overlay.opaque",
                    "-v",
                    "y",
                    w.getParent().toString()),
                TIMEOUT)
            .check();
      } else {
        Path hidden = w.resolveSibling(name.substring(WHITEOUT.length()));
        Command.run(List.of("mknod", hidden.toString(), "c", "0", "0"), TIMEOUT).check();
      }
    }
  }

  /** sha256 of the layer's uncompressed bytes, as {@code sha256:<hex>} (its diff id). */
  public static String diffId(Path layer) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(layer))) {
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      InputStream in = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 65536) : raw;
      return digest(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** sha256 of a file's bytes, as {@code sha256:<hex>}. */
  public static String fileDigest(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return digest(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String digest(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static String digest(InputStream in) throws IOException {
    MessageDigest md = sha256();
    try (DigestInputStream d = new DigestInputStream(in, md)) {
      d.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
