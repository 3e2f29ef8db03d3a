package dev.skiff.scheduler;

import dev.skiff.scheduler.framework.SchedulerConfiguration;
import dev.skiff.scheduler.framework.SchedulerConfigurationParser;
import dev.skiff.scheduler.plugins.DefaultPlugins;
import java.io.IOException;
import java.nio.file.Path;

/** Loads {@code --config} files against the in-tree default plugins. */
public final class KubeSchedulerConfiguration {
  private KubeSchedulerConfiguration() {}

  /** Upstream's defaults: one default-scheduler profile, adaptive scoring, 1 s/10 s backoff. */
  public static SchedulerConfiguration defaults() {
    return parse("{}");
  }

  /**
   * @throws IllegalArgumentException naming the first invalid field
   */
  public static SchedulerConfiguration parse(String yaml) {
    return SchedulerConfigurationParser.parse(yaml, DefaultPlugins.multiPoint());
  }

  public static SchedulerConfiguration load(Path file) throws IOException {
    return SchedulerConfigurationParser.parse(file, DefaultPlugins.multiPoint());
  }
}
