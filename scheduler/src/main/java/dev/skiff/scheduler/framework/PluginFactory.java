package dev.skiff.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds a plugin from its {@code pluginConfig} args (a missing node when none were given). */
@FunctionalInterface
public interface PluginFactory {
  Plugin create(JsonNode args, Handle handle);
}
