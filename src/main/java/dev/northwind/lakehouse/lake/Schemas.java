package dev.northwind.lakehouse.lake;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one way row shapes are declared: a column list in Spark's DDL words, e.g. {@code "run_id
 * STRING NOT NULL, rows_read BIGINT, freight DECIMAL(12,4)"}, gives the same StructType as {@code
 * StructType.fromDDL}. Read here rather than by Spark's SQL parser, whose first use costs seconds
 * of class loading: schemas are constants of classes that commands such as {@code produce} load
 * without ever starting Spark.
 *
 * <p>Types: STRING, INT, BIGINT, DOUBLE, BOOLEAN, BINARY, DATE, TIMESTAMP, DECIMAL(p,s); a column
 * is nullable unless it says NOT NULL.
 */
public final class Schemas {

  /** {@code name TYPE [NOT NULL]}; the name may be quoted in backticks. */
  private static final Pattern COLUMN =
      Pattern.compile(
          "\\s*`?([A-Za-z_][A-Za-z0-9_]*)`?\\s+([A-Za-z]+(?:\\([\\d\\s,]+\\))?)(\\s+NOT\\s+NULL)?\\s*",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern DECIMAL =
      Pattern.compile("DECIMAL\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)", Pattern.CASE_INSENSITIVE);

  /** Commas between columns, not the one inside DECIMAL(p,s). */
  private static final Pattern SEPARATOR = Pattern.compile(",(?![^(]*\\))");

  private Schemas() {}

  /** The schema of a column list, e.g. {@code "order_id INT NOT NULL, note STRING"}. */
  public static StructType of(String columns) {
    StructType schema = new StructType();
    for (String column : SEPARATOR.split(columns)) {
      Matcher m = COLUMN.matcher(column);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "not a column definition (name TYPE [NOT NULL]): '" + column.trim() + "'");
      }
      schema = schema.add(m.group(1), type(m.group(2)), m.group(3) == null);
    }
    return schema;
  }

  /** The columns of each part, in order. */
  public static StructType concat(StructType... parts) {
    return new StructType(
        Arrays.stream(parts).flatMap(p -> Stream.of(p.fields())).toArray(StructField[]::new));
  }

  private static DataType type(String name) {
    Matcher decimal = DECIMAL.matcher(name);
    if (decimal.matches()) {
      return DataTypes.createDecimalType(
          Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "STRING" -> DataTypes.StringType;
      case "INT" -> DataTypes.IntegerType;
      case "BIGINT" -> DataTypes.LongType;
      case "DOUBLE" -> DataTypes.DoubleType;
      case "BOOLEAN" -> DataTypes.BooleanType;
      case "BINARY" -> DataTypes.BinaryType;
      case "DATE" -> DataTypes.DateType;
      case "TIMESTAMP" -> DataTypes.TimestampType;
      default -> throw new IllegalArgumentException("unsupported column type " + name);
    };
  }
}
