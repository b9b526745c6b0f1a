package dev.northwind.lakehouse.source;

/** What a load does when the target database already holds Northwind rows. */
public enum ExistingData {
  /** Fail with a message that asks for {@code --replace}; nothing is changed. */
  REFUSE,
  /** Drop the 14 Northwind tables and load afresh, in the same transaction as the load. */
  REPLACE
}
