package dev.northwind.lakehouse.silver;

import java.util.Locale;

/** Where a fact row came from; stored in the facts' {@code source} column. */
public enum Source {
  /** The source database via Bronze (system of record: wins over the stream). */
  BATCH,
  /** The Kafka order-event stream. */
  STREAM;

  /** The stored value, {@code batch} or {@code stream}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
