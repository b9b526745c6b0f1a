package dev.northwind.lakehouse.bronze;

import dev.northwind.lakehouse.LakehouseErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base tables of the source schema, their columns' types and primary keys, read from
 * PostgreSQL's catalog. These names are the only identifiers that ever reach generated SQL.
 */
final class SourceCatalog {

  /** Column types Spark can use as JDBC partition bounds (long ranges). */
  static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

  /** Column types a watermark may have: compared with an exact numeric literal. */
  static final Set<String> WATERMARK_TYPES = Set.of("smallint", "integer", "bigint", "numeric");

  /** One source table: its columns (name → information_schema data_type) and primary key. */
  record SourceTable(
      String schema, String name, Map<String, String> columns, List<String> primaryKey) {

    /** {@code "schema"."name"}, quoted for SQL. */
    String qualified() {
      return quote(schema) + "." + quote(name);
    }

    /** The first integer column of the primary key, if any: a natural JDBC partition column. */
    String integerKey() {
      return primaryKey.stream()
          .filter(c -> INTEGER_TYPES.contains(columns.get(c)))
          .findFirst()
          .orElse(null);
    }
  }

  private SourceCatalog() {}

  /** Double-quotes an identifier (embedded quotes doubled), as PostgreSQL expects. */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * The schema's base tables in name order, or the requested subset in the given order.
   *
   * @throws dev.northwind.lakehouse.LakehouseException (usage) naming unknown requested tables
   */
  static List<SourceTable> discover(Connection c, String schema, List<String> requested)
      throws SQLException {
    List<String> names = new ArrayList<>();
    forEachRow(
        c,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
        schema,
        rs -> names.add(rs.getString(1)));
    List<String> chosen = names;
    if (!requested.isEmpty()) {
      List<String> unknown = requested.stream().filter(t -> !names.contains(t)).distinct().toList();
      if (!unknown.isEmpty()) {
        throw LakehouseErrors.unknownSourceTables(unknown, schema, names);
      }
      chosen = requested.stream().distinct().toList();
    }
    Map<String, Map<String, String>> columns = columns(c, schema);
    Map<String, List<String>> keys = primaryKeys(c, schema);
    List<SourceTable> out = new ArrayList<>();
    for (String t : chosen) {
      out.add(
          new SourceTable(
              schema, t, columns.getOrDefault(t, Map.of()), keys.getOrDefault(t, List.of())));
    }
    return out;
  }

  private static Map<String, Map<String, String>> columns(Connection c, String schema)
      throws SQLException {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    forEachRow(
        c,
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position",
        schema,
        rs ->
            out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                .put(rs.getString(2), rs.getString(3)));
    return out;
  }

  // pg_index rather than information_schema.table_constraints: the latter hides constraints from
  // users who may only SELECT, which is exactly what an ingestion user should be.
  private static Map<String, List<String>> primaryKeys(Connection c, String schema)
      throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    forEachRow(
        c,
        "SELECT t.relname, a.attname FROM pg_index i"
            + " JOIN pg_class t ON t.oid = i.indrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
            + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
            + " WHERE i.indisprimary AND n.nspname = ? ORDER BY t.relname, k.ord",
        schema,
        rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)));
    return out;
  }

  /** One row of a catalog query. */
  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /** Runs a catalog query whose one parameter is the schema, handing each row to {@code row}. */
  private static void forEachRow(Connection c, String sql, String schema, RowReader row)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.read(rs);
        }
      }
    }
  }
}
