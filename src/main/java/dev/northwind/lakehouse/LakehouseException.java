package dev.northwind.lakehouse;

/**
 * A failure the user can act on: it carries what went wrong, why, and how to fix it, and the
 * process exit code it maps to. Build instances through {@link LakehouseErrors}, never directly, so
 * that every message has the same shape.
 */
public final class LakehouseException extends RuntimeException {

  /** How a failure maps to the CLI exit code. */
  public enum Kind {
    /** A bad flag, config key or input file: exit code 2. */
    USAGE(2),
    /** A job that started and failed (service down, reconciliation mismatch, ...): exit code 1. */
    JOB(1);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;
  private final String problem;
  private final String fix;

  LakehouseException(Kind kind, String problem, String fix, Throwable cause) {
    super(fix == null || fix.isBlank() ? problem : problem + " " + fix, cause);
    this.kind = kind;
    this.problem = problem;
    this.fix = fix;
  }

  public Kind kind() {
    return kind;
  }

  public String problem() {
    return problem;
  }

  public String fix() {
    return fix;
  }

  public int exitCode() {
    return kind.exitCode();
  }
}
