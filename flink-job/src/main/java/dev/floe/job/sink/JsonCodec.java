package dev.floe.job.sink;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.contract.DeadLetter;
import dev.floe.contract.EventContract;
import dev.floe.contract.Instants;
import dev.floe.job.model.Event;
import dev.floe.job.pipeline.ExtraFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON of events.clean and events.dlq (the project's own Jackson). */
public final class JsonCodec {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private JsonCodec() {}

  /** The event as the raw contract spells it, without ingestedAt: a dead letter's payload. */
  public static String original(Event e) {
    return new String(event(e, false), StandardCharsets.UTF_8);
  }

  /** The validated event plus ingestedAt, in the field names of the raw contract. */
  public static byte[] clean(Event e) {
    return event(e, true);
  }

  /**
   * Writes the events.clean values of one sink writer, one after another, through one generator
   * into one buffer: a generator and a buffer per record were a tenth of the bytes the job
   * allocated per row. Not thread-safe; a writer is used by its task's thread only.
   */
  public static final class CleanWriter {
    private final ByteArrayBuilder out = new ByteArrayBuilder(512);
    private JsonGenerator generator;

    /** The same bytes as {@link JsonCodec#clean}. */
    public byte[] write(Event e) {
      if (e.canonicalJson != null) {
        return appendIngestedAt(e.canonicalJson, e);
      }
      try {
        if (generator == null) {
          generator = STREAM.createGenerator(out);
        }
        writeEvent(generator, e, true);
        generator.flush();
        return out.toByteArray();
      } catch (IOException | RuntimeException ex) {
        // a half-written value: start the next one with a new generator
        generator = null;
        if (ex instanceof IOException io) {
          throw new UncheckedIOException(io);
        }
        throw (RuntimeException) ex;
      } finally {
        out.reset();
      }
    }
  }

  /**
   * A canonical record ({@link Event#canonicalJson}) with ingestedAt as its last field: the bytes
   * {@link #writeEvent} writes for an event without extra fields.
   */
  private static byte[] appendIngestedAt(byte[] canonical, Event e) {
    byte[] at = Instants.format(e.ingestedAt).getBytes(StandardCharsets.US_ASCII);
    int head = canonical.length - 1; // without its closing brace
    byte[] out = new byte[head + INGESTED_AT_FIELD.length + at.length + 2];
    System.arraycopy(canonical, 0, out, 0, head);
    System.arraycopy(INGESTED_AT_FIELD, 0, out, head, INGESTED_AT_FIELD.length);
    System.arraycopy(at, 0, out, head + INGESTED_AT_FIELD.length, at.length);
    out[out.length - 2] = '"';
    out[out.length - 1] = '}';
    return out;
  }

  /** Root values with nothing between them: each is taken out of the buffer on its own. */
  private static final JsonMapper STREAM =
      JsonMapper.builder(new JsonFactoryBuilder().rootValueSeparator((String) null).build())
          .build();

  /** The event in the raw contract's field names, ingestedAt only when asked. */
  private static byte[] event(Event e, boolean withIngestedAt) {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      writeEvent(g, e, withIngestedAt);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toByteArray();
  }

  /** The key of a dead letter: {@code topic/partition/offset} of the record it stands for. */
  public static byte[] deadLetterKey(DeadLetter d) {
    return d.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The contract's field names, quoted and encoded once. */
  private static final SerializedString EVENT_ID = new SerializedString(EventContract.EVENT_ID);

  private static final SerializedString TYPE = new SerializedString(EventContract.TYPE);
  private static final SerializedString USER_ID = new SerializedString(EventContract.USER_ID);
  private static final SerializedString OCCURRED_AT =
      new SerializedString(EventContract.OCCURRED_AT);
  private static final SerializedString PROPERTIES = new SerializedString(EventContract.PROPERTIES);
  private static final SerializedString SOURCE = new SerializedString(EventContract.SOURCE);
  private static final SerializedString PRODUCED_AT =
      new SerializedString(EventContract.PRODUCED_AT);
  private static final SerializedString INGESTED_AT = new SerializedString("ingestedAt");

  /** What {@link #appendIngestedAt} puts after a canonical record's last field. */
  private static final byte[] INGESTED_AT_FIELD =
      (",\"" + INGESTED_AT.getValue() + "\":\"").getBytes(StandardCharsets.US_ASCII);

  /** Streamed (no tree): this runs for every record of events.clean. */
  private static void writeEvent(JsonGenerator g, Event e, boolean withIngestedAt)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName(EVENT_ID);
    g.writeString(e.eventId);
    g.writeFieldName(TYPE);
    g.writeString(e.type);
    if (e.userId != null) {
      g.writeFieldName(USER_ID);
      g.writeString(e.userId);
    }
    g.writeFieldName(OCCURRED_AT);
    g.writeString(Instants.format(e.occurredAt));
    if (e.properties != null) {
      g.writeFieldName(PROPERTIES);
      g.writeStartObject();
      for (Map.Entry<String, String> p : e.properties.entrySet()) {
        g.writeStringField(p.getKey(), p.getValue());
      }
      g.writeEndObject();
    }
    if (e.source != null) {
      g.writeFieldName(SOURCE);
      g.writeString(e.source);
    }
    if (e.producedAt != null) {
      g.writeFieldName(PRODUCED_AT);
      g.writeString(Instants.format(e.producedAt));
    }
    if (withIngestedAt) {
      g.writeFieldName(INGESTED_AT);
      g.writeString(Instants.format(e.ingestedAt));
    }
    if (e.extra != null) {
      for (Map.Entry<String, String> field : e.extra.entrySet()) {
        g.writeFieldName(field.getKey());
        g.writeTree(ExtraFields.toJson(field.getValue()));
      }
    }
    g.writeEndObject();
  }

  /** The dead letter's JSON, in the shape {@link DeadLetter#toJson} defines. */
  public static byte[] deadLetter(DeadLetter d) {
    return write(d.toJson(MAPPER.createObjectNode()));
  }

  private static byte[] write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
