package dev.northwind.lakehouse.source;

import dev.northwind.lakehouse.LakehouseErrors;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How to reach the source PostgreSQL. The password is never part of {@link #toString()}.
 *
 * @param url JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/northwind}
 * @param user database user
 * @param password database password (may be empty)
 */
public record JdbcSource(String url, String user, String password) {

  /** Opens a connection, failing with a clear error naming the URL (never the password). */
  public Connection connect() {
    Properties p = properties();
    try {
      return DriverManager.getConnection(url, p);
    } catch (SQLException e) {
      throw LakehouseErrors.sourceUnreachable(url, e);
    }
  }

  /** Connection properties with a bounded connect timeout, for JDBC and Spark's reader. */
  public Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password == null ? "" : password);
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "600");
    p.setProperty("ApplicationName", "northwind-lakehouse");
    return p;
  }

  /** {@code postgresql:<host>/<db>}, the lineage value of Bronze's {@code _source_system}. */
  public String system() {
    URI u = URI.create(url.substring("jdbc:".length()));
    String db = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
    return "postgresql:" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/" + db;
  }

  @Override
  public String toString() {
    return "JdbcSource[url=" + url + ", user=" + user + "]";
  }
}
