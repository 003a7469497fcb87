package dev.floe.catalog.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.floe.contract.LakeNames;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The service as another engine meets it: Iceberg's own Java REST client against the running
 * service over the embedded lake, compared with the JDBC catalog behind it and with Trino.
 */
@QuarkusTest
@QuarkusTestResource(CatalogLakeResource.class)
class RestCatalogIT {

  @TestHTTPResource("/")
  URL base;

  private RESTCatalog client(String token) {
    Map<String, String> props = new HashMap<>();
    props.put("uri", base.toString());
    if (token != null) {
      props.put("token", token);
    }
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize("floe-rest", props);
    return catalog;
  }

  private static String metadataLocation(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  @Test
  void configAnswersWithTheServedEndpoints() {
    CatalogLake.get();
    given()
        .get("/v1/config")
        .then()
        .statusCode(200)
        .body("defaults.warehouse", equalTo(CatalogLake.get().stack.warehouse()))
        .body("endpoints", hasItem("GET /v1/{prefix}/namespaces/{namespace}/tables/{table}"));
  }

  @Test
  void namespacesListTheLake() throws IOException {
    try (RESTCatalog rest = client(null)) {
      assertThat(rest.listNamespaces()).contains(Namespace.of(LakeNames.NAMESPACE));
      assertThat(rest.listTables(Namespace.of(LakeNames.NAMESPACE))).contains(CatalogLake.EVENTS);
    }
  }

  @Test
  void theTableLoadsAsTheJdbcCatalogHasIt() throws Exception {
    CatalogLake lake = CatalogLake.get();
    try (RESTCatalog rest = client(null);
        JdbcCatalog jdbc = lake.jdbcCatalog()) {
      Table viaRest = rest.loadTable(CatalogLake.EVENTS);
      Table viaJdbc = jdbc.loadTable(CatalogLake.EVENTS);

      assertThat(metadataLocation(viaRest)).isEqualTo(metadataLocation(viaJdbc));
      assertThat(viaRest.currentSnapshot().snapshotId())
          .isEqualTo(viaJdbc.currentSnapshot().snapshotId());
      assertThat(viaRest.schema().findField("properties").type()).isInstanceOf(Types.MapType.class);
      assertThat(viaRest.schema().findField(CatalogLake.EVOLVED)).isNotNull();
    }
  }

  @Test
  void rowsReadThroughTheRestClientAreTrinos() throws Exception {
    CatalogLake lake = CatalogLake.get();
    long trinoCount = lake.trinoLong("SELECT count(*) FROM " + LakeNames.TRINO_TABLE);
    String trinoPage =
        lake.trinoString(
            "SELECT properties['page'] FROM " + LakeNames.TRINO_TABLE + " WHERE event_id = 'e-1'");
    String trinoPlan =
        lake.trinoString(
            "SELECT "
                + CatalogLake.EVOLVED
                + " FROM "
                + LakeNames.TRINO_TABLE
                + " WHERE event_id = 'e-4'");
    try (RESTCatalog rest = client(null)) {
      Table table = rest.loadTable(CatalogLake.EVENTS);
      List<Record> rows;
      try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
        rows = new java.util.ArrayList<>();
        read.forEach(r -> rows.add(r.copy()));
      }
      assertThat((long) rows.size()).isEqualTo(trinoCount).isEqualTo(CatalogLake.ROWS);
      Record e1 = byId(rows, "e-1");
      assertThat(e1.getField("properties")).isEqualTo(Map.of("page", trinoPage));
      assertThat(byId(rows, "e-4").getField(CatalogLake.EVOLVED)).isEqualTo(trinoPlan);
    }
  }

  private static Record byId(List<Record> rows, String id) {
    return rows.stream().filter(r -> id.equals(r.getField("event_id"))).findFirst().orElseThrow();
  }

