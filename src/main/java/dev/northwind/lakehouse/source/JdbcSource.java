package dev.northwind.lakehouse.source;

/**
 * How to reach the source PostgreSQL: JDBC URL and credentials.
 *
 * @param url JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/northwind}
 * @param user database user
 * @param password database password (never printed)
 */
public record JdbcSource(String url, String user, String password) {

  @Override
  public String toString() {
    // Records print every component; the password must never reach a log.
    return "JdbcSource[url=" + url + ", user=" + user + "]";
  }
}
