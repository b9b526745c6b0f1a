package dev.northwind.lakehouse.source;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Streams rows into one table with {@code COPY ... FROM STDIN} in PostgreSQL's text format, field
 * by field, so that no table is ever held in memory. Call {@link #row()} after each row's fields
 * and {@link #finish()} once; closing an unfinished copy cancels it.
 */
final class CopyWriter implements AutoCloseable {

  private static final int BUFFER = 1 << 16;

  private final String table;
  private final PGCopyOutputStream out;
  private final Writer writer;
  private boolean first = true;

  CopyWriter(Connection c, String table) throws SQLException {
    this.table = table;
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    this.out = new PGCopyOutputStream(copy.copyIn("COPY " + table + " FROM STDIN"), BUFFER);
    this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
  }

  /** A text field; null becomes SQL NULL. */
  CopyWriter text(String value) throws IOException {
    separate();
    if (value == null) {
      writer.write("\\N");
      return this;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> writer.write("\\\\");
        case '\t' -> writer.write("\\t");
        case '\n' -> writer.write("\\n");
        case '\r' -> writer.write("\\r");
        default -> writer.write(ch);
      }
    }
    return this;
  }

  CopyWriter integer(long value) throws IOException {
    separate();
    writer.write(Long.toString(value));
    return this;
  }

  /** An amount given in hundredths, written exactly (e.g. 1405 as 14.05) for a real column. */
  CopyWriter cents(long cents) throws IOException {
    separate();
    if (cents < 0) {
      writer.write('-');
      cents = -cents;
    }
    writer.write(Long.toString(cents / 100));
    long fraction = cents % 100;
    if (fraction != 0) {
      writer.write(fraction < 10 ? ".0" : ".");
      writer.write(Long.toString(fraction));
    }
    return this;
  }

  CopyWriter date(LocalDate value) throws IOException {
    return value == null ? text(null) : text(value.toString());
  }

  /** An empty bytea, as the dump's pictures and photos are. */
  CopyWriter emptyBytes() throws IOException {
    separate();
    // Text format unescapes backslashes first, so bytea's hex prefix \x needs two.
    writer.write("\\\\x");
    return this;
  }

  String table() {
    return table;
  }

  /** Ends the current row. */
  void row() throws IOException {
    writer.write('\n');
    first = true;
  }

  /** Completes the copy; returns the row count the server confirms. */
  long finish() throws IOException, SQLException {
    writer.flush();
    return out.endCopy();
  }

  @Override
  public void close() throws SQLException {
    if (out.isActive()) {
      out.cancelCopy();
    }
  }

  private void separate() throws IOException {
    if (!first) {
      writer.write('\t');
    }
    first = false;
  }
}
