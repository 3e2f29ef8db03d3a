package dev.skiff.scheduler.framework;

/** A scheduling plugin; it implements one or more extension point interfaces. */
public interface Plugin {
  /** The name used in configuration and in status messages, e.g. "NodeResourcesFit". */
  String name();
}