  @Test
  void writesWithoutTheAdminTokenAreRefusedAndChangeNothing() throws Exception {
    CatalogLake lake = CatalogLake.get();
    TableIdentifier scratch = TableIdentifier.of(LakeNames.NAMESPACE, "scratch_" + suffix());
    String before;
    long snapshotBefore;
    try (JdbcCatalog jdbc = lake.jdbcCatalog()) {
      before = metadataLocation(jdbc.loadTable(CatalogLake.EVENTS));
      snapshotBefore = jdbc.loadTable(CatalogLake.EVENTS).currentSnapshot().snapshotId();
    }
    try (RESTCatalog rest = client(null)) {
      Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
      // 401: a write needs the admin token, and the message names its setting
      assertThatThrownBy(() -> rest.createTable(scratch, schema))
          .isInstanceOf(NotAuthorizedException.class)
          .hasMessageContaining("floe.catalog.admin-token");
      Table events = rest.loadTable(CatalogLake.EVENTS);
      assertThatThrownBy(() -> events.updateProperties().set("owner", "someone-else").commit())
          .isInstanceOf(NotAuthorizedException.class);
      assertThatThrownBy(() -> rest.dropTable(CatalogLake.EVENTS))
          .isInstanceOf(NotAuthorizedException.class);
    }
    // 403: a reader's token is not the admin token
    try (RESTCatalog reader = client("a-reader-token")) {
      assertThatThrownBy(() -> reader.dropTable(CatalogLake.EVENTS))
          .isInstanceOf(ForbiddenException.class);
    }
    // the same over plain HTTP: the spec's error body, 401 without a header, 403 with a wrong one
    given()
        .contentType("application/json")
        .body("{}")
        .post("/v1/namespaces/lake/tables/events")
        .then()
        .statusCode(401)
        .body("error.code", equalTo(401))
        .body("error.type", equalTo("NotAuthorizedException"));
    given()
        .header("Authorization", "Bearer not-the-admin-token")
        .delete("/v1/namespaces/lake/tables/events")
        .then()
        .statusCode(403)
        .body("error.type", equalTo("ForbiddenException"));
    try (JdbcCatalog jdbc = lake.jdbcCatalog()) {
      assertThat(jdbc.tableExists(scratch)).isFalse();
      Table events = jdbc.loadTable(CatalogLake.EVENTS);
      assertThat(metadataLocation(events)).isEqualTo(before);
      assertThat(events.currentSnapshot().snapshotId()).isEqualTo(snapshotBefore);
      assertThat(events.properties()).doesNotContainKey("owner");
    }
  }

  @Test
  void withTheAdminTokenAWriteWorks() throws Exception {
    CatalogLake lake = CatalogLake.get();
    TableIdentifier scratch = TableIdentifier.of(LakeNames.NAMESPACE, "scratch_" + suffix());
    try (RESTCatalog admin = client(CatalogLakeResource.ADMIN_TOKEN)) {
      Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
      Table created = admin.createTable(scratch, schema);
      created.updateProperties().set("purpose", "scratch").commit();
      try (JdbcCatalog jdbc = lake.jdbcCatalog()) {
        assertThat(jdbc.loadTable(scratch).properties()).containsEntry("purpose", "scratch");
      }
      assertThat(admin.dropTable(scratch)).isTrue();
      try (JdbcCatalog jdbc = lake.jdbcCatalog()) {
        assertThat(jdbc.tableExists(scratch)).isFalse();
      }
    }
  }

  @Test
  void badInputIsAClearClientError() {
    given()
        .header("Authorization", "Bearer " + CatalogLakeResource.ADMIN_TOKEN)
        .contentType("application/json")
        .body("{not json")
        .post("/v1/namespaces/lake/tables")
        .then()
        .statusCode(400)
        .body("error.type", equalTo("IllegalArgumentException"));
    given()
        .get("/v1/namespaces/lake/tables/no_such_table")
        .then()
        .statusCode(404)
        .body("error.type", equalTo("NoSuchTableException"));
  }

  /**
   * This JVM's Trino reads the lake's catalog through this service (FLOE_TRINO_CATALOG_TYPE=rest)
   * and its admin catalog through the JDBC catalog: both see the same rows and the same snapshot,
   * and the service counts Trino's table loads.
   */
  @Test
  void trinoReadsTheLakeThroughTheRestCatalogAsThroughJdbc() throws Exception {
    CatalogLake lake = CatalogLake.get();
    double loadsBefore = tableLoads();
    long viaRest = lake.trinoLong("SELECT count(*) FROM " + LakeNames.TRINO_TABLE);
    assertThat(tableLoads()).isGreaterThan(loadsBefore);
    String admin = dev.floe.infra.EmbeddedStack.inAdminCatalog(LakeNames.TRINO_TABLE);
    try (var c = lake.trino(dev.floe.infra.EmbeddedStack.TRINO_ADMIN_USER);
        var s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM "
                    + admin
                    + "), (SELECT snapshot_id FROM "
                    + admin.replace(".events", ".\"events$snapshots\"")
                    + " ORDER BY committed_at DESC LIMIT 1)")) {
      rs.next();
      assertThat(viaRest).isEqualTo(rs.getLong(1)).isEqualTo(CatalogLake.ROWS);
      long jdbcSnapshot = rs.getLong(2);
      long restSnapshot =
          lake.trinoLong(
              "SELECT snapshot_id FROM "
                  + LakeNames.TRINO_TABLE.replace(".events", ".\"events$snapshots\"")
                  + " ORDER BY committed_at DESC LIMIT 1");
      assertThat(restSnapshot).isEqualTo(jdbcSnapshot);
    }
  }

  /** The service's count of table loads (GET of a table), from its Prometheus metrics. */
  private static double tableLoads() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("http_server_requests_seconds_count{")
          && line.contains("method=\"GET\"")
          && line.contains("uri=\"/v1/namespaces/{namespace}/tables/{table}\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Test
  void healthAndMetricsAnswerLikeTheOtherServices() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/v1/namespaces").then().statusCode(200);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("uri=\"/v1/namespaces\""));
  }

  private static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
