package dev.floe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.job.model.Event;
import dev.floe.job.sink.LakeTable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class EvolveTableSchemaTest {
  private static final Schema TABLE =
      TypeUtil.join(
          LakeTable.SCHEMA,
          new Schema(
              Types.NestedField.optional(20, "cart_value", Types.DoubleType.get()),
              Types.NestedField.optional(21, "items", Types.LongType.get())));

  private static Event event(Map<String, String> extra) {
    Event e = new Event();
    e.extra = extra;
    return e;
  }

  @Test
  void unknownFieldsAreMissingColumnsWithTheTypeOfTheirJsonValue() {
    Map<String, Type> missing = new LinkedHashMap<>();
    assertThat(
            EvolveTableSchema.check(
                event(Map.of("campaign", "s:x", "firstVisit", "b:true")), TABLE, missing))
        .isNull();
    assertThat(missing)
        .containsEntry("campaign", Types.StringType.get())
        .containsEntry("first_visit", Types.BooleanType.get());
  }

  @Test
  void anIntegerFitsADoubleColumnButNotTheOtherWayRound() {
    Map<String, Type> missing = new LinkedHashMap<>();
    assertThat(EvolveTableSchema.check(event(Map.of("cartValue", "l:3")), TABLE, missing)).isNull();
    assertThat(EvolveTableSchema.check(event(Map.of("items", "d:1.5")), TABLE, missing))
        .contains("items", "long");
    assertThat(EvolveTableSchema.check(event(Map.of("cartValue", "s:x")), TABLE, missing))
        .contains("cart_value", "string");
    assertThat(missing).isEmpty();
  }

  @Test
  void contractColumnsAndCollidingNamesAreConflicts() {
    Map<String, Type> missing = new LinkedHashMap<>();
    assertThat(EvolveTableSchema.check(event(Map.of("kafka_offset", "l:1")), TABLE, missing))
        .contains("contract column");
    Map<String, String> twins = new LinkedHashMap<>();
    twins.put("fooBar", "s:a");
    twins.put("foo_bar", "s:b");
    assertThat(EvolveTableSchema.check(event(twins), TABLE, missing)).contains("both map to");
  }
}
