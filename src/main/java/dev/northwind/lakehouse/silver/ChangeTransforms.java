package dev.northwind.lakehouse.silver;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.unbase64;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The change-apply transformations (AUTO CDC semantics), pure functions of Datasets so tests call
 * them directly with hand-made change rows. Inputs are {@code bronze.cdc_changes} rows (columns
 * {@code change_id, source_schema, source_table, op, lsn, txn_order, commit_time, key, before,
 * after}).
 *
 * <p>The sequence of a change is (streamed, lsn, txn_order): every snapshot read ({@code op = r})
 * comes before every streamed change of the same row, then WAL position, then position in the
 * transaction. Snapshot reads go first because a transaction that began before the slot's
 * consistent point and committed after it is streamed with change LSNs below the snapshot's LSN,
 * although the snapshot did not see it; the streamed change is the newer one. Two changes of one
 * row in different transactions are ordered by their LSNs (the second waits for the first's row
 * lock), so the order does not depend on when Bronze received them.
 */
public final class ChangeTransforms {

  /** Columns of the applied state, {@code silver.cdc_state}: the latest change per row. */
  public static final List<String> STATE_COLUMNS =
      List.of(
          "source_schema",
          "source_table",
          "key",
          "op",
          "deleted",
          "streamed",
          "lsn",
          "txn_order",
          "commit_time",
          "change_id",
          "row");

  private static final String DATE_Z = "^(\\d{4}-\\d{2}-\\d{2})Z$";

  private ChangeTransforms() {}

  /**
   * Each change once (by {@code change_id}) with its sequence columns: {@code streamed} (0 for a
   * snapshot read, 1 otherwise), {@code lsn}, {@code txn_order} (0 when absent), and {@code row}:
   * the row after the change, or before it for a delete.
   */
  public static Dataset<Row> sequenced(Dataset<Row> changes) {
    return changes
        .dropDuplicates("change_id")
        .select(
            col("source_schema"),
            col("source_table"),
            col("key"),
            col("op"),
            col("op").equalTo("d").as("deleted"),
            when(col("op").equalTo("r"), lit(0)).otherwise(lit(1)).as("streamed"),
            col("lsn"),
            coalesce(col("txn_order"), lit(0L)).cast(DataTypes.LongType).as("txn_order"),
            col("commit_time"),
            col("change_id"),
            coalesce(col("after"), col("before")).as("row"));
  }

