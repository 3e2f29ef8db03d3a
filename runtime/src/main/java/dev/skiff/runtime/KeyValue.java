package dev.skiff.runtime;

/** An environment variable (CRI {@code KeyValue}). */
public record KeyValue(String key, String value) {}
