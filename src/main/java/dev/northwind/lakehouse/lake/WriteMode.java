package dev.northwind.lakehouse.lake;

/** How a flow writes a dataset. */
public enum WriteMode {
  /** Replace the whole content in one commit. */
  OVERWRITE("overwrite"),
  /** Add rows in one commit; existing rows never change. */
  APPEND("append"),
  /** MERGE on the dataset's keys: insert new keys, update changed rows, delete removed ones. */
  MERGE("merge"),
  /** MERGE keeping history: a changed row closes its current version and opens a new one. */
  SCD2("merge (SCD2)"),
  /** Not written: computed when a reader needs it. */
  NONE("not stored");

  private final String label;

  WriteMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
