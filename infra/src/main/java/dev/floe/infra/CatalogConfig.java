package dev.floe.infra;

import java.util.Properties;

/** The Iceberg JDBC catalog settings of infra/catalog/catalog.properties, password overridable. */
record CatalogConfig(
    String catalogName, String database, String user, String password, String namespace) {

  static CatalogConfig load(StackSettings settings) {
    Properties p = Platform.properties("catalog/catalog.properties");
    return new CatalogConfig(
        required(p, "catalog.name"),
        required(p, "database"),
        required(p, "user"),
        settings.catalogPassword().orElse(required(p, "password")),
        required(p, "namespace"));
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("infra/catalog/catalog.properties: " + key + " is required");
    }
    return v.trim();
  }
}
