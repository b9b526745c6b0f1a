package dev.northwind.lakehouse.services;

/** What an embedded service does with the data it finds in its folder at start. */
public enum Mode {
  /** Keep the existing data (tables, topics, offsets) and start on top of it. */
  REUSE,
  /** Delete the existing data first, so the service starts empty. */
  FRESH
}
