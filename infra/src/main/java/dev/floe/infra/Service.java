package dev.floe.infra;

/** The platform services of the embedded stack, in start order. */
public enum Service {
  /** One Kafka broker (KRaft, combined broker and controller) with the platform topics. */
  KAFKA,
  /** PostgreSQL holding the Iceberg JDBC catalog (database, user, catalog tables, namespace). */
  POSTGRES,
  /** Trino 476 with the Iceberg connector on the JDBC catalog; needs {@link #POSTGRES}. */
  TRINO
}
