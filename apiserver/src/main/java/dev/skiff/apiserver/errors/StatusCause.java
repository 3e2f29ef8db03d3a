package dev.skiff.apiserver.errors;

/** One entry of {@code details.causes} in a Status. */
public record StatusCause(String reason, String message, String field) {}
