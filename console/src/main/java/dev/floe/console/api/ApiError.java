package dev.floe.console.api;

/**
 * The one shape of every error answer: a stable machine-readable code and a human explanation.
 *
 * @param error the code
 * @param detail the explanation
 */
public record ApiError(String error, String detail) {}
