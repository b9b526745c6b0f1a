package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.LakehouseException;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lakehouse} command line. Exit codes: 0 success, 1 a job failed, 2 a usage or
 * configuration error.
 */
@Command(
    name = "lakehouse",
    mixinStandardHelpOptions = true,
    version = "northwind-lakehouse 0.1.0",
    description =
        "Northwind Lakehouse: PostgreSQL + Kafka into Bronze, Silver and Gold Delta tables.",
    footer = {"", "Exit codes: 0 success, 1 a job failed, 2 a usage or configuration error."},
    subcommands = {
      DemoCommand.class,
      ServicesCommand.class,
      LoadCommand.class,
      ConfigCommand.class,
      SqlCommand.class,
      ServeCommand.class,
      DashboardCommand.class,
      RunCommand.class,
      GraphCommand.class,
      StatusCommand.class,
      SilverCommand.class,
      GoldCommand.class,
      ProduceCommand.class,
      StreamCommand.class,
      CdcCommand.class,
      BronzeCommand.class,
      BenchCommand.class,
      WarmupCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LakehouseCli implements Runnable {

  /** Exit code of a successful command. */
  public static final int OK = 0;

  /** Exit code of a job that started and failed. */
  public static final int JOB_FAILED = 1;

  /** Exit code of a usage or configuration error. */
  public static final int USAGE = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = execute(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the CLI in this JVM and returns the exit code (used by tests and the launcher). */
  public static int execute(String... args) {
    CommandLine cl = commandLine();
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new LakehouseCli());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExitCodeExceptionMapper(t -> cause(t) != null ? cause(t).exitCode() : JOB_FAILED);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println(
              "error: "
                  + ex.getMessage()
                  + ". Run `"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help` for usage.");
          err.flush();
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          boolean verbose =
              Arrays.asList(parsed.originalArgs().toArray(new String[0])).stream()
                  .anyMatch(a -> a.equals("-v") || a.equals("--verbose"));
          LakehouseException le = cause(ex);
          if (le == null && LakehouseErrors.diskFull(ex)) {
            le = LakehouseErrors.lakeFull(cmd.getCommandName(), ex);
          }
          if (le != null) {
            err.println("error: " + le.getMessage());
          } else {
            err.println(
                "error: "
                    + LakehouseErrors.firstLine(ex)
                    + " ("
                    + ex.getClass().getSimpleName()
                    + "). Re-run with --verbose for the stack trace.");
          }
          if (verbose) {
            ex.printStackTrace(err);
          }
          err.flush();
          return le != null ? le.exitCode() : JOB_FAILED;
        });
    return cl;
  }

  /** The user-facing error in a cause chain (Spark wraps exceptions thrown inside jobs). */
  static LakehouseException cause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LakehouseException le) {
        return le;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
