package dev.floe.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {

  @Test
  void serviceAccountKeyFileAndProject() {
    StorageSettings s =
        new StorageSettings(
            Optional.of("my-project"), Optional.of("/secrets/key.json"), Optional.empty());
    assertThat(s.hadoopProperties())
        .containsEntry("fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem")
        .containsEntry(
            "fs.AbstractFileSystem.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS")
        .containsEntry("fs.gs.project.id", "my-project")
        .containsEntry("fs.gs.auth.service.account.enable", "true")
        .containsEntry("fs.gs.auth.service.account.json.keyfile", "/secrets/key.json")
        .doesNotContainKey("fs.gs.storage.root.url");
    assertThat(s.flinkProperties())
        .containsEntry("flink.hadoop.fs.gs.project.id", "my-project")
        .containsEntry("flink.hadoop.fs.gs.auth.service.account.json.keyfile", "/secrets/key.json");
  }

  @Test
  void emulatorEndpointWithoutCredentials() {
    StorageSettings s =
        new StorageSettings(
            Optional.of("test"), Optional.empty(), Optional.of("http://127.0.0.1:4443"));
    assertThat(s.hadoopProperties())
        .containsEntry("fs.gs.storage.root.url", "http://127.0.0.1:4443")
        .containsEntry("fs.gs.auth.null.enable", "true")
        .containsEntry("fs.gs.auth.service.account.enable", "false");
    assertThat(s.hadoopConfiguration().get("fs.gs.storage.root.url"))
        .isEqualTo("http://127.0.0.1:4443");
  }

  @Test
  void settingsMapFromEnvironment() {
    JobSettings settings =
        JobSettings.load(
            new String[0],
            Map.of(
                "FLOE_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "FLOE_CATALOG_URI", "jdbc:postgresql://db/floe",
                "FLOE_CATALOG_WAREHOUSE", "gs://bucket/warehouse",
                "FLOE_CHECKPOINT_DIR", "gs://bucket/checkpoints",
                "FLOE_GCS_PROJECT_ID", "p",
                "FLOE_GCS_CREDENTIALS_FILE", "/k.json",
                "FLOE_GCS_ENDPOINT", "http://gcs:4443"),
            new Configuration());
    assertThat(settings.storage().hadoopProperties())
        .containsEntry("fs.gs.project.id", "p")
        .containsEntry("fs.gs.auth.service.account.json.keyfile", "/k.json")
        .containsEntry("fs.gs.storage.root.url", "http://gcs:4443");
    assertThat(settings.warehouse()).isEqualTo("gs://bucket/warehouse");
  }

  @Test
  void theConnectorReadsTheseKeys() throws Exception {
    // read the keys from the shaded connector itself, so that a connector upgrade that renames
    // one fails here rather than silently at run time
    Class<?> fs =
        Class.forName("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystemConfiguration");
    Class<?> credentials =
        Class.forName(
            "com.google.cloud.hadoop.repackaged.gcs.com.google.cloud.hadoop.util.HadoopCredentialConfiguration");
    String prefix = (String) fs.getField("GCS_CONFIG_PREFIX").get(null);
    assertThat(key(fs, "GCS_PROJECT_ID")).isEqualTo("fs.gs.project.id");
    assertThat(key(fs, "GCS_ROOT_URL")).isEqualTo("fs.gs.storage.root.url");
    assertThat(prefix + key(credentials, "ENABLE_SERVICE_ACCOUNTS_SUFFIX"))
        .isEqualTo("fs.gs.auth.service.account.enable");
    assertThat(prefix + key(credentials, "SERVICE_ACCOUNT_JSON_KEYFILE_SUFFIX"))
        .isEqualTo("fs.gs.auth.service.account.json.keyfile");
    assertThat(prefix + key(credentials, "ENABLE_NULL_CREDENTIAL_SUFFIX"))
        .isEqualTo("fs.gs.auth.null.enable");
    assertThat(Class.forName("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem")).isNotNull();
    assertThat(Class.forName("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS")).isNotNull();
  }

  private static String key(Class<?> type, String field) throws Exception {
    Object property = type.getField(field).get(null);
    return (String) property.getClass().getMethod("getKey").invoke(property);
  }
}
