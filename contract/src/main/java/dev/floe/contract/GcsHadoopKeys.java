package dev.floe.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code gs://} URIs reach GCS through the shaded Hadoop GCS connector (2.2.x for Hadoop 3):
 * its Hadoop configuration keys, the same for every JVM of the lake that opens the warehouse
 * through Hadoop (the job, the catalog-service).
 */
public final class GcsHadoopKeys {

  private GcsHadoopKeys() {}

  /**
   * The connector's keys.
   *
   * @param projectId the GCS project, if any
   * @param credentialsFile a service-account key file; without it, Application Default Credentials
   * @param endpoint another storage endpoint (an emulator such as fake-gcs-server), if any
   * @return Hadoop configuration keys (a new mutable map)
   */
  public static Map<String, String> of(
      Optional<String> projectId, Optional<String> credentialsFile, Optional<String> endpoint) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("fs.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
    props.put("fs.AbstractFileSystem.gs.impl", "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS");
    projectId.ifPresent(p -> props.put("fs.gs.project.id", p));
    if (credentialsFile.isPresent()) {
      props.put("fs.gs.auth.service.account.enable", "true");
      props.put("fs.gs.auth.service.account.json.keyfile", credentialsFile.get());
    } else if (endpoint.isPresent()) {
      // an emulator (fake-gcs-server) accepts unauthenticated requests and has no token endpoint
      props.put("fs.gs.auth.service.account.enable", "false");
      props.put("fs.gs.auth.null.enable", "true");
    }
    endpoint.ifPresent(e -> props.put("fs.gs.storage.root.url", e));
    return props;
  }
}
