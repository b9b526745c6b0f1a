package dev.northwind.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LakehouseCliTest {

  @Test
  void everyCommandHasHelp() {
    CommandLine cl = LakehouseCli.commandLine();
    assertThat(cl.getSubcommands()).isNotEmpty();
    for (String name : cl.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      CommandLine sub = cl.getSubcommands().get(name);
      assertThat(sub.getCommandSpec().mixinStandardHelpOptions()).as(name + " has --help").isTrue();
      assertThat(sub.getCommandSpec().usageMessage().description())
          .as(name + " has a description")
          .isNotEmpty();
      assertThat(LakehouseCli.execute(name, "--help")).as(name + " --help exits 0").isZero();
    }
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(LakehouseCli.execute("no-such-command")).isEqualTo(2);
    assertThat(LakehouseCli.execute("sql")).as("missing query").isEqualTo(2);
  }
}
