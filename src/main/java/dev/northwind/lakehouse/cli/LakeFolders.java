package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.config.LakehouseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Local lake folders that `demo --fresh` may wipe. */
final class LakeFolders {

  private LakeFolders() {}

  /** Deletes a local lake (tables and checkpoints); a remote lake is never wiped by the demo. */
  static void wipe(LakehouseConfig config) {
    if (!config.localLake()) {
      throw LakehouseErrors.freshNeedsLocalLake(config.lakeRoot().toString());
    }
    Path root = Path.of(config.lakeRoot());
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
