package dev.floe.query.api;

/** The one shape of every error answer: a stable machine-readable code and a human explanation. */
public record ApiError(String error, String detail) {}
