package dev.floe.job.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.floe.job.model.RawRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads a record's {@code eventId} as the 128 bits of its UUID before the record is parsed, so that
 * the records can be shuffled by id as raw bytes and parsed once, after the shuffle, next to the
 * dedup state.
 *
 * <p>Only the top-level fields up to {@code eventId} are scanned (the producer writes it first).
 * For every record that {@link EventParser} accepts, the bits are those of the id the parser
 * returns: the parser rejects duplicate keys and non-UUID ids, and the canonical lower-case form it
 * stores has the same bits as any spelling {@code UUID.fromString} reads. A record without a
 * readable id gets a key from its Kafka coordinates, only to spread it: the parser dead-letters it
 * before any dedup state is touched.
 */
public final class EventIds {
  private static final JsonFactory JSON = EventParser.MAPPER.getFactory();

  private EventIds() {}

  /** Sets {@link RawRecord#idHi} and {@link RawRecord#idLo}. */
  public static void assign(RawRecord record) {
    if (readProducerLayout(record)) {
      return;
    }
    UUID id = read(record.value);
    if (id != null) {
      record.idHi = id.getMostSignificantBits();
      record.idLo = id.getLeastSignificantBits();
    } else {
      record.idHi = record.partition;
      record.idLo = record.offset;
    }
  }

  /** What the producer writes first: the id, as a string, before any other field. */
  private static final byte[] PREFIX = "{\"eventId\":\"".getBytes(StandardCharsets.UTF_8);

  /**
   * The id read straight from the bytes when the record starts the way the producer writes it
   * ({@code {"eventId":"} then the 36 characters of a UUID and a quote), without a JSON parser; false
   * for any other layout, which {@link #read} then scans. Gives the bits {@code UUID.fromString}
   * gives for the same text.
   */
  static boolean readProducerLayout(RawRecord record) {
    byte[] v = record.value;
    int start = PREFIX.length;
    if (v == null || v.length < start + 37 || v[start + 36] != '"') {
      return false;
    }
    for (int i = 0; i < start; i++) {
      if (v[i] != PREFIX[i]) {
        return false;
      }
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 36; i++) {
      byte b = v[start + i];
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (b != '-') {
          return false;
        }
        continue;
      }
      int digit = Character.digit(b, 16);
      if (digit < 0) {
        return false;
      }
      if (i < 18) {
        hi = hi << 4 | digit;
      } else {
        lo = lo << 4 | digit;
      }
    }
    record.idHi = hi;
    record.idLo = lo;
    return true;
  }

  /** The UUID of the top-level eventId, or null when there is none that parses as a UUID. */
  static UUID read(byte[] value) {
    if (value == null || value.length == 0) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        if ("eventId".equals(name)) {
          return token == JsonToken.VALUE_STRING ? uuid(parser.getText()) : null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static UUID uuid(String text) {
    // the contract's form only (8-4-4-4-12 hex); UUID.fromString alone also takes shorter groups
    if (text.length() != 36
        || text.charAt(8) != '-'
        || text.charAt(13) != '-'
        || text.charAt(18) != '-'
        || text.charAt(23) != '-') {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
