package dev.northwind.lakehouse.lake;

/**
 * A table of the lake, addressed as {@code layer.name} (e.g. {@code bronze.orders}).
 *
 * @param layer the medallion layer
 * @param name the table name: lower-case letters, digits and '_'
 */
public record TableId(Layer layer, String name) {

  private static final String NAME = "[a-z_][a-z0-9_]*";

  public TableId {
    if (!name.matches(NAME)) {
      throw new IllegalArgumentException(
          "table name must be lower-case letters, digits and '_': " + name);
    }
  }

  public static TableId bronze(String name) {
    return new TableId(Layer.BRONZE, name);
  }

  public static TableId silver(String name) {
    return new TableId(Layer.SILVER, name);
  }

  public static TableId gold(String name) {
    return new TableId(Layer.GOLD, name);
  }

  /**
   * The table a qualified name ({@code layer.name}) addresses, or empty when it names no layer or
   * is not a valid table name (e.g. an input outside the lake).
   */
  public static java.util.Optional<TableId> parse(String qualified) {
    int dot = qualified.indexOf('.');
    String name = qualified.substring(dot + 1);
    if (dot < 0 || !name.matches(NAME)) {
      return java.util.Optional.empty();
    }
    return Layer.of(qualified.substring(0, dot)).map(l -> new TableId(l, name));
  }

  /** {@code layer.name}, as written in SQL. */
  public String qualified() {
    return layer.id() + "." + name;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
