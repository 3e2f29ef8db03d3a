package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** JSON records in {@code <dir>/<id>/<file>}, written atomically. */
final class RecordStore<T> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String file;
  private final Class<T> type;

  RecordStore(Path dir, String file, Class<T> type) {
    this.dir = dir;
    this.file = file;
    this.type = type;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir(String id) {
    return dir.resolve(id);
  }

  void save(String id, T record) {
    try {
      Path d = Files.createDirectories(dir(id));
      Path tmp = d.resolve(file + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(record));
      Files.move(
          tmp,
          d.resolve(file),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every saved record; directories without one (half-created) are skipped. */
  List<T> loadAll() {
    List<T> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(dir)) {
      for (Path d : dirs.toList()) {
        Path f = d.resolve(file);
        if (Files.exists(f)) out.add(JSON.readValue(f.toFile(), type));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
