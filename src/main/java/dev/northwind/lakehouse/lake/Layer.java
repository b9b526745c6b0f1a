package dev.northwind.lakehouse.lake;

import java.util.Locale;

/** The medallion layers; each is a folder under the lake root and a database name in SQL. */
public enum Layer {
  BRONZE,
  SILVER,
  GOLD;

  /** Lower-case name used in folders and SQL, e.g. {@code bronze}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The layer of that name, if any. */
  public static java.util.Optional<Layer> of(String name) {
    for (Layer l : values()) {
      if (l.id().equalsIgnoreCase(name)) {
        return java.util.Optional.of(l);
      }
    }
    return java.util.Optional.empty();
  }
}
