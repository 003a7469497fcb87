package dev.floe.job.pipeline;

import dev.floe.job.model.Event;
import dev.floe.job.model.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * The key the job shuffles and deduplicates by: the 128 bits of the eventId that the source reads
 * ahead ({@link EventIds}), the same for a raw record and for the event parsed from it.
 */
public final class EventKey {
  private EventKey() {}

  public static final TypeInformation<Tuple2<Long, Long>> TYPE =
      Types.TUPLE(Types.LONG, Types.LONG);

  /** A raw record's key. */
  public static final KeySelector<RawRecord, Tuple2<Long, Long>> RAW = new OfRaw();

  /** A parsed event's key: the one its raw record had. */
  public static final KeySelector<Event, Tuple2<Long, Long>> EVENT = new OfEvent();

  private static final class OfRaw implements KeySelector<RawRecord, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> getKey(RawRecord record) {
      return Tuple2.of(record.idHi, record.idLo);
    }
  }

  private static final class OfEvent implements KeySelector<Event, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> getKey(Event event) {
      return Tuple2.of(event.idHi, event.idLo);
    }
  }
}
