package dev.northwind.lakehouse.cli;

import dev.northwind.lakehouse.Folders;
import dev.northwind.lakehouse.LakehouseErrors;
import dev.northwind.lakehouse.config.LakehouseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Local lake folders that `demo --fresh` may wipe. */
final class LakeFolders {

  private LakeFolders() {}

  /** Deletes a local lake (tables and checkpoints); a remote lake is never wiped by the demo. */
  static void wipe(LakehouseConfig config) {
    if (!config.localLake()) {
      throw LakehouseErrors.freshNeedsLocalLake(config.lakeRoot().toString());
    }
    try {
      Folders.delete(Path.of(config.lakeRoot()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
