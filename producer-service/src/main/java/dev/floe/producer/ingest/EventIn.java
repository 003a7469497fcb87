package dev.floe.producer.ingest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One event as a client sends it. Timestamps and ids stay strings here so that a bad value becomes
 * a validation violation naming the field instead of a parse error.
 */
@Schema(name = "Event", description = "An event as sent to POST /events")
public record EventIn(
    @Schema(
            description = "UUID; generated when absent",
            example = "0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a")
        @Pattern(
            regexp =
                "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            message = "must be a UUID such as 0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a")
        String eventId,
    @Schema(required = true, description = "lower-case identifier", example = "page_view")
        @NotNull(message = "is required")
        @Pattern(
            regexp = "^[a-z][a-z0-9_]{0,63}$",
            message =
                "must be a lower-case identifier (a-z, 0-9, _; starts with a letter; at most 64)")
        String type,
    @Schema(description = "optional user id; the Kafka key when present", example = "user-42")
        @Size(min = 1, max = 128, message = "must be 1 to 128 characters")
        String userId,
    @Schema(required = true, description = "ISO-8601 instant", example = "2026-01-01T12:00:00Z")
        @NotNull(message = "is required")
        @IsoInstant
        String occurredAt,
    @Schema(
            description =
                "flat object of strings, numbers and booleans (at most 50 keys, keys up to 64"
                    + " characters, string values up to 1024 characters)")
        @FlatProperties
        Map<String, Object> properties) {}
