package dev.floe.job.pipeline;

import dev.floe.contract.DeadLetter;
import dev.floe.contract.DeadLetter.Reason;
import dev.floe.job.model.RawRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Builds the dead letter of a raw record: the original payload is kept byte-exact. */
public final class DeadLetters {
  /** Side output of the operators that send records to events.dlq. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  private DeadLetters() {}

  public static DeadLetter of(RawRecord record, Reason reason, String detail, long now) {
    DeadLetter letter = new DeadLetter();
    letter.reason = reason.name();
    letter.detail = detail;
    if (record.value == null) {
      letter.payload = null;
      letter.payloadEncoding = DeadLetter.NONE;
    } else {
      try {
        letter.payload =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(record.value))
                .toString();
        letter.payloadEncoding = DeadLetter.UTF_8;
      } catch (CharacterCodingException e) {
        letter.payload = Base64.getEncoder().encodeToString(record.value);
        letter.payloadEncoding = DeadLetter.BASE64;
      }
    }
    letter.topic = record.topic;
    letter.partition = record.partition;
    letter.offset = record.offset;
    letter.timestamp = record.timestamp;
    letter.deadLetteredAt = now;
    return letter;
  }
}
