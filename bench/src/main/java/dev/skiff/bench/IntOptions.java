package dev.skiff.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A benchmark's {@code --name N} options, each with its default; anything else prints usage. */
final class IntOptions {
  private final String benchmark;
  private final Map<String, Integer> values = new LinkedHashMap<>();

  IntOptions(String benchmark) {
    this.benchmark = benchmark;
  }

  IntOptions with(String name, int defaultValue) {
    values.put(name, defaultValue);
    return this;
  }

  /** Reads {@code args}; exits with status 2 and the usage line on an unknown or bad option. */
  IntOptions parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!values.containsKey(args[i]) || i + 1 == args.length) {
        usage();
      }
      try {
        values.put(args[i], Integer.parseInt(args[++i]));
      } catch (NumberFormatException e) {
        usage();
      }
    }
    return this;
  }

  int get(String name) {
    return values.get(name);
  }

  private void usage() {
    StringBuilder line = new StringBuilder("usage: " + benchmark);
    values.keySet().forEach(name -> line.append(" [").append(name).append(" N]"));
    System.err.println(line);
    System.exit(2);
  }
}
