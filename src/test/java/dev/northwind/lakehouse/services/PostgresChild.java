package dev.northwind.lakehouse.services;

import java.nio.file.Path;

/**
 * Starts PostgreSQL, writes a row, prints the JDBC URL and waits to be killed (see
 * EmbeddedPostgresKillIT).
 */
final class PostgresChild {

  private PostgresChild() {}

  public static void main(String[] args) throws Exception {
    EmbeddedPostgres pg = EmbeddedPostgres.start(Path.of(args[0]), 0, Mode.FRESH);
    EmbeddedPostgresTest.sql(pg, "CREATE TABLE customers (id text PRIMARY KEY, name text)");
    EmbeddedPostgresTest.sql(pg, "INSERT INTO customers VALUES ('ANATR', 'Ana Trujillo')");
    System.out.println(pg.jdbcUrl());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
