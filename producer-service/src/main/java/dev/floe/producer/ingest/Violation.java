package dev.floe.producer.ingest;

/** One problem with the input: the field path (e.g. {@code events[3].type}) and what is wrong. */
public record Violation(String field, String message) {}
