package dev.floe.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.query.trino.TrinoGateway.Column;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void writesRfc4180() {
    String csv =
        Csv.write(
            List.of(
                new Column("id", "bigint"),
                new Column("note", "varchar"),
                new Column("tags", "array(varchar)"),
                new Column("m", "map(varchar,integer)")),
            List.of(
                Arrays.asList(1L, "plain", List.of("a", "b"), Map.of("k", 1)),
                Arrays.asList(2L, "with, comma and \"quote\"\nand line", null, null)));

    assertThat(csv)
        .isEqualTo(
            "id,note,tags,m\r\n"
                + "1,plain,\"[\"\"a\"\",\"\"b\"\"]\",\"{\"\"k\"\":1}\"\r\n"
                + "2,\"with, comma and \"\"quote\"\"\nand line\",,\r\n");
  }
}
