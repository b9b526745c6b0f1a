package dev.northwind.lakehouse.lake;

import java.util.List;
import java.util.Objects;

/**
 * The declaration of one dataset of the pipeline graph: everything the runner needs to know about
 * it, and nothing about how it is computed beyond the transform's name.
 *
 * @param name the dataset's qualified name, e.g. {@code silver.fact_order} or {@code
 *     gold.line_base} (a view)
 * @param kind what the dataset is
 * @param mode how its flow writes it
 * @param keys the columns that identify a row (MERGE keys); empty when rows have no key
 * @param inputs the qualified names of the datasets it reads; external inputs are named {@code
 *     source.<table>} (the PostgreSQL source) or {@code kafka.<topic>}
 * @param flow the flow that refreshes it (one flow may write several datasets)
 * @param transform what computes it: a SQL resource ({@code sql/gold/x.sql}) or a Java transform
 * @param expectations the data-quality expectation set checked before writing, or empty
 * @param description one line for people
 */
public record DatasetSpec(
    String name,
    DatasetKind kind,
    WriteMode mode,
    List<String> keys,
    List<String> inputs,
    String flow,
    String transform,
    String expectations,
    String description) {

  /** The prefix of inputs read from the source database. */
  public static final String SOURCE = "source.";

  /** The prefix of inputs read from Kafka. */
  public static final String KAFKA = "kafka.";

  public DatasetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(flow, "flow");
    keys = List.copyOf(keys);
    inputs = List.copyOf(inputs);
    transform = transform == null ? "" : transform;
    expectations = expectations == null ? "" : expectations;
    description = description == null ? "" : description;
  }

  /** The layer part of the name ({@code bronze}, {@code silver}, {@code gold}). */
  public String layer() {
    return name.substring(0, name.indexOf('.'));
  }

  /** The table the dataset is stored as; views have none. */
  public java.util.Optional<TableId> table() {
    if (kind == DatasetKind.VIEW) {
      return java.util.Optional.empty();
    }
    return TableId.parse(name);
  }

  /**
   * Whether an input is outside the lake (the source database or Kafka), so has no Delta version.
   */
  public static boolean external(String input) {
    return input.startsWith(SOURCE) || input.startsWith(KAFKA);
  }
}
