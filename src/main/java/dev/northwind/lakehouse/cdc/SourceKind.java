package dev.northwind.lakehouse.cdc;

/** Whose database the changes are captured from: what {@code lakehouse cdc} may change on it. */
public enum SourceKind {
  /**
   * The embedded PostgreSQL, which the lakehouse owns: captured tables get {@code REPLICA IDENTITY
   * FULL} so updates and deletes carry the whole row before the change.
   */
  EMBEDDED,
  /**
   * Someone else's database: table settings are left alone; missing before-images are a warning.
   */
  EXTERNAL
}
