package dev.skiff.apiserver.encryption;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Store} that keeps Secret values encrypted in the store under it, as upstream's storage
 * transformers do: values are encrypted on their way in and decrypted on their way out (reads,
 * lists, watch events), so everything above sees plaintext. It follows its configuration file: when
 * the primary key changes (a rotation), and once at start, every secret not yet under the primary
 * key is rewritten with it.
 */
public final class EncryptingStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(EncryptingStore.class);
  private static final String SECRETS = "/registry/secrets/";
  private static final long RELOAD_EVERY_MS = 2000;

  private final Store store;
  private final Path file;
  private volatile ValueTransformer transformer;
  private volatile FileTime loaded;
  private final ScheduledExecutorService reloader =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "encryption-config-reload");
            t.setDaemon(true);
            return t;
          });

  private EncryptingStore(Store store, Path file, EncryptionConfiguration config, FileTime loaded) {
    this.store = store;
    this.file = file;
    this.transformer = new ValueTransformer(config);
    this.loaded = loaded;
  }

  /**
   * Wraps {@code store} with the configuration in {@code file}, rewrites what is not under its
   * primary key, and from then on follows changes to the file.
   */
  public static EncryptingStore open(Store store, Path file) throws IOException {
    EncryptingStore s =
        new EncryptingStore(
            store, file, EncryptionConfiguration.read(file), Files.getLastModifiedTime(file));
    s.rewriteStale();
    s.reloader.scheduleWithFixedDelay(
        s::reloadIfChanged, RELOAD_EVERY_MS, RELOAD_EVERY_MS, TimeUnit.MILLISECONDS);
    return s;
  }

  /** The configuration in effect. */
  public EncryptionConfiguration configuration() {
    return transformer.config();
  }

  void reloadIfChanged() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (modified.equals(loaded)) {
        return;
      }
      EncryptionConfiguration next = EncryptionConfiguration.read(file);
      transformer = new ValueTransformer(next);
      loaded = modified;
      LOG.info("encryption configuration reloaded; new writes use {}", next.primary());
      rewriteStale();
    } catch (IOException | RuntimeException e) {
      // A half-written or broken file: keep the keys in effect and look again later.
      LOG.warn("cannot reload {}: {}", file, e.getMessage());
    }
  }

  /**
   * Rewrites every secret that the primary key did not encrypt, compare-and-swap, so a concurrent
   * write of the same secret wins and is itself encrypted with the primary key.
   *
   * @return how many secrets were rewritten
   */
  public synchronized int rewriteStale() {
    int rewritten = 0;
    String after = null;
    while (true) {
      RangeResult page = store.list(SECRETS, after, 500, 0);
      for (KeyValue kv : page.kvs()) {
        ValueTransformer.Read r = transformer.decrypt(kv.key(), kv.value());
        if (r.current()) {
          continue;
        }
        try {
          store.update(kv.key(), transformer.encrypt(kv.key(), r.plaintext()), kv.modRevision(), 0);
          rewritten++;
        } catch (StorageException.Conflict | StorageException.KeyNotFound e) {
          // Written or deleted meanwhile, through this store and so with the primary key.
        }
      }
      if (!page.more() || page.kvs().isEmpty()) {
        break;
      }
      after = page.kvs().getLast().key();
    }
    if (rewritten > 0) {
      LOG.info("{} secrets rewritten with {}", rewritten, transformer.config().primary());
    }
    return rewritten;
  }

  private static boolean covered(String key) {
    return key.startsWith(SECRETS);
  }

  private KeyValue out(KeyValue kv) {
    if (kv == null || !covered(kv.key()) || kv.value() == null || kv.value().length == 0) {
      return kv;
    }
    return new KeyValue(
        kv.key(),
        transformer.decrypt(kv.key(), kv.value()).plaintext(),
        kv.createRevision(),
        kv.modRevision(),
        kv.lease());
  }

  private byte[] in(String key, byte[] value) {
    return covered(key) ? transformer.encrypt(key, value) : value;
  }

  @Override
  public long currentRevision() {
    return store.currentRevision();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return store.get(key).map(this::out);
  }

  @Override
  public Optional<KeyValue> get(String key, long revision) {
    return store.get(key, revision).map(this::out);
  }

  @Override
  public RangeResult list(String prefix, String startAfter, int limit, long revision) {
    RangeResult r = store.list(prefix, startAfter, limit, revision);
    List<KeyValue> kvs = new ArrayList<>(r.kvs().size());
    for (KeyValue kv : r.kvs()) {
      kvs.add(out(kv));
    }
    return new RangeResult(kvs, r.revision(), r.more(), r.count());
  }

  @Override
  public long count(String prefix) {
    return store.count(prefix);
  }

  @Override
  public KeyValue create(String key, byte[] value, long ttlSeconds) {
    KeyValue kv = store.create(key, in(key, value), ttlSeconds);
    return new KeyValue(key, value, kv.createRevision(), kv.modRevision(), kv.lease());
  }

  @Override
  public KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    KeyValue kv = store.update(key, in(key, value), expectedModRevision, ttlSeconds);
    return new KeyValue(key, value, kv.createRevision(), kv.modRevision(), kv.lease());
  }

  @Override
  public KeyValue delete(String key, long expectedModRevision) {
    return out(store.delete(key, expectedModRevision));
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    return store.watch(
        prefix,
        afterRevision,
        new WatchListener() {
          @Override
          public void onEvent(WatchEvent e) {
            listener.onEvent(new WatchEvent(e.type(), out(e.kv()), out(e.prev())));
          }

          @Override
          public void onError(StorageException error) {
            listener.onError(error);
          }
        });
  }

  @Override
  public void compact(long revision) {
    store.compact(revision);
  }

  @Override
  public long compactedRevision() {
    return store.compactedRevision();
  }

  /** Stops following the file; the store under it is its owner's to close. */
  @Override
  public void close() {
    reloader.shutdownNow();
  }

  /** Reads {@code file}, creating it with a new key first when absent. */
  public static EncryptionConfiguration ensureConfiguration(Path file) {
    try {
      if (!Files.exists(file)) {
        EncryptionConfiguration.generate().write(file);
      }
      return EncryptionConfiguration.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
