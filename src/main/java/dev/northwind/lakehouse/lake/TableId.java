package dev.northwind.lakehouse.lake;

/**
 * A table of the lake, addressed as {@code layer.name} (e.g. {@code bronze.orders}).
 *
 * @param layer the medallion layer
 * @param name the table name: lower-case letters, digits and '_'
 */
public record TableId(Layer layer, String name) {

  public TableId {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
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

  /** {@code layer.name}, as written in SQL. */
  public String qualified() {
    return layer.id() + "." + name;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
