package dev.floe.query.trino;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TrinoErrorsTest {

  private static QueryFailure failed(int code, String message) {
    return TrinoErrors.translate(
        new SQLException("Query failed (#20240501_1): " + message, null, code), null);
  }

  @Test
  void mapsTrinoErrorCodesToStatuses() {
    assertThat(failed(1, "line 1:8: mismatched input").status()).isEqualTo(400);
    assertThat(failed(47, "Column 'x' cannot be resolved").status()).isEqualTo(400);
    assertThat(failed(46, "Table 'iceberg.lake.x' does not exist").status()).isEqualTo(404);
    assertThat(failed(45, "Schema 'x' does not exist").status()).isEqualTo(404);
    assertThat(failed(4, "Access Denied: Cannot insert into table").status()).isEqualTo(403);
    assertThat(failed(131075, "Query exceeded maximum time limit").status()).isEqualTo(504);
    assertThat(failed(65548, "Trino server is still initializing").status()).isEqualTo(503);
    assertThat(failed(65536, "boom").status()).isEqualTo(502);
  }

  @Test
  void keepsTrinosMessageAndQueryId() {
    QueryFailure failure = failed(1, "line 1:8: mismatched input 'FROM'");

    assertThat(failure.code()).isEqualTo("invalid_query");
    assertThat(failure.getMessage())
        .isEqualTo("line 1:8: mismatched input 'FROM' (query 20240501_1)");
  }

  @Test
  void aDriverErrorWithoutAnAnswerFromTrinoMeansUnavailable() {
    SQLException e =
        new SQLException(
            "Error executing query: java.net.ConnectException: Failed to connect",
            new RuntimeException(new ConnectException("Failed to connect to /127.0.0.1:1")));

    QueryFailure failure = TrinoErrors.translate(e, null);

    assertThat(failure.status()).isEqualTo(503);
    assertThat(failure.code()).isEqualTo("trino_unavailable");
    assertThat(failure.getMessage()).contains("Failed to connect to /127.0.0.1:1");
  }
}
