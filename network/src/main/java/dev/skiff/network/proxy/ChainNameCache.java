package dev.skiff.network.proxy;

import java.util.HashMap;
import java.util.Map;

/**
 * Chain names by hash input, kept from one build to the next: between two syncs almost every name
 * stays, and hashing is a third of a build. Only the names the last build used are kept.
 */
final class ChainNameCache {
  private Map<String, String> names = new HashMap<>();
  private Map<String, String> previous = new HashMap<>();

  /** Starts a build: names unused by it are dropped when the next one starts. */
  void startBuild() {
    previous = names;
    names = new HashMap<>(previous.size() * 2);
  }

  /** {@code prefix} and the hash of {@code input}, as {@link ChainNames} derives them. */
  String get(String prefix, String input) {
    String key = prefix + input;
    String name = names.get(key);
    if (name == null) {
      name = previous.get(key);
      if (name == null) {
        name = prefix + ChainNames.hash(input);
      }
      names.put(key, name);
    }
    return name;
  }
}
