package dev.floe.query.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the service under test at the shared embedded Trino and this run's events table. */
public class LakeResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    Lake lake = Lake.get();
    return Map.of(
        "floe.query.trino.url",
        lake.stack.trinoJdbcUrl(),
        "floe.query.events-table",
        lake.table,
        "floe.query.max-row-limit",
        "1200");
  }

  @Override
  public void stop() {
    // The shared stack outlives the application: other test classes use it; a shutdown hook stops
    // it.
  }
}