  /**
   * The latest change per row (schema, table, key) by sequence: what the row is now. A delete is
   * kept as a tombstone ({@code deleted = true}) so that an older change arriving later cannot
   * bring the row back. Out-of-order and duplicate changes give the same result as in-order ones.
   *
   * @return rows with {@link #STATE_COLUMNS}
   */
  public static Dataset<Row> latestPerKey(Dataset<Row> changes) {
    WindowSpec newestFirst =
        Window.partitionBy("source_schema", "source_table", "key")
            .orderBy(
                col("streamed").desc(),
                col("lsn").desc(),
                col("txn_order").desc(),
                col("change_id").desc());
    return sequenced(changes)
        .withColumn("__rn", row_number().over(newestFirst))
        .where(col("__rn").equalTo(1))
        .select(STATE_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
  }

  /**
   * The live rows of one source table (tombstones left out) with the source's columns, shaped like
   * the Bronze batch table so the Silver transforms apply unchanged: each field of {@code like} is
   * read from the JSON row image and cast to its type (a Debezium date {@code 1996-07-16Z} loses
   * its zone mark first; bytea arrives as base64). {@code _ingested_at} is the commit time.
   *
   * @param state {@link #latestPerKey} rows
   * @param like the columns to read and their types; a string field keeps the JSON text (numbers
   *     included, exactly as Debezium wrote them)
   */
  public static Dataset<Row> liveRows(Dataset<Row> state, String table, StructType like) {
    Dataset<Row> live =
        state
            .where(col("source_table").equalTo(table).and(col("deleted").unary_$bang()))
            .select(from_json(col("row"), textSchema(like)).as("__r"), col("commit_time"));
    List<Column> out = new ArrayList<>();
    for (StructField f : like.fields()) {
      Column raw = regexp_replace(col("__r." + f.name()), DATE_Z, "$1");
      Column typed =
          f.dataType() instanceof BinaryType
              ? unbase64(col("__r." + f.name()))
              : f.dataType() instanceof StringType ? raw : raw.cast(f.dataType());
      out.add(typed.as(f.name()));
    }
    out.add(col("commit_time").as("_ingested_at"));
    return live.select(out.toArray(Column[]::new));
  }

  /**
   * {@code dim_customer} versions from the captured customer changes: a version per change of a
   * tracked attribute (row_hash), {@code valid_from} = the change's commit time, {@code valid_to} =
   * the next version's commit time or the delete's; the last version is current unless the customer
   * was deleted. Several changes of one customer in one transaction make one version (the last). No
   * {@code customer_sk} yet ({@link #customerHistory} assigns it).
   *
   * @param changes {@code bronze.cdc_changes} rows of the customers table
   * @param like the customers columns (see {@link #liveRows})
   */
  public static Dataset<Row> customerVersions(Dataset<Row> changes, StructType like) {
    Dataset<Row> parsed =
        sequenced(changes.where(col("source_table").equalTo("customers")))
            .select(
                from_json(col("row"), textSchema(like)).as("__r"),
                col("deleted").as("__deleted"),
                col("streamed").as("__streamed"),
                col("lsn").as("__lsn"),
                col("txn_order").as("__txn_order"),
                col("change_id").as("__change_id"),
                col("commit_time").as("__commit_time"))
            .select(
                "__r.*",
                "__deleted",
                "__streamed",
                "__lsn",
                "__txn_order",
                "__change_id",
                "__commit_time");
    List<Column> clean = new ArrayList<>(List.of(SilverTransforms.customerColumns()));
    for (String c : SEQUENCE) {
      clean.add(col(c));
    }
    Dataset<Row> cleaned =
        SilverTransforms.withCustomerHash(parsed.select(clean.toArray(Column[]::new)))
            .where(col("customer_id").isNotNull());
    // Several changes of a customer in one transaction share the commit time: one version, the
    // last change's.
    Dataset<Row> perCommit =
        cleaned
            .withColumn(
                "__rn",
                row_number()
                    .over(
                        Window.partitionBy(col("customer_id"), col("__commit_time"))
                            .orderBy(
                                col("__streamed").desc(),
                                col("__lsn").desc(),
                                col("__txn_order").desc(),
                                col("__change_id").desc())))
            .where(col("__rn").equalTo(1))
            .drop("__rn");
    WindowSpec bySeq =
        Window.partitionBy("customer_id")
            .orderBy(col("__streamed"), col("__lsn"), col("__txn_order"), col("__change_id"));
    Column prevHash = lag(col("row_hash"), 1).over(bySeq);
    Column prevDeleted = lag(col("__deleted"), 1).over(bySeq);
    // A change opens a version when it is the first, follows a delete, or changes row_hash; a
    // delete closes the open version. Other changes (same tracked attributes) are no new version.
    Dataset<Row> boundaries =
        perCommit
            .withColumn(
                "__opens",
                col("__deleted")
                    .or(prevHash.isNull())
                    .or(coalesce(prevDeleted, lit(false)))
                    .or(col("row_hash").notEqual(prevHash)))
            .where(col("__opens"));
    return boundaries
        .withColumn("valid_to", lead(col("__commit_time"), 1).over(bySeq))
        .where(col("__deleted").unary_$bang())
        .select(
            SilverTransforms.customerVersion(
                col("__commit_time").as("valid_from"),
                col("valid_to"),
                col("valid_to").isNull().as("is_current")));
  }

  /**
   * {@code dim_customer} as it should be: the versions Silver held before the switch to capture
   * (valid_from before the customer's first captured version, or before {@code cutover} for a
   * customer without one) followed by the captured {@code versions}. The last earlier version is
   * closed where the captured history starts, or continued by the first captured version when their
   * attributes are equal (one version, its original valid_from). Existing versions keep their
   * customer_sk; new ones get the next free numbers in (customer_id, valid_from) order.
   *
   * @param existing the current {@code dim_customer} rows (empty on a lake without one)
   * @param versions {@link #customerVersions}
   * @param cutover when capture started (the snapshot's commit time)
   * @return the whole table, every column of {@code dim_customer}
   */
  public static Dataset<Row> customerHistory(
      Dataset<Row> existing, Dataset<Row> versions, Column cutover) {
    Dataset<Row> first =
        versions
            .withColumn(
                "__rn",
                row_number().over(Window.partitionBy("customer_id").orderBy(col("valid_from"))))
            .where(col("__rn").equalTo(1))
            .select(
                col("customer_id").as("__fid"),
                col("valid_from").as("__f_from"),
                col("valid_to").as("__f_to"),
                col("is_current").as("__f_current"),
                col("row_hash").as("__f_hash"));
    Dataset<Row> earlier =
        existing
            .join(first, col("customer_id").equalTo(col("__fid")), "left")
            .where(col("valid_from").lt(coalesce(col("__f_from"), cutover)));
    WindowSpec latestFirst = Window.partitionBy("customer_id").orderBy(col("valid_from").desc());
    Column closedAt = coalesce(col("__f_from"), cutover);
    Dataset<Row> history =
        earlier
            .withColumn("__last", row_number().over(latestFirst).equalTo(1))
            .withColumn(
                "__continued", col("__last").and(col("row_hash").eqNullSafe(col("__f_hash"))))
            .withColumn(
                "valid_to",
                when(col("__continued"), col("__f_to"))
                    .when(
                        col("__last")
                            .and(col("valid_to").isNull().or(col("valid_to").gt(closedAt))),
                        closedAt)
                    .otherwise(col("valid_to")))
            .withColumn(
                "is_current",
                when(col("__continued"), col("__f_current"))
                    .when(col("__last"), lit(false))
                    .otherwise(col("is_current")));
    Dataset<Row> continuedIds =
        history.where(col("__continued")).select(col("customer_id").as("__cid"));
    Dataset<Row> captured =
        versions
            .join(first, sameVersion("__fid", "__f_from"), "left")
            .join(continuedIds, col("customer_id").equalTo(col("__cid")), "left")
            // The first captured version is dropped where an earlier one continues it.
            .where(col("__fid").isNull().or(col("__cid").isNull()))
            .select(versions.columns()[0], tail(versions.columns()));
    Dataset<Row> keyed =
        existing.select(
            col("customer_id").as("__kid"),
            col("valid_from").as("__kfrom"),
            col("customer_sk").as("__sk"));
    Dataset<Row> withSk =
        captured.join(keyed, sameVersion("__kid", "__kfrom"), "left").drop("__kid", "__kfrom");
    Row maxSk = existing.agg(max("customer_sk")).first();
    long base = maxSk.isNullAt(0) ? 0 : maxSk.getLong(0);
    Dataset<Row> numbered =
        withSk
            .withColumn(
                "customer_sk",
                coalesce(
                    col("__sk"),
                    lit(base)
                        .plus(
                            row_number()
                                .over(
                                    Window.partitionBy(col("__sk").isNull())
                                        .orderBy("customer_id", "valid_from")))
                        .cast(DataTypes.LongType)))
            .drop("__sk");
    Column[] columns = DIM_CUSTOMER_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new);
    return history.select(columns).unionByName(numbered.select(columns));
  }

  /** The columns of {@code dim_customer}, in table order. */
  static final List<String> DIM_CUSTOMER_COLUMNS =
      java.util.stream.Stream.of(
              List.of("customer_sk", "customer_id"),
              SilverTransforms.CUSTOMER_TRACKED,
              List.of("row_hash", "valid_from", "valid_to", "is_current"))
          .flatMap(List::stream)
          .toList();

  private static final List<String> SEQUENCE =
      List.of("__deleted", "__streamed", "__lsn", "__txn_order", "__change_id", "__commit_time");

  private static String[] tail(String[] columns) {
    return java.util.Arrays.copyOfRange(columns, 1, columns.length);
  }

  /** {@code like} with every field as a string: the JSON text of each value. */
  private static StructType textSchema(StructType like) {
    StructType text = new StructType();
    for (StructField f : like.fields()) {
      text = text.add(f.name(), DataTypes.StringType);
    }
    return text;
  }

  /**
   * A customer version's key (customer_id, valid_from) equals the columns {@code id}, {@code from}.
   */
  private static Column sameVersion(String id, String from) {
    return col("customer_id").equalTo(col(id)).and(col("valid_from").equalTo(col(from)));
  }
}
