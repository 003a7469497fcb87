package dev.floe.catalog.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * GCS, for a {@code gs://} warehouse: the Flink job's keys ({@code floe.gcs.project-id} = {@code
 * FLOE_GCS_PROJECT_ID}), used for the service's own reads of metadata files and handed to clients
 * in {@code /v1/config} (all but the credentials: a client brings its own).
 */
@ConfigMapping(prefix = "floe.gcs")
public interface GcsSettings {

  /** The GCS project. */
  Optional<String> projectId();

  /** A service-account key file for the service itself; unset: Application Default Credentials. */
  Optional<String> credentialsFile();

  /** Another storage endpoint (an emulator such as fake-gcs-server). */
  Optional<String> endpoint();
}
