package dev.floe.query.sql;

import java.util.List;

/**
 * Statements the service must refuse (403). {@code {t}} stands for the events table and {@code {s}}
 * for its schema. {@code trinoDenies} marks the single statements that Trino's access control must
 * also deny when sent straight to Trino as the service's user (the others are refused by Trino for
 * other reasons, such as a syntax error for two statements in one, or change only the session).
 */
public final class ForbiddenCorpus {

  /** One forbidden statement. */
  public record Entry(String sql, boolean trinoDenies) {
    public String on(String table, String schema) {
      return sql.replace("{t}", table).replace("{s}", schema);
    }

    @Override
    public String toString() {
      return sql;
    }
  }

  private ForbiddenCorpus() {}

  private static Entry write(String sql) {
    return new Entry(sql, true);
  }

  private static Entry other(String sql) {
    return new Entry(sql, false);
  }

  public static final List<Entry> ENTRIES =
      List.of(
          // plain writes
          write("INSERT INTO {t} (event_id, type) VALUES ('x', 'hack')"),
          write("INSERT INTO {t} SELECT * FROM {t}"),
          write("UPDATE {t} SET type = 'hacked'"),
          write("DELETE FROM {t}"),
          write("DELETE FROM {t} WHERE type = 'click'"),
          write(
              "MERGE INTO {t} t USING (VALUES 'e-1') s(id) ON t.event_id = s.id"
                  + " WHEN MATCHED THEN DELETE"),
          write("TRUNCATE TABLE {t}"),
          write("DROP TABLE {t}"),
          write("DROP TABLE IF EXISTS {t}"),
          write("DROP SCHEMA {s} CASCADE"),
          write("CREATE TABLE {s}.evil (id bigint)"),
          write("CREATE TABLE {s}.evil AS SELECT * FROM {t}"),
          write("CREATE SCHEMA iceberg.evil"),
          write("CREATE VIEW {s}.evil_view AS SELECT 1 x"),
          write("CREATE OR REPLACE VIEW {s}.evil_view AS SELECT 1 x"),
          write("CREATE MATERIALIZED VIEW {s}.evil_mv AS SELECT 1 x"),
          write("ALTER TABLE {t} ADD COLUMN evil varchar"),
          write("ALTER TABLE {t} DROP COLUMN source"),
          write("ALTER TABLE {t} RENAME TO {s}.renamed"),
          // table procedures: Trino's file-based rules have no check for them, the read-only
          // iceberg catalog (iceberg.security=read-only) denies them
          write("ALTER TABLE {t} EXECUTE optimize"),
          write("ALTER TABLE {t} EXECUTE expire_snapshots(retention_threshold => '0s')"),
          write("ALTER TABLE {t} EXECUTE remove_orphan_files(retention_threshold => '7d')"),
          write("ALTER TABLE {t} SET PROPERTIES format_version = 2"),
          write("ALTER SCHEMA {s} RENAME TO evil"),
          write("COMMENT ON TABLE {t} IS 'hacked'"),
          write("COMMENT ON COLUMN {t}.type IS 'hacked'"),
          write("GRANT SELECT ON {t} TO USER evil"),
          write("REVOKE SELECT ON {t} FROM USER floe_query"),
          write("CALL iceberg.system.rollback_to_snapshot('lake', 'events', 1)"),
          write("ANALYZE {t}"),
          write("EXPLAIN ANALYZE INSERT INTO {t} (event_id) VALUES ('x')"),
          write("EXPLAIN ANALYZE DELETE FROM {t}"),
          write("SET SESSION query_max_memory = '1TB'"),
          // odd casing, whitespace and comments around a write
          write("insert into {t} (event_id) values ('x')"),
          write("DeLeTe FrOm {t}"),
          write("  \n\t DROP\nTABLE\n{t}  "),
          write("/* just a read */ DELETE FROM {t}"),
          write("-- SELECT 1\nDELETE FROM {t}"),
          write("DELETE /* SELECT */ FROM {t}"),
          other("DELETE FROM {t};"),
          other("((INSERT INTO {t} (event_id) VALUES ('x')))"),
          write("EXPLAIN (TYPE LOGICAL) INSERT INTO {t} (event_id) VALUES ('x')"),
          // session, role, transactions, prepared statements
          other("SET ROLE ALL"),
          other("SET ROLE admin IN iceberg"),
          other("SET PATH evil"),
          other("SET TIME ZONE 'UTC'"),
          other("RESET SESSION query_max_run_time"),
          other("USE iceberg.evil"),
          other("START TRANSACTION"),
          other("COMMIT"),
          other("ROLLBACK"),
          other("PREPARE p FROM DELETE FROM {t}"),
          other("EXECUTE p"),
          other("EXECUTE IMMEDIATE 'DELETE FROM {t}'"),
          other("DEALLOCATE PREPARE p"),
          other("REFRESH MATERIALIZED VIEW {s}.evil_mv"),
          // two statements in one, and writes behind string tricks
          other("SELECT 1; DELETE FROM {t}"),
          other("SELECT 1;DROP TABLE {t}"),
          other("SELECT ';'; DROP TABLE {t}"),
          other("SELECT '--'; DELETE FROM {t}"),
          other("SELECT 1 /* ; */; DROP TABLE {t} --"),
          other("SELECT 'it''s'; DROP TABLE {t}"),
          other("SELECT \"a;b\" FROM (VALUES 1) v(\"a;b\"); DELETE FROM {t}"),
          other("SELECT 1 -- harmless\n; INSERT INTO {t} (event_id) VALUES ('x')"),
          other("SELECT 1 FROM {t} WHERE 1 = 1 OR 'a' = 'a'; DELETE FROM {t}"),
          other("WITH x AS (SELECT 1) DELETE FROM {t}"),
          other("SELECT * INTO evil FROM {t}"),
          other("SELECT * FROM {t}; SELECT 2"),
          other("EXPLAIN ANALYZE SELECT * FROM {t}"),
          other("EXPLAIN ANALYZE VERBOSE SELECT 1"),
          other("explain analyze select 1"),
          other("SHOW CREATE TABLE {t}; DROP TABLE {t}"),
          other("DESCRIBE {t}; DELETE FROM {t}"),
          other("VALUES 1; DELETE FROM {t}"),
          other("CREATE FUNCTION evil() RETURNS bigint RETURN 1"),
          other("DROP FUNCTION evil"),
          other("DENY SELECT ON {t} TO USER floe_query"));
  // text whose first word starts no SQL statement ("garbage that is not sql") is a syntax error
  // (400), not a refused statement: StatementClassifierTest#textWhoseFirstWordStartsNoStatement...
}
