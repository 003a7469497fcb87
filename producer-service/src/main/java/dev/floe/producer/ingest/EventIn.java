package dev.floe.producer.ingest;

import dev.floe.contract.EventContract;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One event as a client sends it: the request schema of {@code POST /events} in the OpenAPI
 * document. The rules themselves are {@link EventContract}'s, applied by {@link EventIntake} to the
 * JSON as sent; this record only describes them.
 */
@Schema(
    name = "Event",
    description =
        "An event as sent to POST /events. Other top-level fields (at most "
            + EventContract.MAX_EXTRA_FIELDS
            + ", names up to "
            + EventContract.MAX_NAME_LENGTH
            + " characters, string values up to "
            + EventContract.MAX_STRING_LENGTH
            + " characters) pass through and become table columns (cartValue -> cart_value).")
public record EventIn(
    @Schema(
            description = "UUID; generated when absent",
            example = "0b7e4e8a-3a1b-4f61-9a5e-0e8f1d2c3b4a")
        String eventId,
    @Schema(
            required = true,
            description = "lower-case identifier, " + EventContract.TYPE_RULE,
            pattern = EventContract.TYPE_RULE,
            example = "page_view")
        String type,
    @Schema(
            description =
                "optional user id, 1 to 128 characters, not blank; the Kafka key when present",
            example = "user-42")
        String userId,
    @Schema(required = true, description = "ISO-8601 instant", example = "2026-01-01T12:00:00Z")
        String occurredAt,
    @Schema(
            description =
                "flat object of strings, numbers, booleans and nulls (at most 50 keys, keys up to 64"
                    + " characters, string values up to 1024 characters)")
        Map<String, Object> properties) {}
