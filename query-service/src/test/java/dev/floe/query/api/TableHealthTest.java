package dev.floe.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableHealthTest {

  @Test
  void partitionFieldsFromTrinosRowType() {
    assertThat(TableHealth.rowFieldNames("row(occurred_at_day date,occurred_at_hour integer)"))
        .containsExactly("occurred_at_day", "occurred_at_hour");
    assertThat(TableHealth.rowFieldNames("row(user_id_bucket integer, type varchar)"))
        .containsExactly("user_id_bucket", "type");
    assertThat(TableHealth.rowFieldNames("row(\"amount\" decimal(10,2), x row(a int, b int))"))
        .containsExactly("amount", "x");
  }
}
