package dev.skiff.cli.config;

import dev.skiff.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine;

/**
 * Option defaults from the environment and a YAML config file, as k3s reads them: for {@code
 * --data-dir}, the variable {@code SKIFF_DATA_DIR}, then the file key {@code data-dir}. A flag on
 * the command line beats both.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
  public static final Path SYSTEM_CONFIG = Path.of("/etc/skiff/config.yaml");

  private final Map<String, String> env;
  private final Map<String, String> file;

  ConfigDefaults(Map<String, String> env, Map<String, String> file) {
    this.env = env;
    this.file = file;
  }

  /** Finds the config file named by {@code --config}, {@code SKIFF_CONFIG} or the system path. */
  public static ConfigDefaults fromArgs(String[] args, Map<String, String> env) {
    String explicit = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        explicit = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        explicit = args[i].substring("--config=".length());
      }
    }
    if (explicit == null) {
      explicit = env.get("SKIFF_CONFIG");
    }
    Path path = explicit != null ? Path.of(explicit) : SYSTEM_CONFIG;
    if (explicit != null && !Files.isRegularFile(path)) {
      throw new UserError("config file " + path + " does not exist");
    }
    return new ConfigDefaults(env, Files.isRegularFile(path) ? readFile(path) : Map.of());
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec arg) {
    if (!(arg instanceof CommandLine.Model.OptionSpec option)) {
      return arg.defaultValue();
    }
    String key = option.longestName().replaceFirst("^-+", "");
    if (key.equals("config")) {
      return arg.defaultValue();
    }
    String fromEnv = env.get("SKIFF_" + key.replace('-', '_').toUpperCase(Locale.ROOT));
    if (fromEnv != null) {
      return fromEnv;
    }
    return file.getOrDefault(key, arg.defaultValue());
  }

  static Map<String, String> readFile(Path path) {
    Object doc;
    try (InputStream in = Files.newInputStream(path)) {
      doc = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
    } catch (IOException e) {
      throw new UserError("cannot read config file " + path + ": " + e.getMessage(), e);
    } catch (YamlEngineException e) {
      throw new UserError("config file " + path + " is not valid YAML: " + e.getMessage(), e);
    }
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new UserError("config file " + path + " must be a YAML mapping of flag names");
    }
    Map<String, String> out = new HashMap<>();
    map.forEach(
        (k, v) ->
            out.put(
                String.valueOf(k),
                v instanceof List<?> list
                    ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(v)));
    return out;
  }
}
