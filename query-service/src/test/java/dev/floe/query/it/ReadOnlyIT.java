package dev.floe.query.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.floe.query.sql.ForbiddenCorpus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Read-only, enforced twice: the service refuses every statement of the corpus (403), and Trino's
 * access control denies the same writes to the service's user when they bypass the service.
 */
@QuarkusTest
@QuarkusTestResource(LakeResource.class)
class ReadOnlyIT {

  private final Lake lake = Lake.get();

  @Test
  void theServiceRefusesEveryForbiddenStatementAndTheTableStaysUnchanged() throws Exception {
    String before = lake.fingerprint();

    for (ForbiddenCorpus.Entry entry : ForbiddenCorpus.ENTRIES) {
      String sql = entry.on(lake.table, lake.schema);
      given()
          .queryParam("sql", sql)
          .get("/query")
          .then()
          .statusCode(403)
          .body("error", equalTo("statement_refused"));
      given()
          .contentType("text/plain")
          .body(sql)
          .post("/query")
          .then()
          .statusCode(403)
          .body("error", equalTo("statement_refused"));
    }

    assertThat(lake.fingerprint()).isEqualTo(before);
  }

  @Test
  void trinoDeniesTheSameWritesToTheServicesUser() throws Exception {
    String before = lake.fingerprint();
    List<String> notDenied = new ArrayList<>();
    int denied = 0;

    try (Connection connection = lake.asQueryUser();
        Statement statement = connection.createStatement()) {
      for (ForbiddenCorpus.Entry entry : ForbiddenCorpus.ENTRIES) {
        if (!entry.trinoDenies()) {
          continue;
        }
        String sql = entry.on(lake.table, lake.schema);
        try {
          statement.execute(sql);
          notDenied.add(sql + " -> succeeded");
        } catch (SQLException e) {
          if (e.getMessage().contains("Access Denied")) {
            denied++;
          } else {
            notDenied.add(sql + " -> " + e.getMessage());
          }
        }
      }
    }

    assertThat(notDenied).isEmpty();
    assertThat(denied).isGreaterThanOrEqualTo(30);
    assertThat(lake.fingerprint()).isEqualTo(before);
  }
}
