package dev.northwind.lakehouse.services;

import dev.northwind.lakehouse.LakehouseErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on {@code <dataDir>/lock}, held while an embedded server runs: two processes
 * must never run (or wipe) the same cluster. The OS drops it when the JVM dies, which is how a
 * later start tells a crashed owner from a live one.
 */
final class DirLock {

  private static final Logger LOG = LoggerFactory.getLogger(DirLock.class);

  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DirLock take(String service, Path dir) {
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw LakehouseErrors.dataDirInUse(service, dir);
      }
      return new DirLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw LakehouseErrors.dataDirInUse(service, dir);
    } catch (IOException e) {
      closeQuietly(channel);
      throw LakehouseErrors.serviceFailed(service, dir, e);
    }
  }

  void release() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      LOG.debug("Releasing lock failed", e);
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("Closing lock file failed", e);
      }
    }
  }
}
