package dev.floe.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class TypesTest {

  /**
   * Kryo is slow and fragile across versions: every record type must use Flink's own serializers.
   */
  @Test
  void recordsAreFlinkPojosWithoutGenericFields() {
    for (Class<?> type : new Class<?>[] {Event.class, RawRecord.class, DeadLetter.class}) {
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
}
