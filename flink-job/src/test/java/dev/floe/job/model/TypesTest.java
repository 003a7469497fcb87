package dev.floe.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.contract.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TypesTest {

  /**
   * Kryo is slow and fragile across versions: every record type must use Flink's own serializers.
   */
  @Test
  void recordsAreFlinkPojosWithoutGenericFields() {
    for (Class<?> type : new Class<?>[] {Event.class, DeadLetter.class}) {
      TypeInformation<?> info = TypeInformation.of(type);
      assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
      PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
      for (int i = 0; i < pojo.getArity(); i++) {
        assertThat(pojo.getTypeAt(i))
            .as(type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName())
            .isNotInstanceOf(GenericTypeInfo.class);
      }
    }
  }

  /** The one type that crosses the shuffle has a serializer of its own, and it loses nothing. */
  @Test
  void aRawRecordCrossesTheShuffleWithItsOwnSerializerIntact() throws Exception {
    TypeInformation<RawRecord> info = TypeInformation.of(RawRecord.class);
    assertThat(info).isInstanceOf(RawRecordSerializer.Info.class);
    TypeSerializer<RawRecord> serializer = info.createSerializer(new SerializerConfigImpl());

    RawRecord record =
        new RawRecord(
            "events.raw", 3, 42L, 1_700_000_000_000L, "{}".getBytes(StandardCharsets.UTF_8));
    record.idHi = -7L;
    record.idLo = Long.MAX_VALUE;
    RawRecord tombstone = new RawRecord("events.raw", 0, 1L, 2L, null);
    for (RawRecord original : new RawRecord[] {record, tombstone}) {
      DataOutputSerializer out = new DataOutputSerializer(64);
      serializer.serialize(original, out);
      RawRecord copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(copy).usingRecursiveComparison().isEqualTo(original);
      assertThat(serializer.copy(original)).usingRecursiveComparison().isEqualTo(original);
    }
  }
}
